import { DECISION_WORDS } from '@repo/domain';
import type { Locale } from './messages';

type Words = Record<string, { ru: string; en: string }>;

const { reason: REASONS, intent: INTENTS, tone: TONES, language: LANGUAGES } = DECISION_WORDS;

/** Stages of a bot turn. */
const STAGES: Words = {
  classified: { ru: 'сообщение разобрано', en: 'message read' },
  retrieved: { ru: 'статьи найдены', en: 'articles found' },
  decided: { ru: 'решение принято, отправка в HDE', en: 'decided, posting to HDE' },
  delivered: { ru: 'выполнено в HDE', en: 'done in HDE' },
  failed: { ru: 'не удалось', en: 'failed' },
};

/** States of one action in HDE (the send ledger). */
const LEDGER_STATES: Words = {
  planned: { ru: 'запланировано', en: 'planned' },
  sending: { ru: 'отправляется', en: 'sending' },
  sent: { ru: 'выполнено', en: 'done' },
  ambiguous: { ru: 'неясно, дошло ли — проверяется', en: 'unclear whether it arrived — being checked' },
  failed: { ru: 'не удалось', en: 'failed' },
  quarantined: { ru: 'остановлено после повторных ошибок, нужна проверка', en: 'stopped after repeated errors, needs a look' },
  skipped: { ru: 'пропущено (больше не нужно)', en: 'skipped (no longer needed)' },
};

/** What each action in HDE is, by the first part of its key. */
const LEDGER_ACTIONS: Words = {
  reply: { ru: 'Ответ клиенту', en: 'Reply to the customer' },
  draft: { ru: 'Черновик ответа (заметка для оператора)', en: 'Draft reply (note for agents)' },
  approved: { ru: 'Одобренный черновик отправлен клиенту', en: 'Approved draft posted to the customer' },
  summary: { ru: 'Заметка для оператора при передаче', en: 'Hand-off note for the agent' },
  assign: { ru: 'Назначение ответственного', en: 'Assignment' },
  enrich: { ru: 'Поля и теги заявки', en: 'Ticket fields and tags' },
  status: { ru: 'Смена статуса', en: 'Status change' },
  tags: { ru: 'Теги', en: 'Tags' },
};

/** Processing state of a customer message. */
const MESSAGE_STATUSES: Words = {
  recorded: { ru: 'записано', en: 'recorded' },
  pending: { ru: 'ждёт ответа', en: 'waiting for the bot' },
  in_turn: { ru: 'бот отвечает', en: 'the bot is answering' },
  done: { ru: 'обработано', en: 'handled' },
  ignored: { ru: 'без ответа', en: 'no reply needed' },
  failed: { ru: 'не удалось обработать — ответ не отправлен', en: 'could not be handled — no reply was sent' },
};

/** Where a knowledge-base article came from. */
const KB_SOURCES: Words = {
  import: { ru: 'импорт', en: 'import' },
  markdown: { ru: 'файлы Markdown', en: 'Markdown files' },
  jsonl: { ru: 'файл JSON Lines', en: 'JSON Lines file' },
  csv: { ru: 'файл CSV', en: 'CSV file' },
  hde: { ru: 'база знаний HDE', en: 'HDE knowledge base' },
  admin: { ru: 'написана здесь', en: 'written here' },
  manual: { ru: 'написана здесь', en: 'written here' },
};

const GROUPS = {
  reason: REASONS,
  intent: INTENTS,
  tone: TONES,
  language: LANGUAGES,
  stage: STAGES,
  ledgerState: LEDGER_STATES,
  ledgerAction: LEDGER_ACTIONS,
  messageStatus: MESSAGE_STATUSES,
  kbSource: KB_SOURCES,
} as const;

/** The kinds of code the admin app turns into words. */
export type CodeGroup = keyof typeof GROUPS;

/**
 * A code (hand-off reason, intent, tone, stage, …) in words of the locale. A code this table does
 * not know yet still reads as words (underscores become spaces) rather than as a raw identifier.
 */
export function codeText(locale: Locale, group: CodeGroup, code: string | null | undefined): string {
  if (!code) return '—';
  const words = GROUPS[group][code];
  if (words) return words[locale];
  return code.replace(/[_-]+/g, ' ');
}

/** An action key of the send ledger (`reply-<turnId>`) in words. */
export function ledgerActionText(locale: Locale, actionKey: string): string {
  const head = actionKey.split('-')[0] ?? actionKey;
  return codeText(locale, 'ledgerAction', head);
}
