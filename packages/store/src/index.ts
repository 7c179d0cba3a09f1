export { createStore } from './create-store';
export { createDb, stripNul } from './db';
export { migrate, MIGRATIONS_DIR } from './migrate';
export type { MigrateOptions } from './migrate';
export { DatabaseSetupError, describeDatabaseError } from './database-errors';
export { verifySecretsKey, secretsKeyFingerprint, SecretsKeyMismatchError } from './secrets-key-check';
export { rotateSecretsKey, SecretsRotationError, type SecretsRotation } from './secrets-rotation';
export { createSecretBox } from './secret-box';
export { generateToken, hashToken, tokenHint, TOKEN_PREFIX } from './tokens';
export { MAX_PASSAGE_CHARS, splitArticle, splitMarkdown, type ArticleFormat } from './passages';
export { ARTICLE_LIMITS, ArticleTooLargeError, checkArticleSize } from './article-limits';
export {
  createArticleSplitter,
  splitArticleOffThread,
  type ArticleSplitter,
  type ArticleSplitterOptions,
  type SplitResult,
} from './article-splitter';
export type { Store } from './create-store';
export type { Db } from './db';
export type { SecretBox } from './secret-box';
export type { Integration, ReplyMode, NewIntegration, IntegrationPatch, IntegrationsRepo } from './integrations.repo';
export type { SkillRow, OrganizationsRepo } from './organizations.repo';
export type { StoredEvent, NewStoredEvent, WebhookLogRow, QuarantinedEvent, EventsRepo } from './events.repo';
export { createIntake, storedEventOf, IntakeTimeoutError } from './intake';
export type { Intake, IntakeDeps, IntakeResult, IntakeRecord } from './intake';
export type { Dialog, DialogState, DialogMessage, AuthorKind, MessageStatus, NewMessage, DialogsRepo, TurnOutcome } from './dialogs.repo';
export type { DialogHolderRepo, HolderChange, HolderChangeResult } from './dialog-holder.repo';
export { AGENT_QUIET, AGENT_REPLIED, RETURNED_IN_ADMIN, TAKEN_OVER_IN_ADMIN } from './holder-reasons';
export type { TurnDecision, TurnStage, TurnPatch, DecisionsRepo } from './decisions.repo';
export type { LedgerEntry, LedgerKind, LedgerState, LedgerRepo, NewestSend, PlannedAction, SendFence } from './ledger.repo';
export { LEDGER_RECENT_ROWS } from './ledger.repo';
export type { RedriveRepo, EventFailure, EventFailureResult } from './redrive.repo';
export { isSafeKbUrl, checkedKbUrl } from './kb-url';
export type { RetentionPolicy, RetentionResult, RetentionRepo } from './retention.repo';
export type { ArticleInput, KbArticle, UpsertOutcome, KbRepo, KbWriter, KbIndexArticle, KbIndexSnapshot } from './kb.repo';
export { KB_STATISTICS_MIN_CHANGES } from './kb.repo';
export { kbSearchSourceOf } from './kb.repo';
export type { Passage } from './passages';
export { importMarkdownFolder, parseMarkdownArticle, emptyReport, countOutcome, settleImport } from './kb-import/markdown-folder';
export type { ImportReport } from './kb-import/markdown-folder';
export { createAdminRepos } from './admin-store.repo';
export { ADMIN_TOKEN_PREFIX } from './admin-accounts.repo';
export { visibleIntegrationSql } from './admin-access.repo';
export type { AdminRepos } from './admin-store.repo';
export type { AdminUser, AdminRole, AdminApiToken, AdminAccountsRepo } from './admin-accounts.repo';
export type { Viewer, ReplyRating, AdminAccessRepo } from './admin-access.repo';
export type { ConsultantRow, SkillListRow, AdminCatalogRepo } from './admin-catalog.repo';
export type { DialogFilter, DialogListRow, DialogPage, OverviewStats, AdminDialogsRepo } from './admin-dialogs.repo';
export { DIALOG_PAGE_MESSAGES } from './admin-dialogs.repo';
export { importRecords, importArticleFile, readJsonLines, readCsv } from './kb-import/records';
export { syncRemoteKb } from './kb-import/remote-sync';
export type { RemoteArticle, SyncReport } from './kb-import/remote-sync';
export { hashPassword, verifyPassword, burnPasswordCheck, MIN_PASSWORD_LENGTH } from './passwords';
export { createKbEmbeddingsRepo } from './kb-embeddings.repo';
export type { KbEmbeddingsRepo, PassageToEmbed, StoredPassageVector, StoredSkillVectors } from './kb-embeddings.repo';
export { createConfigCache, withConfigCache, CONFIG_CHANGED_CHANNEL } from './config-cache';
export type { ConfigCache, ConfigCacheOptions } from './config-cache';
export { createEchoRecognizer } from './echo-recognition';
export type { EchoRecognizer, EchoRecognizerDeps } from './echo-recognition';
export { TURN_STATE_LIMITS } from './turn-state.repo';
export type { TurnClaim, TurnState, TurnStateRepo } from './turn-state.repo';
export { comparableText, matchesSentText, sameSentText } from './comparable-text';
