/** A code in the two languages of the admin app and of the notes the bot leaves for agents. */
export type CodeWords = { ru: string; en: string };

/**
 * What became of a ticket in HDE that leaves the bot nothing to do there (HDE answers 404 for it,
 * or it lies in HDE's trash). Both a turn's skip reason and a webhook event's outcome (see
 * `EVENT_OUTCOME_WORDS`), so an admin reads one wording for it in the dialogs and in the webhook log.
 */
export const TICKET_FATE_WORDS = {
  ticket_gone: {
    ru: 'Заявки больше нет в HDE: удалена, объединена с другой или скрыта от учётной записи бота',
    en: 'HDE no longer has the ticket: deleted, merged into another, or hidden from the bot account',
  },
  ticket_trashed: { ru: 'Заявка в корзине HDE: бот в неё не пишет', en: 'The ticket is in HDE’s trash: the bot writes nothing into it' },
} as const satisfies Record<string, CodeWords>;

/** Why the bot decided what it did (decision reasons), as a support lead reads them. */
const REASONS: Record<string, CodeWords> = {
  kb_confident: { ru: 'В базе знаний найден уверенный ответ', en: 'A confident answer was found in the knowledge base' },
  operator_requested: { ru: 'Клиент попросил оператора', en: 'The customer asked for a human' },
  low_confidence: { ru: 'Не нашёл уверенного ответа в базе знаний', en: 'No confident answer in the knowledge base' },
  no_kb_match: { ru: 'В базе знаний нет подходящей статьи', en: 'No matching knowledge-base article' },
  negative_tone: { ru: 'Клиент раздражён', en: 'The customer is upset' },
  complaint: { ru: 'Жалоба', en: 'A complaint' },
  repeated_question: { ru: 'Клиент повторяет вопрос', en: 'The customer repeats the question' },
  max_bot_replies: { ru: 'Бот уже ответил максимальное число раз', en: 'The bot already replied the maximum number of times' },
  attachment_only: { ru: 'Только вложение, без текста', en: 'Only an attachment, no text' },
  out_of_scope: { ru: 'Заявка вне области работы бота', en: 'The ticket is outside the bot’s scope' },
  scope_tags_unknown: {
    ru: 'HDE не сообщает теги заявки, поэтому фильтр по тегам не проверить: уберите его или проверьте учётную запись HDE',
    en: 'HDE does not report the ticket’s tags, so the tag filter cannot be checked: remove it or check the HDE account',
  },
  policy_gate: { ru: 'Запрещено правилами навыка', en: 'Blocked by the skill’s rules' },
  human_involved: { ru: 'В заявке уже работает оператор', en: 'An agent is already working on the ticket' },
  ticket_closed: { ru: 'Заявка закрыта', en: 'The ticket is closed' },
  // Skip reasons (and why a dialog was closed), never a decision: shared with the events' outcomes.
  ...TICKET_FATE_WORDS,
  // Why a ticket changed hands outside the bot's decisions (a dialog state's reason, never a decision).
  agent_replied: { ru: 'Ответил сотрудник', en: 'An agent replied' },
  taken_over_in_admin: { ru: 'Сотрудник взял заявку в админке', en: 'Taken over in the admin app' },
  returned_in_admin: { ru: 'Возвращена боту в админке', en: 'Returned to the bot in the admin app' },
  agent_quiet: { ru: 'Сотрудники молчали: бот снова отвечает', en: 'The agents went quiet: the bot answers again' },
  reopened: { ru: 'Клиент снова написал в закрытую заявку', en: 'The customer wrote again into the closed ticket' },
  ticket_restored: { ru: 'Заявку вернули из корзины HDE', en: 'The ticket was restored from HDE’s trash' },
  greeting: { ru: 'Приветствие', en: 'A greeting' },
  thanks: { ru: 'Благодарность', en: 'Thanks' },
  spam: { ru: 'Спам', en: 'Spam' },
  empty: { ru: 'Пустое сообщение', en: 'An empty message' },
  reply_mode_off: { ru: 'Ответы бота выключены в настройках интеграции', en: 'Bot replies are turned off for this integration' },
  ambiguous_topic: { ru: 'Подходят две статьи: бот уточняет, о чём вопрос', en: 'Two articles fit: the bot asks which one is meant' },
  llm_ungrounded: {
    ru: 'Сгенерированный ответ не опирался на базу знаний: отправлена цитата из статьи',
    en: 'The generated answer was not grounded in the knowledge base: a quote from the article was sent',
  },
  llm_person_requested: {
    ru: 'Языковая модель прочла в сообщении просьбу позвать человека',
    en: 'The language model read the message as asking for a person',
  },
};

const INTENTS: Record<string, CodeWords> = {
  question: { ru: 'вопрос', en: 'question' },
  operator_request: { ru: 'просьба позвать оператора', en: 'asks for a human' },
  greeting: { ru: 'приветствие', en: 'greeting' },
  thanks: { ru: 'благодарность', en: 'thanks' },
  complaint: { ru: 'жалоба', en: 'complaint' },
  empty: { ru: 'пустое сообщение', en: 'empty message' },
  spam: { ru: 'спам', en: 'spam' },
};

const TONES: Record<string, CodeWords> = {
  neutral: { ru: 'спокойный', en: 'calm' },
  positive: { ru: 'доброжелательный', en: 'friendly' },
  negative: { ru: 'раздражённый', en: 'upset' },
};

const LANGUAGES: Record<string, CodeWords> = {
  ru: { ru: 'русский', en: 'Russian' },
  en: { ru: 'английский', en: 'English' },
  uk: { ru: 'украинский', en: 'Ukrainian' },
  other: { ru: 'другой язык', en: 'another language' },
};

/**
 * Decision codes (hand-off reasons, intents, tones, languages) in words: the one table the admin
 * app and the hand-off note in HDE both read, so an agent never sees a raw code such as
 * `low_confidence`.
 */
export const DECISION_WORDS: Record<'reason' | 'intent' | 'tone' | 'language', Record<string, CodeWords>> = {
  reason: REASONS,
  intent: INTENTS,
  tone: TONES,
  language: LANGUAGES,
};

/** A decision code in words of `locale`; a code the table does not know reads as words (underscores become spaces). */
export function decisionWord(locale: 'ru' | 'en', group: keyof typeof DECISION_WORDS, code: string): string {
  return DECISION_WORDS[group][code]?.[locale] ?? code.replace(/[_-]+/g, ' ');
}
