import { tokenize } from './text-tokens';
import { correctWord } from './spelling';

/** Words that name a live person the customer may want: operator, human, specialist… */
function isEntity(t: string): boolean {
  return (
    /^(оператор|человек|специалист|сотрудник|менеджер|консультант|людин|працівник|співробітник|спеціаліст|саппорт)/.test(t) ||
    /^(human|humans|person|operator|operators|agent|representative|rep|manager|staff|people|someone|somebody)$/.test(t)
  );
}
/** Entity words too vague to count without an explicit request verb ("someone"). */
const WEAK_ENTITIES = new Set(['someone', 'somebody', 'people', 'staff']);

const LIVE = /^(жив(ой|ого|ым|ому|ая|ую|ые|ых|ий|ою|у|им|ої|ої)|live|real|actual)$/;

/** Words that, right after an entity, mean another sense: telecom, fiscal, delivery, HR… */
const QUALIFIER_AFTER =
  /^(связи|сотов|мобильн|фискальн|данных|эдо|офд|доставки|эквайринг|пункт|выдачи|call|колл|кол|зв'язку|звязку|resources|verification|readable|rights|error|users?|of|билайн|мтс|мегафон|теле2|tele2|yota|йота|киевстар|vodafone|lifecell|estate)/;
/** Words that, right before an entity, mean another sense: "mobile operator", "user agent". */
const QUALIFIER_BEFORE =
  /^(мобильн|сотов|telecom|mobile|cellular|network|travel|estate|user|insurance|booking|hr|call|колл|фискальн)/;
/** Question words that make an entity the subject of a question ("какой оператор…"). */
const INTERROGATIVE = /^(какой|какого|какая|какие|каких|каком|который|которого|чей|який|якого|яка|які|which|what|who|whose)$/;
/** Possessives that make an entity a third party being talked about ("ваш оператор сказал"). */
const POSSESSIVE = /^(ваш|ваша|вашего|вашему|вашим|ваши|мой|моя|моего|наш|наша|your|my|our|his|her|their)$/;

/** Message-level signs that the customer administers the help desk rather than asks for a human. */
const ADMIN =
  /^(добав|удал|огранич|назнач|настро|заблок|блокир|статистик|лиценз|тариф|доступ|подпис|вакан|стать|сколько|отчет|права|роль|роли|add|adding|remove|delete|assign|assigning|configure|configuring|config|settings|setup|invite|seat|seats|license|licen|plan|plans|report|reports|performance|limit|signature|status|permission|permissions|role|roles|many|handoff|hand|вакансі|скільки|налашт|додат|видал)/;

/** Verbs that explicitly ask to be put through to someone, as word beginnings (any ending). */
const STRONG_CUE_STEM =
  /^(соедин|соеден|з'єдна|зєдна|зедна|переключ|свяж|зв'яж|звяж|поговор|пообщ|общат|спілку|спилку|розмов|escalat)/;
/** Verbs that explicitly ask to be put through to someone, as whole words (imperatives mostly). */
const STRONG_CUE_WORD =
  /^(позовите|позови|позвать|позовіть|зовите|покличте|поклич|покликати|переведите|переведи|перевести|переведіть|связаться|связатся|зв'язатися|пригласите|пригласи|пригласить|запросіть|подключите|подключи|дайте|дай|давай|давайте|верните|верни|передайте|передай|передать|передати|пусть|ответьте|ответь|ответит|talk|speak|chat|connect|transfer|reach|contact|get|give|let|put)$/;
/** Cues that need the object not to be a ticket: "передать заявку" moves a ticket, not the customer. */
const TRANSFER_CUE = /^(переведите|переведи|перевести|передайте|передай|передать|передати|transfer|переключ)/;
const TICKET_OBJECT =
  /^(заявк|тикет|ticket|диалог|чат|обращени|заказ|деньг|средств|оплат|платеж|ему|ей|им|спасибо|благодарн|привет|thanks|him|her|them)/;
/** How-to questions: "как сделать, чтобы бот не отвечал" configures a bot, it does not reject ours. */
const HOW_TO = /(^|[\s,.!?])(как|як|how)\s+(сделать|настроить|зробити|налаштувати|to|do|can|could)(?=[\s,.!?]|$)/i;

/** Wanting or needing, which with an entity is a request ("нужен оператор", "I need a human"). */
const WEAK_CUE =
  /^(хочу|хотел|хотела|хотелось|хочемо|нужен|нужна|нужно|нужны|надо|требуется|потрібен|потрібна|потрібно|прошу|want|wanna|need|needs|like|require)$/;
const PLEASE = /^(please|pls|plz|plez|пожалуйста|пожалуста|плиз|пжлст|пжл|пж|пож|ласка|срочно|asap|now)$/;
const FILLER = /^(please|pls|plz|пожалуйста|пожалуста|плиз|пжлст|пжл|пж|срочно|уже|ну|давай|быстро|now|asap|urgent|скорее|ласка|будь|эй|hey|ау|алло|hello|hi|здравствуйте|привет|вітаю|добрый|день|a|an|the|the)$/;
const THANKS = /^(спасибо|спс|благодарю|дякую|thanks|thank|thx|ty|cheers|помогла|помог|помогли)$/;
const PAST_RU = /^[а-яё]{3,}(ал|ял|ил|ел|ыл|ул|ол)(а|и|о|ся|ась|ись|ось)?$/;
const PAST_EN = /^(said|told|promised|helped|was|were|did|answered|called|spoke|talked|replied)$/;

const BOT = /^(бот|бота|ботом|боту|боты|робот|робота|роботом|машина|машиной|автоответчик|bot|bots|robot|machine|ai|ии)$/;
const NEGATION = /^(не|ни|нет|хватит|стоп|без|no|not|don't|dont|stop|enough|без|не хочу)$/;
const BOT_FAILS = /^(бесполезн|тупой|тупит|useless|stupid|dumb|keeps|помогает|понимает|understand|helping|helps)/;
const ANYONE = /^(кто|кто-нибудь|кто-то|хто|хтось|anyone|anybody|somebody|someone)$/;
const ALIVE = /^(живой|живий|живые|there|here|alive|real)$/;

/** Why an utterance was or was not read as an operator request: for tests and the admin app. */
export type OperatorRequestReading = {
  isRequest: boolean;
  /** A short code of the rule that decided. */
  rule: string;
};

/**
 * Decides whether a customer asks for a live person ("позовите оператора", "хочу поговорить с
 * человеком", "talk to a human", "з оператором", "оператор!"), from the cleaned text. Misspellings
 * of the key words are corrected first. An entity word (operator, human, specialist, manager…) counts
 * unless it is qualified into another sense ("оператор связи", "mobile operator", "user agent",
 * "human resources") or asked about ("какой оператор"). A counting entity is a request with an
 * explicit verb (позовите, соедините, talk to, connect), with a live adjective ("живой сотрудник"),
 * with "хочу/нужен/need" unless the message is about administering agents (add, seats, tariff), next
 * to "please", or when the message is little more than the entity ("оператор!", "менеджера пжлст")
 * and is not thanks or a story about an agent. Rejecting the bot ("не хочу с ботом", "no bots") and
 * "есть кто живой?" are requests too.
 */
export function readOperatorRequest(cleanText: string): OperatorRequestReading {
  const tokens = tokenize(cleanText.replace(/(\p{L})-(\p{L})/gu, '$1 $2').replace(/\bcall centre|call center/gi, 'call'))
    .map(correctWord);
  // Re-join hyphenated words that must stay one: "кто-нибудь", "по-человечески".
  const raw = tokenize(cleanText);
  const hyphenSense = raw.some((t) => /^по-человеч|^human-/.test(t));
  const n = tokens.length;
  const admin = tokens.some((t) => ADMIN.test(t)) || /\bhow many\b/i.test(cleanText);

  let live = false;
  let strong = false;
  let weak = false;
  let please = false;
  let entityCount = 0;
  let weakEntityOnly = true;
  let reference = tokens.some((t) => THANKS.test(t));
  for (let i = 0; i < n; i++) {
    const t = tokens[i] as string;
    const prevWord = tokens[i - 1] ?? '';
    const substantiveLive = LIVE.test(t) && /^(с|со|з|із|with|a)$/.test(prevWord) && !isEntity(tokens[i + 1] ?? '');
    const customerService = /^(service|support|care)$/.test(t) && prevWord === 'customer';
    if (!isEntity(t) && !substantiveLive && !customerService) continue;
    if (hyphenSense && /^человеч/.test(t)) continue;
    const next = tokens[i + 1] ?? '';
    const prev = tokens[i - 1] ?? '';
    const prev2 = tokens[i - 2] ?? '';
    if (QUALIFIER_AFTER.test(next) || QUALIFIER_BEFORE.test(prev)) continue;
    if (prev === 'real' && next === 'estate') continue;
    if (INTERROGATIVE.test(prev) || INTERROGATIVE.test(prev2) || (i >= 3 && INTERROGATIVE.test(tokens[i - 3] as string) && /^(у|в|at|is)$/.test(prev2))) continue;
    entityCount++;
    if (!WEAK_ENTITIES.has(t)) weakEntityOnly = false;
    if (POSSESSIVE.test(prev)) reference = true;
    for (let j = Math.max(0, i - 3); j <= Math.min(n - 1, i + 3); j++) {
      const w = tokens[j] as string;
      if (j !== i && (PAST_RU.test(w) || PAST_EN.test(w)) && !/^(хотел|хотела|пообщ)/.test(w)) reference = true;
    }
    if (LIVE.test(prev) || LIVE.test(prev2)) live = true;
    if (PLEASE.test(prev) || PLEASE.test(next)) please = true;
  }

  for (let i = 0; i < n; i++) {
    const t = tokens[i] as string;
    if (STRONG_CUE_STEM.test(t) || STRONG_CUE_WORD.test(t)) {
      if (TRANSFER_CUE.test(t) && tokens.slice(i + 1, i + 3).some((w) => TICKET_OBJECT.test(w))) continue;
      if (/^(get|give|let|put)$/.test(t) && !/^(me|us|through)$/.test(tokens[i + 1] ?? '')) continue;
      strong = true;
    }
    if (WEAK_CUE.test(t)) {
      if (t === 'like' && !/^(would|i'd|id|i)$/.test(tokens[i - 1] ?? '')) continue;
      weak = true;
    }
  }

  const botRejected = !HOW_TO.test(cleanText) && tokens.some((t, i) => {
    if (!BOT.test(t)) return false;
    const around = tokens.slice(Math.max(0, i - 6), i + 4);
    return around.some((w) => NEGATION.test(w) || BOT_FAILS.test(w));
  });
  const anyoneAlive = tokens.some((t, i) => ANYONE.test(t) && tokens.slice(i + 1, i + 3).some((w) => ALIVE.test(w) && w !== 'real'));
  const escalate = tokens.some((t) => /^escalat/.test(t));

  if (entityCount > 0) {
    if (strong) return { isRequest: true, rule: 'entity+verb' };
    if (!weakEntityOnly) {
      if (live && !admin) return { isRequest: true, rule: 'live-entity' };
      if (weak && !admin) return { isRequest: true, rule: 'entity+want' };
      if (!admin && !reference) {
        if (please) return { isRequest: true, rule: 'entity+please' };
        const content = tokens.filter((t) => !FILLER.test(t) && !/^(а|и|i|to|с|со|з|мне|me|мені|нам|us|можно|можна|можу|can|could|here|есть|є|ли|вы|you|ну|да|yes)$/.test(t));
        const distinct = new Set(content);
        if (distinct.size <= 2 || (distinct.size <= 3 && n <= 4)) return { isRequest: true, rule: 'entity-alone' };
      }
    }
  }
  if (botRejected && !admin) return { isRequest: true, rule: 'bot-rejected' };
  if (anyoneAlive && !admin) return { isRequest: true, rule: 'anyone-alive' };
  if (escalate && !admin) return { isRequest: true, rule: 'escalate' };
  return { isRequest: false, rule: entityCount > 0 ? 'entity-without-request' : 'no-entity' };
}
