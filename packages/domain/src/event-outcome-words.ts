import { TICKET_FATE_WORDS, type CodeWords } from './decision-words';

/**
 * What became of a webhook event, as the pipeline stores it in `webhook_events.outcome` (and the
 * webhook log shows it). Rows written by older versions may hold codes no longer in this union.
 */
export type EventOutcome =
  /** A customer's message, recorded and handed to the ticket's turn. */
  | 'customer'
  /** An agent's post: recorded, and the bot stays silent on the ticket. */
  | 'agent'
  /** A post by another bot or an HDE rule. */
  | 'automation'
  /** The bot's own post coming back. */
  | 'echo'
  /** A post the dialog already holds (a webhook without text naming it again). */
  | 'known_post'
  /** An event naming no ticket the pipeline can read. */
  | 'no_ticket'
  /** A webhook without text whose post HDE no longer lists. */
  | 'post_not_found'
  /** HDE answered 404 for the ticket (deleted, merged, hidden from the bot account). */
  | 'ticket_gone'
  /** The ticket is in HDE's trash. */
  | 'ticket_trashed'
  /** Its processing failed for good: set aside, never driven again by the sweep. */
  | 'quarantined';

/**
 * Every event outcome in words. A code that is also a skip reason (`ticket_gone`, `ticket_trashed`)
 * takes the reason's entry, so the webhook log and the dialogs word it alike; a new outcome without
 * words fails typecheck here.
 */
export const EVENT_OUTCOME_WORDS = {
  customer: { ru: 'Сообщение клиента', en: "Customer's message" },
  agent: { ru: 'Ответ сотрудника: бот молчит', en: "An agent's reply: the bot stays silent" },
  automation: { ru: 'Автоматическое сообщение', en: 'Automatic message' },
  echo: { ru: 'Ответ бота', en: "The bot's own reply" },
  known_post: { ru: 'Уже получено', en: 'Already received' },
  no_ticket: { ru: 'Без заявки', en: 'No ticket' },
  post_not_found: { ru: 'Сообщение не найдено в HDE', en: 'Post not found in HDE' },
  ...TICKET_FATE_WORDS,
  quarantined: { ru: 'Не удалось обработать: событие отложено, нужна проверка', en: 'Could not be processed: set aside, needs a look' },
} as const satisfies Record<EventOutcome, CodeWords>;

/** An event's outcome in words of `locale`; `undefined` for a code this version does not know (shown as it is). */
export function eventOutcomeWord(locale: 'ru' | 'en', outcome: string): string | undefined {
  return Object.hasOwn(EVENT_OUTCOME_WORDS, outcome) ? EVENT_OUTCOME_WORDS[outcome as EventOutcome][locale] : undefined;
}
