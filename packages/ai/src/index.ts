export { cleanCustomerText, MAX_MESSAGE_INPUT_CHARS, MAX_MESSAGE_TEXT_CHARS } from './clean-text';
export { searchableText } from './searchable-text';
export { fixKeyboardLayout, latinToCyrillicLayout } from './keyboard-layout';
export type { LayoutFix } from './keyboard-layout';
export { detectLanguage } from './detect-language';
export { readOperatorRequest, readOperatorRequestRules, operatorRequestProbability, OPERATOR_REQUEST_MODEL } from './operator-request';
export type { OperatorRequestModel, DecisionRule } from './operator-request-model';
export type { OperatorRequestReading } from './operator-request';
export { isComplaint, isEmptyText, isGreetingOnly, isSpam, isThanksOrClosing } from './intent-rules';
export { detectTone } from './tone';
export { rankTopics, matchTopic, scoreTopic, MIN_TOPIC_SCORE } from './topic';
export { classify, capText, CLASSIFY_MAX_CHARS } from './classify';
export { createClassifyPool, classifyOffThread, ClassifyPoolError } from './classify-pool';
export type { ClassifyPool, ClassifyPoolOptions, ClassifyPoolErrorCode } from './classify-pool';
export type { ClassifyInput } from './classify';
export { normalise, tokenize, stem, contentStems } from './text-tokens';
export { editDistance } from './edit-distance';
export { questionSimilarity, REPEAT_SIMILARITY } from './similarity';
export { composeExtractiveAnswer, cleanPassage, decorateAnswer, MAX_QUOTE_CHARS } from './compose-extractive';
export type { AnswerSource } from './compose-extractive';
export type { ComposedAnswer, ComposeExtractiveInput } from './compose-extractive';
export { pickLocalised, replyLanguageOf } from './localise';
export type { ReplyLanguage } from './localise';
export { handoffNotice, clarifyQuestion, clarifyBetweenArticles, greetingReply } from './handoff-notice';
export type { HandoffNoticeInput, ClarifyQuestionInput } from './handoff-notice';
export { isWithinWorkingHours, nextOpening, describeWorkingHours, describeNextOpening } from './working-hours';
export type { NextOpening } from './working-hours';
export { decide, withGeneratedAnswer, handOffForPersonRequest, hitsBlockedTopic, AMBIGUITY_RATIO, CLOSED_STATUS_ID } from './decide';
export type { DecideInput, DialogContext, DialogState, ReplyMode, GeneratedAnswerOutcome } from './decide';
export { createOpenAiChatAnswerer } from './llm/openai-chat';
export { createOpenAiRequestReader } from './llm/request-reader';
export type { LlmRequestReader, RequestReading } from './llm/request-reader';
export type { OpenAiChatOptions, LlmAnswerInput, LlmAnswerResult, LlmFailureKind, LlmAnswerer } from './llm/openai-chat';
export { checkGrounding, splitSentences, GROUNDING_OVERLAP } from './llm/grounding';
export type { GroundingResult, UnsupportedSentence } from './llm/grounding';
export { buildAnswerPrompt, buildRequestReadingPrompt, NO_ANSWER, PERSON_REQUESTED } from './llm/prompt';
export type { ChatMessage, DialogTurn } from './llm/prompt';
export { createOpenAiEmbedder, EmbeddingError, normaliseVector } from './llm/openai-embeddings';
export type { OpenAiEmbeddingsOptions, Embedder, EmbeddingFailureKind } from './llm/openai-embeddings';
export { createHybridRetriever, fuseHits, calibrateCosine, cosineSimilarity, DEFAULT_COSINE_CALIBRATION } from './hybrid-retriever';
export type { HybridRetriever, HybridRetrieverOptions, SkillVectors, EmbeddedPassage, CosineCalibration } from './hybrid-retriever';
export { backfillEmbeddings } from './embedding-backfill';
export type { EmbeddingBackfillDeps, EmbeddingBackfillReport } from './embedding-backfill';
export { KbIndex } from './kb-index';
export type { IndexedArticle, IndexedPassage, KbSnapshot, IndexHit, IndexSearchOptions } from './kb-index';
export { KB_TUNING } from './kb-search-tuning';
export type { KbTuning } from './kb-search-tuning';
export { Bm25Baseline } from './bm25-baseline';
export type { BaselineArticle } from './bm25-baseline';
export {
  calibrate,
  calibratedScore,
  rawConfidence,
  probeOf,
  parseCalibration,
  CALIBRATION_SETTINGS,
  CONFIDENCE_SHAPE,
  UNCALIBRATED,
} from './kb-confidence';
export type { Calibration, RawConfidence } from './kb-confidence';
export {
  createConsultantKbSearch,
  createKbSearch,
  LEARN_RETRY_MS,
  loadAnswered,
  loadKb,
  searchLoaded,
  toKbHits,
} from './kb-search-service';
export type { KbSearch, KbSearchSource, KbSearchSnapshot, KbSearchOptions, LoadedKb } from './kb-search-service';
export { learnQuestionTraffic, learnQuestionTrafficInSlices, NO_TRAFFIC } from './question-traffic';
export { learnAnsweredQuestions, learnAnsweredQuestionsInSlices, NO_ANSWERED } from './answered-questions';
export type { AnsweredConversation, AnsweredQuestions, AnsweredEvidence } from './answered-questions';
export type { QuestionTraffic } from './question-traffic';
export { runTurn, classifyTurn, classifyStoredTurn, retrieveTurn, decideTurn, searchTurn, TURN_HITS } from './pipeline-core';
export type { TurnSearch, Classifier, RunTurnInput, TurnOutcome, StoredTurnMessage } from './pipeline-core';
export { createReplyComposer } from './reply-composer';
export type { ReplyComposer, RefineInput, ComposerMessage } from './reply-composer';
export { createTurnProviders, composerOf, describeProviderError } from './turn-providers';
export type { TurnProviders, ProviderLogger, ProvidersDescription } from './turn-providers';
export { analyze, stemWord, searchWords } from './kb-analyzer';
export { longestLoopHold } from './loop-hold';
