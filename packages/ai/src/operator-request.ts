import { tokenize } from './text-tokens';
import { correctWord, isNotATypo } from './spelling';
import { isFuzzyMatch } from './edit-distance';
import { decide, scoreText, type OperatorRequestModel } from './operator-request-model';
import { sentencePieces } from './sentences';
import { LETTER_MIN_CHARS } from './clean-text';
import modelJson from './models/operator-request-model.json';

/** Words that name a live person the customer may want: operator, human, specialist… */
function isEntity(t: string): boolean {
  return (
    /^(оператор|человек|специалист|сотрудник|менеджер|консультант|людин|працівник|співробітник|спеціаліст|саппорт|представител|представник|руководител|керівник|инженер|інженер|эксперт|супервайзер|техподдержк|диспетчер|фахів)/.test(
      t,
    ) ||
    /^(чел|челик|human|humans|person|operator|operators|agent|representative|rep|manager|specialist|specialists|supervisor|boss|bosses|superior|engineer|staff|people|someone|somebody|anyone|anybody|smb|sb)$/.test(
      t,
    ) ||
    // Slang and collective nouns for people in charge: "нужен спец", "с руководством", "руководству".
    /^(спец|спеца|спецу|спецом|спецы|спецов|руководством|руководству|начальств\p{L}*|начальник\p{L}{0,3})$/u.test(t) ||
    isWeakEntity(t) ||
    isDepartment(t)
  );
}
/** Contact details, which the knowledge base gives: asking for them is a question, not a hand-off. */
const CONTACT_DETAIL = /^(email|e-mail|почт\p{L}*|адрес\p{L}*|номер\p{L}*|телефон\p{L}*|address|number|phone)$/u;
/**
 * Departments and office roles: "соедините с отделом продаж", "свяжите с бухгалтерией", "put me
 * through to billing", "соедините с администратором", "let me talk to your colleague". They count
 * only with an explicit verb — "бухгалтерия работает по субботам?" asks about it, "пароль
 * администратора" names an account, "my colleague ordered it" is a story — and are never a call on
 * their own or the subject of a presence question.
 */
function isDepartment(t: string): boolean {
  return (
    /^(отдел|отделом|отделу|отдела|бухгалтери\p{L}*|відділ\p{L}{0,3}|billing|sales|accounts|department|dept)$/u.test(t) ||
    // A team, and English "support" on its own ("connect me with support team", "свяжите с командой
    // поддержки"): like departments, with an explicit verb only.
    /^(team|teams|support|командой|команде|команду|командою|команди)$/u.test(t) ||
    /^(администратор\p{L}{0,3}|адміністратор\p{L}{0,3}|administrator|коллег\p{L}{0,3}|колег\p{L}{0,3}|colleague|colleagues|coworker|co-worker)$/u.test(
      t,
    ) ||
    isBusinessRole(t)
  );
}
/**
 * The roles of the business behind the help desk (a pharmacy, a school, a clinic, a shop): "с
 * заведующей аптекой", "с фармацевтом", "с куратором", "the school director". Like departments,
 * they count only with an explicit verb ("поговорить с фармацевтом лично"); "фармацевт сказал",
 * "директор подписал акт" are stories, and "хочу стать куратором" is a job.
 */
function isBusinessRole(t: string): boolean {
  return (
    /^(заведующ\p{L}{1,4}|завідувач\p{L}{0,3}|директор\p{L}{0,3}|фармацевт\p{L}{0,3}|провизор\p{L}{0,3}|провізор\p{L}{0,3}|куратор\p{L}{0,3}|координатор\p{L}{0,3}|методист\p{L}{0,3}|завуч\p{L}{0,3}|управляющ\p{L}{1,4}|керуюч\p{L}{1,4}|юрист\p{L}{0,3}|бухгалтер\p{L}{0,3}|врач\p{L}{0,3}|лікар\p{L}{0,3}|доктор\p{L}{0,3}|тренер\p{L}{0,3}|механик\p{L}{0,3}|механік\p{L}{0,3}|стоматолог\p{L}{0,3}|ветеринар\p{L}{0,3}|терапевт\p{L}{0,3}|хирург\p{L}{0,3}|хірург\p{L}{0,3})$/u.test(
      t,
    ) ||
    EXTRA_ROLE.test(t) ||
    /^(director|directors|principal|headteacher|headmaster|headmistress|pharmacist|pharmacists|curator|coordinator|tutor|dean|doctor|physician|nurse|lawyer|accountant|owner|director's|teacher|instructor|trainer|coach|mechanic|dentist|therapist|surgeon|vet|veterinarian|technician|officer|advisor|adviser|counsellor|counselor)$/.test(
      t,
    )
  );
}
/**
 * Entity words too vague to count on their own ("someone", "люди", "кто-нибудь"): they count only
 * with an explicit request verb, in a presence question ("живые люди есть?") or as a bare call
 * ("ау, люди?"). `кто-нибудь` and its kin arrive joined ("ктонибудь", see {@link prepareRequestText}).
 */
function isWeakEntity(t: string): boolean {
  return (
    /^(someone|somebody|anyone|anybody|smb|sb|people|staff|люди|людей|людьми|люди)$/.test(t) ||
    /^(кто|кого|кому|кем|ком|хто|когось|комусь|кимось)(нибудь|то|либо|небудь)$/.test(t) ||
    /^(хтось|когось|комусь|кимось)$/.test(t)
  );
}
/**
 * "customer" and its frequent misspellings ("coustmer", "custmer"), "consumer" and "client": before
 * "care/service/support" or "executive" they name the people who serve customers.
 */
function isCustomerWord(t: string): boolean {
  return /^(customer|consumer|client)$/.test(t) || (/^c[a-z]{5,8}$/.test(t) && isFuzzyMatch(t, 'customer'));
}
/** "service", "support", "care" and misspellings of the longer two ("servise", "suport") after a customer word. */
function isServiceWord(t: string): boolean {
  return /^(service|support|care)$/.test(t) || (/^[a-z]{6,8}$/.test(t) && (isFuzzyMatch(t, 'service') || isFuzzyMatch(t, 'support')));
}
/** Indefinite pronouns that, with "нужен/need", ask for a person: "мне нужен кто-то, кто разберётся". */
const SOMEONE = /^(someone|somebody|anyone|anybody|smb|sb|ктото|ктонибудь|ктолибо|хтось|хтонебудь)$/;

/** Adjectives that, standing alone, name the person in charge: "главного", "старшего". */
const BOSS_ADJECTIVE = /^(главного|главному|главным|старшего|старшему|старшим|старших|старший|старшая|старшую|старшой|старшого|головного)$/;
/** Groups a senior person heads: "старшего смены", "старшого зміни" still name a person. */
const BOSS_OF = /^(смены|смене|зміни|группы|групи|бригады|бригади|отдела|відділу|shift)$/;

const LIVE = /^(жив(ой|ого|ым|ому|ая|ую|ые|ых|ий|ою|у|им|ої|ої)|live|real|actual)$/;

/** Words that, right after an entity, mean another sense: telecom, fiscal, delivery, HR, machines… */
const QUALIFIER_AFTER =
  /^(связи|сотов|мобильн|фискальн|данных|эдо|офд|доставки|эквайринг|пункт|выдачи|call|колл$|кол$|зв'язку|звязку|resources|verification|readable|rights|error|users?|of|билайн|мтс|мегафон|теле2|tele2|yota|йота|киевстар|vodafone|lifecell|estate|дрон|бпла|квадрокоптер|крана|станк|пк|эвм|чпу|котельн|камер|экскаватор|погрузчик|бульдозер|линии|пульт|drone|crane|forklift|excavator|qsym)/;
/** Machines an operator may operate, one word further on ("оператор для дрона"). */
const MACHINE = /^(дрон|бпла|квадрокоптер|крана|станк|пк|эвм|чпу|экскаватор|погрузчик|drone|crane|forklift|excavator|camera|камер)/;
/** Words that, right before an entity, mean another sense: "mobile operator", "user agent". */
const QUALIFIER_BEFORE = /^(мобильн|сотов|telecom|mobile|cellular|network|travel|estate|user|insurance|booking|hr|call|колл$|фискальн)/;
/**
 * "Another/other" before an entity makes it a third party ("номер от другого оператора",
 * "подарить другому человеку", "another agent"): such an entity counts only with an explicit verb
 * ("переключите на другого оператора").
 */
const OTHER = /^(друг(ой|ого|ому|им|ом|ая|ую|ие|их)|иного|іншого|іншому|інший|another|other)$/;
/**
 * Work verbs: an entity after them is a job ("хочу работать менеджером", "нанимает операторов").
 * "стать/стати" are whole words: as a prefix they matched "статьи" (articles) and "ставка".
 */
const WORK_VERB = /^(работ|устро|стать$|стал$|стала$|стати$|став$|становит|працю|нанима|найма|hire|hiring|work|working|apply)/;
/** Question words that make an entity the subject of a question ("какой оператор…"). */
const INTERROGATIVE = /^(какой|какого|какая|какие|каких|каком|который|которого|чей|який|якого|яка|які|which|what|who|whose)$/;
/** Possessives that make an entity a third party being talked about ("ваш оператор сказал"). */
const POSSESSIVE = /^(ваш|ваша|вашего|вашему|вашим|ваши|мой|моя|моего|наш|наша|your|my|our|his|her|their)$/;

/** Message-level signs that the customer administers the help desk (or seeks a job) rather than asks for a human. */
const ADMIN =
  /^(добав|удал|огранич|назнач|настро|настраива|админк|заблок|блокир|статистик|лиценз|тариф|доступ|подпис|вакан|резюме|стать$|сколько|отчет|права|роль|роли|add|adding|remove|delete|assign|assigning|configure|configuring|config|settings|setup|dashboard|admin|invite|seat|seats|license|licen|plan|plans|report|reports|performance|limit|signature|status|permission|permissions|role|roles|many|handoff|handover|hand$|resume|hiring|вакансі|скільки|налашт|додат|видал)/;

/** Russian short passive participles: "карта заблокирована", "доступ ограничен" report a state. */
const SHORT_PARTICIPLE = /^[а-яё]{4,}(ан|ана|ано|аны|ен|ена|ено|ены)$/;

/**
 * An administration word ({@link ADMIN}) used as an action or a subject of administration. A short
 * passive participle of the same verb ("карта заблокирована", "доступ ограничен") tells what happened
 * to the customer, which says nothing about administering agents; a past tense with a subject ("мы
 * его настроили") still does.
 */
function isAdminWord(w: string): boolean {
  return ADMIN.test(w) && !SHORT_PARTICIPLE.test(w);
}

/** Verbs that explicitly ask to be put through to someone, as word beginnings (any ending). */
const STRONG_CUE_STEM =
  /^(соедин|соеден|з'єдна|зєдна|зедна|переключ|свяж|зв'яж|звяж|поговор|переговорить|переговорим|разговаривать|пообщ|общат|спілку|спилку|розмов|escalat|эскалир)/;
/** Verbs that explicitly ask to be put through to someone, as whole words (imperatives mostly). */
const STRONG_CUE_WORD =
  /^(позовите|позови|позвать|позовіть|зовите|покличте|поклич|покликати|переведите|переведи|перевести|переведіть|связаться|связатся|зв'язатися|пригласите|пригласи|пригласить|запросіть|подключите|подключи|подключить|підключіть|підключи|підключити|під'єднайте|приєднайте|вызовите|вызови|дайте|дай|дать|пришлите|пришли|направьте|send|давай|давайте|верните|верни|передайте|передай|передать|передати|пусть|ответьте|ответь|ответит|talk|speak|chat|connect|transfer|pass|reach|contact|get|give|let|put)$/;
/**
 * Asking to be called or contacted: "позвоните мне", "пусть со мной свяжется", "callback". With an
 * entity ("позвоните мне кто-нибудь", "a callback from one of your specialists") it is a request.
 */
const CALLBACK_CUE =
  /^(позвоните|позвони|перезвоните|перезвони|наберите|набери|свяжитесь|свяжись|свяжется|созвониться|созвонимся|обсудить|зателефонуйте|передзвоніть|callback|call-back|call)$/;
/**
 * "жду связи с…", "требую разговора с…", "запишите на звонок с…": a noun of contact that asks for one
 * when followed by "с/with".
 */
const CONTACT_NOUN =
  /^(связи|связь|contact|разговор|разговора|разговору|звонок|звонка|созвон|созвона|розмову|розмови|call|conversation|chat)$/;
/**
 * Past forms that, after "чтобы", ask a person to act for the customer: "чтобы со мной связался
 * менеджер", "чтобы директор лично объяснил", "щоб лікар зателефонував".
 */
const CONTACT_PAST =
  /^(связался|связалась|связались|перезвонил|перезвонила|позвонил|позвонила|набрал|набрала|объяснил|объяснила|разобрался|разобралась|приехал|приехала|зателефонував|зателефонувала|подзвонив|подзвонила|пояснив|пояснила|подъехал|подъехала|заехал|заехала|подошел|подошёл|подошла|приїхав|приїхала)$/;
/** Nominalisations of transfer verbs name a feature ("настроить переключение на оператора"), not a request. */
const NOMINAL = /(ени[еяюи]|ением|ание|ания|анию|ании)$/;
/** Cues that need the object not to be a ticket: "передать заявку" moves a ticket, not the customer. */
const TRANSFER_CUE = /^(переведите|переведи|перевести|передайте|передай|передать|передати|transfer|pass$|переключ)/;
const TICKET_OBJECT = /^(заявк|тикет|ticket|диалог|чат|chat|chats|conversation|обращени|заказ|деньг|средств|оплат|платеж)/;
/** Objects that make "передать" pass on words, not the customer: thanks, greetings, "him". */
/** The customer's own: "мой номер", "my number". */
const OWN_POSSESSIVE = /^(мой|мою|мои|наш|наши|my|our)$/;
/** The customer's contact, passed on to a person: "передайте ему мой номер", "pass my number to". */
function isContactPassed(w: string): boolean {
  return CONTACT_DETAIL.test(w) || /^(контакт\p{L}{0,2}|contact|details)$/u.test(w);
}
const MESSAGE_OBJECT = /^(ему|ей|им|спасибо|благодарн|привет|респект|подяк|вдячн|thanks|him|her|them|gratitude|appreciation)/;
/** How-to questions: "как сделать, чтобы бот не отвечал" configures a bot, it does not reject ours. */
const HOW_TO = /(^|[\s,.!?])(как|як|how)\s+(сделать|настроить|зробити|налаштувати|to|do|can|could)(?=[\s,.!?]|$)/i;
/** Any "how" question: moving a ticket in one ("как передать заявку") is a question about the tool. */
const HOW = /(^|[\s,.!?])(как|як|how)(?=[\s,.!?]|$)/i;

/**
 * A negated command to put through ("не переводите на оператора", "don't transfer me"): a refusal of
 * the person in its clause. Only imperatives and English commands count: "бот не переключает на
 * оператора" (indicative) complains that no one is put through.
 */
function isRefusedCommand(tokens: string[], i: number): boolean {
  const t = tokens[i] as string;
  const prev = tokens[i - 1] ?? '';
  if (!(STRONG_CUE_STEM.test(t) || STRONG_CUE_WORD.test(t)) || NOMINAL.test(t)) return false;
  if (/^(не|ні)$/.test(prev)) return /[а-яіїє](ите|йте|іть|ай|яй|уй|и|ь)$/.test(t) && !PAST_RU.test(t);
  return /^(don't|dont|never)$/.test(prev) || (prev === 'not' && tokens[i - 2] === 'do');
}

/** Wanting or needing, which with an entity is a request ("нужен оператор", "I need a human"). */
const WEAK_CUE =
  /^(хочу|хотел|хотела|хотелось|хочемо|нужен|нужна|нужно|нужны|надо|требуется|потрібен|потрібна|потрібно|треба|прошу|требую|требуем|вимагаю|want|wanna|need|needs|needed|like|require|demand)$/;
/** Words that deny what follows: with a want-cue they make a refusal ("не надо оператора", "no need for an agent"). */
const NEGATOR = /^(не|ни|no|not|don't|dont|didn't|doesn't|never|без)$/;
const PLEASE = /^(please|pls|plz|plez|пожалуйста|пожалуста|плиз|пжлст|пжл|пж|пож|ласка|срочно|asap|now)$/;
const FILLER =
  /^(please|pls|plz|пожалуйста|пожалуста|плиз|пжлст|пжл|пж|срочно|уже|ну|давай|быстро|now|asap|urgent|скорее|ласка|будь|эй|hey|ау|алло|ало|hello|hi|здравствуйте|привет|вітаю|добрый|день|a|an|the|the|qsym)$/;
const NON_CONTENT = /^(а|и|i|to|с|со|з|s|мне|me|мені|нам|us|можно|можна|можу|can|could|here|есть|є|ли|вы|you|ну|да|yes)$/;
const THANKS = /^(спасибо|спс|благодарю|дякую|thanks|thank|thx|ty|cheers|помогла|помог|помогли)$/;
const PAST_RU = /^[а-яё]{3,}(ал|ял|ил|ел|ыл|ул|ол)(а|и|о|ся|ась|ись|ось)?$/;
/**
 * Ukrainian masculine past forms ("казав", "обіцяв", "дзвонив" is left out with every "-ив", which
 * Russian nouns such as "архив" or "мотив" share): "Менеджер казав, що…" is a story.
 */
const PAST_UK = /^[а-яіїєґ']{2,}(ав|яв|ів|їв)$/;
/** A past form or a day gone by, Russian, Ukrainian or English: beside a person it tells a story. */
function isPastForm(w: string): boolean {
  return PAST_RU.test(w) || PAST_UK.test(w) || PAST_EN.test(w) || PAST_DAY.test(w);
}
const PAST_EN = /^(said|told|promised|helped|was|were|did|answered|called|spoke|talked|replied)$/;
/** Days gone by: beside a person, as a past verb is, they tell a story ("a call from your staff yesterday"). */
const PAST_DAY = /^(вчера|позавчера|учора|вчора|позавчора|yesterday)$/;
/** Words that ask where or whether a person is: "где оператор?", "живые люди есть?", "anyone there?". */
const PRESENCE = /^(есть|єсть|є|тут|здесь|где|де|there|here|where|around)$/;
/**
 * "available", "онлайн", which ask for a person now only beside a word for now ("is a human
 * available right now?"); "is a manager available on weekends?" asks about opening hours.
 */
const AVAILABLE = /^(available|free|online|онлайн|доступен|доступна|доступний|доступна|свободен|свободна|вільний|вільна)$/;
const NOW = /^(now|currently|сейчас|щас|зараз|сегодня|today)$/;
/**
 * Curiosity said outright ("просто интересно", "just curious"): a question about the bot or about
 * people is then asked for its own sake, not to reach a person.
 */
const CURIOUS =
  /(?<![\p{L}])(просто интересно|интересно просто|просто спрашиваю|просто цікаво|просто питаю|из любопытства|ради интереса|з цікавості|just curious|just wondering|just asking|out of curiosity)(?![\p{L}])/iu;
/** Verbs and nouns of calling, which a refusal ("звонить не нужно", "no need to call") cancels. */
const CALL_WORD =
  /^(звонить|позвонить|перезвонить|перезванивать|звонок|звонка|набирать|связываться|дзвонити|телефонувати|передзвонювати|зателефонувати|call|calls|callback|ring|calling|phone|phoning)$/;
/**
 * A call the customer cancels: a call word next to a negated want in its clause ("звонить не нужно",
 * "не надо перезванивать", "no need to call"), or a negated imperative ("не звоните", "don't call").
 * Callback words elsewhere in the message then report a promised call, not ask for one.
 */
function cancelsCall(ws: Word[], negatedWant: (i: number) => boolean): boolean {
  return ws.some((x, i) => {
    const prev = ws[i - 1]?.w ?? '';
    if (CALL_ME_VERB.test(x.w) && /[а-яіїє]/.test(x.w) && /^(не|ні)$/.test(prev)) return true;
    if (/^(call|contact|ring|phone)$/.test(x.w) && /^(don't|dont|not)$/.test(prev)) return true;
    if (!CALL_WORD.test(x.w)) return false;
    // Five words either way: "I don't need the pharmacist to call me", "Связываться со мной
    // специалисту больше не нужно" put the person between the want and the call.
    for (let j = Math.max(0, i - 5); j <= Math.min(ws.length - 1, i + 5); j++) {
      if (ws[j]?.clause !== x.clause) continue;
      if (WEAK_CUE.test(ws[j]?.w ?? '') && negatedWant(j)) return true;
      // "please don't have a salesperson ring me", "not asking for a call back".
      if (j < i && /^(don't|dont|not)$/.test(ws[j]?.w ?? '') && /^(have|let|asking|requesting|expecting)$/.test(ws[j + 1]?.w ?? ''))
        return true;
    }
    return false;
  });
}

const BOT =
  /^(бот|бота|ботом|боту|боты|ботов|чатбот\p{L}{0,2}|робот|робота|роботом|роботу|машина|машиной|автоответчик\p{L}{0,2}|автовідповідач\p{L}{0,2}|помощник\p{L}{0,2}|bot|bots|chatbot|robot|machine|script|ai|ии)$/u;
/** The customer as the subject of a copula: "я человек", "I'm a person", "we are people". */
const SELF = /^(я|мы|i'm|im|am|we're|are)$/;
/** True when the entity at `i` is what the customer says they are: "я человек", "I'm a real person". */
function describesSelf(tokens: string[], i: number): boolean {
  let j = i - 1;
  while (j >= i - 3 && /^(a|an|real|live|living|just|живой|жива|звичайна|обычный|обычная|же|ведь)$/.test(tokens[j] ?? '')) j--;
  return SELF.test(tokens[j] ?? '');
}
/** Bot words with an everyday sense (a car, a machine, a script): see their use in `botRejected`. */
const AMBIGUOUS_BOT = /^(машина|машиной|machine|script)$/;
/**
 * Sarcasm about help: a verb or adjective of helping in quotes ("очень «помог»", 'so "helpful"'):
 * the customer says the opposite. Read as a complaint, and it cancels thanks in the same message.
 * Nouns ("«Помощь»", 'Support') are left out: quoted, they are usually captions. Bounded: the quoted
 * span is one word.
 */
export const SARCASTIC_HELP =
  /[«"“„'‘](?:помог|помогли|помогла|помогло|помогает|допоміг|допомогли|допомогла|допомагає|helped|helpful|helping)[»"”'’“]/iu;
/** "who can help", "который может помочь": a relative that tells what the person is wanted for. */
const HELPER_RELATIVE =
  /^(who|that|кто|который|которая|хто|який|яка) (can|could|will|may|might|может|сможет|могли|може|зможе) (help|assist|помочь|допомогти|разобраться|розібратися)/;
/**
 * A person set against a program in so many words: "человек, а не программа", "a human, not a
 * bot", "людина, а не робот" — also as an aside between dashes. Bounded: a few fixed words apart.
 */
const PERSON_NOT_BOT =
  /(?<![\p{L}])(человек\p{L}{0,2}|людин\p{L}{0,2}|люд(и|ей|ьми)|живой|живого|живым|жива|human|person|people|real person)[\s,—–-]{1,5}(а |але |but |and )?(не|not|no)\s+(с |з |with |a |an )?(бот\p{L}{0,2}|робот\p{L}{0,2}|программ\p{L}{0,2}|програм\p{L}{0,2}|машин\p{L}{0,2}|автомат\p{L}{0,2}|автоответчик\p{L}{0,2}|ии|ші|bot|bots|robot|robots|machine|program|software|ai|script)(?![\p{L}])/iu;
/** {@link PERSON_NOT_BOT}, unless the customer says it of themselves ("я человек, а не робот"). */
function isPersonNotBot(text: string): boolean {
  const m = PERSON_NOT_BOT.exec(text);
  return (
    m !== null &&
    !/(?<![\p{L}])(я|мы|i'm|im|i am|we are|we're)( a| an| real| живой| же| ведь)?\s*$/iu.test(
      text.slice(Math.max(0, m.index - 16), m.index),
    )
  );
}
/** "where is everyone?", "где все?", "куда все пропали": a call to people who should be there. */
/**
 * "Is there a living soul at this company…?", "есть тут хоть одна живая душа?": a presence question
 * about a "living soul". The question's words keep a story out ("There was not a
 * living soul at the desk", "ни души в офисе").
 */
const LIVING_SOUL =
  /(?<![\p{L}])(?:(?:is there|are there|any|anyone) (?:\p{L}+ )?(?:living|live|single) soul|(?:есть|є|хоть|хоч)(?: \p{L}+){0,2} (?:жив(?:ая|ую|а|у)) душ\p{L}{0,2})(?![\p{L}])/iu;
const WHERE_IS_EVERYONE =
  /(?<![\p{L}])(where(?:'s| is| are|'re)? (?:every(?:one|body)|all the (?:people|staff|agents))|(?:где|куда) (?:вы )?все(?: люди)?(?: (?:пропали|делись|подевались|разбежались))?\s*(?=[?!])|(?:куда) (?:вы )?все (?:пропали|делись|подевались|разбежались)|де (?:ви )?всі(?: люди)?\s*(?=[?!])|куди (?:ви )?всі (?:зникли|поділися|пропали))(?![\p{L}])/iu;
/**
 * People or a bot, asked as an alternative ("у вас люди работают или только роботы?", "are you
 * humans or bots?"); with a need for help in the message it asks for the people. Asked on its own
 * ("ты бот или человек? просто интересно") it is curiosity.
 */
const PERSON_OR_BOT =
  /(?<![\p{L}])(люди|людей|человек|людина|люди|humans?|people|persons?)(?![\p{L}])[^.!?\n]{0,30}?(?<![\p{L}])(или|чи|or)\s+(только |лише |just |only )?(бот\p{L}{0,2}|робот\p{L}{0,2}|программ\p{L}{0,2}|bots?|robots?|machines?|ai)(?![\p{L}])/iu;
/** A need for help said outright: "мне нужна помощь", "I need help", "потрібна допомога". */
const NEEDS_HELP =
  /(?<![\p{L}])(нужна помощь|нужна ваша помощь|нужно помочь|помогите|потрібна допомога|допоможіть|need (?:some )?help|need assistance|help me)(?![\p{L}])/iu;

/** "я не робот", "I'm not a robot": the customer says what they are not, which rejects no bot. */
function deniesBeingABot(tokens: string[], i: number): boolean {
  const before = tokens.slice(Math.max(0, i - 3), i);
  if (!before.some((w) => NEGATION.test(w))) return false;
  // "я не хочу бота": a want between the customer and the bot rejects the bot.
  if (before.some((w) => isCueWord(w))) return false;
  if (before.some((w) => /^(я|i|i'm|im|am)$/.test(w))) return true;
  // "я человек, а не робот": the customer is the subject further back, of a person word between
  // ("I don't want the bot" keeps its subject of a want, and rejects the bot).
  const further = tokens.slice(Math.max(0, i - 6), i);
  const self = further.findIndex((w) => /^(я|i|i'm|im|am)$/.test(w));
  return self >= 0 && further.slice(self + 1).some((w) => isEntity(w));
}
/** Words near a bot word that reject it ("не", "кроме бота", "хватит"). */
const NEGATION = /^(не|ни|нет|хватит|стоп|без|кроме|крім|no|not|don't|dont|stop|enough|besides|except)$/;
const BOT_FAILS =
  /^(бесполезн|тупой|тупит|useless|stupid|dumb|keeps|помогает|понимает|understand|helping|helps|уйди|уйдите|уходи|отстань|отвали|замолчи|уступи|away)/;
const ANYONE = /^(кто|ктонибудь|ктото|хто|хтось|хтонебудь|anyone|anybody|somebody|someone)$/;
const ALIVE = /^(живой|живий|живые|there|here|alive|real|available)$/;

/**
 * Asking to be put in touch, with no person named: "i want to get in touch", "contact support",
 * "связаться с поддержкой". Asking for a phone number or opening hours is a question for the KB.
 */
const REACH_US =
  /(?<![\p{L}\p{N}])(?:get in touch|(contact|reach) (support|someone|somebody|your team|your support|customer (care|support|service))|связаться с (поддержкой|техподдержкой|кем-нибудь|кем-то)|соедините с поддержкой)(?![\p{L}\p{N}])/iu;

/** Latin-to-Cyrillic transliteration, longest spellings first ("shch" before "sh" before "s"). */
const TRANSLIT: [string, string][] = [
  // "svyazatsya", "obratitsya": the reflexive ending, before "ts" and "ya" would read it as "цья".
  ['tsya', 'тся'],
  ['shch', 'щ'],
  ['sch', 'щ'],
  ['zh', 'ж'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['kh', 'х'],
  ['ts', 'ц'],
  ['yu', 'ю'],
  ['ya', 'я'],
  ['yo', 'ё'],
  ['ju', 'ю'],
  ['ja', 'я'],
  ['ye', 'е'],
  ['a', 'а'],
  ['b', 'б'],
  ['v', 'в'],
  ['w', 'в'],
  ['g', 'г'],
  ['d', 'д'],
  ['e', 'е'],
  ['z', 'з'],
  ['i', 'и'],
  ['k', 'к'],
  ['l', 'л'],
  ['m', 'м'],
  ['n', 'н'],
  ['o', 'о'],
  ['p', 'п'],
  ['r', 'р'],
  ['s', 'с'],
  ['t', 'т'],
  ['u', 'у'],
  ['f', 'ф'],
  ['h', 'х'],
  ['c', 'ц'],
  ['x', 'кс'],
  ['q', 'к'],
  ['j', 'й'],
];

/**
 * Reads a Latin word as Russian written in Latin letters ("chelovekom" → "человеком",
 * "dayte" → "дайте"); `y` is `й` after a vowel and `ы` elsewhere.
 */
export function transliterateToCyrillic(word: string): string {
  return spellInCyrillic(word, [TRANSLIT], (w, i, out) => {
    if (w[i] !== 'y' || /[auoe]/.test(w[i + 1] ?? '')) return undefined;
    // The last letter only: a regex anchored at `$` would rescan the word at every `y`.
    return 'аеёиоуыэюя'.includes(out.charAt(out.length - 1)) && out.length > 0 ? 'й' : 'ы';
  }).replace(/ё/g, 'е');
}

/**
 * Spells a Latin word in Cyrillic, left to right: at each position `special` may decide a one-letter
 * spelling, else the first table with a spelling that starts there gives it, else the letter stays.
 * Linear in the word (the tables are fixed).
 */
function spellInCyrillic(
  word: string,
  tables: ReadonlyArray<ReadonlyArray<[string, string]>>,
  special?: (w: string, i: number, out: string) => string | undefined,
): string {
  const w = word.toLowerCase();
  let out = '';
  let i = 0;
  while (i < w.length) {
    const one = special?.(w, i, out);
    if (one !== undefined) {
      out += one;
      i++;
      continue;
    }
    let pair: [string, string] | undefined;
    for (const table of tables) {
      pair = table.find(([lat]) => w.startsWith(lat, i));
      if (pair) break;
    }
    if (pair) {
      out += pair[1];
      i += pair[0].length;
    } else {
      out += w[i];
      i++;
    }
  }
  return out;
}

/**
 * Reads a Latin word as Ukrainian in Latin letters ("lyudynoyu" → "людиною", "pohovoryty" →
 * "поговорити"): `h` is `г`, `y` is `и`, `i` is `і`, `kh` is `х`.
 */
export function transliterateUkrainian(word: string): string {
  return spellInCyrillic(word, [UK_TRANSLIT, TRANSLIT]);
}
/** The Ukrainian spellings that differ from the Russian ones, tried first. */
const UK_TRANSLIT: [string, string][] = [
  ['shch', 'щ'],
  ['kh', 'х'],
  ['zh', 'ж'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['yi', 'ї'],
  ['ye', 'є'],
  ['yu', 'ю'],
  ['ya', 'я'],
  ['h', 'г'],
  ['y', 'и'],
  ['i', 'і'],
];

/** True for a Cyrillic word the detector has a class for: an entity, a request verb, want, live, please. */
function isIntentWord(w: string): boolean {
  return (
    (isEntity(w) && !/^(чел|челик)$/.test(w)) ||
    STRONG_CUE_STEM.test(w) ||
    STRONG_CUE_WORD.test(w) ||
    CALLBACK_CUE.test(w) ||
    WEAK_CUE.test(w) ||
    LIVE.test(w) ||
    ALIVE.test(w) ||
    PLEASE.test(w) ||
    BOT_FAILS.test(w) ||
    CONTACT_PAST_ANY.test(w) ||
    CALL_ME_VERB.test(w) ||
    /^(можно|мне|меня|чтобы|чтоб)$/.test(w)
  );
}

/**
 * Rewrites Russian typed in Latin letters ("mozhno s chelovekom pogovorit") into Cyrillic, word by
 * word, but only the words that then name an entity or a request cue and only in text with no
 * Cyrillic at all; English words ("connect", "person") have no such reading and stay as they are.
 */
function untransliterate(text: string): string {
  // In mixed text ("pls connect w/ chelovek, очень надо") only the words that read as Russian
  // intent words are converted, as in all-Latin text.
  let converted = 0;
  const read = text
    .replace(
      /\b(kto|kogo|kem|komu)-(nibud|to|libo)\b/gi,
      (_m, who: string, particle: string) =>
        `${transliterateToCyrillic(who)}-${transliterateToCyrillic(particle)}${particle.toLowerCase() === 'nibud' ? 'ь' : ''}`,
    )
    .replace(/[a-z]{4,}/gi, (word) => {
      // "operation" is English, not "оператион" → "оператор".
      if (isNotATypo(word)) return word;
      let cyr = correctWord(transliterateToCyrillic(word));
      // The soft sign is often left out: "pozvonit", "obsudit", "pust" are "позвонить", "обсудить", "пусть".
      if (!isIntentWord(cyr) && /т$/.test(cyr) && isIntentWord(`${cyr}ь`)) cyr = `${cyr}ь`;
      // Ukrainian typed in Latin letters reads "h" as "г" and "y" as "и" ("pohovoryty").
      const uk = isIntentWord(cyr) ? cyr : correctWord(transliterateUkrainian(word));
      if (!isIntentWord(uk)) return word;
      converted++;
      return uk;
    });
  // Short function words have English look-alikes ("s", "so"), so they are read as Russian only
  // beside a word already read as Russian: "ne nado operatora", "bot ne pomogaet".
  return converted === 0 ? read : read.replace(/\b(ne|ni|mne|bez|kto|s)\b/gi, (word) => transliterateToCyrillic(word));
}

/** Words that make a quoted phrase the caption of an interface element rather than the customer's words. */
const UI_ELEMENT = /(кнопк|надпис|виджет|пункт|меню|ссылк|button|label|widget|link|menu|option|caption)/i;
/** A short quoted phrase: opening quote after a space or start, closing quote before a non-letter. */
const QUOTED = /(^|[\s(:])[«"“'‘„][^«»"“”„\n]{1,60}?[»"”'’“](?=[^\p{L}]|$)/gu;

/**
 * Replaces quoted captions in a message about an interface element ("how to disable the 'talk to a
 * human' button", "кнопку «Позвать оператора»") by a placeholder: a caption names a feature, it is
 * not a request. Bounded: a quoted span is at most 60 characters.
 */
function withoutQuotedLabels(text: string): string {
  if (!UI_ELEMENT.test(text)) return text;
  return text.replace(QUOTED, '$1 qlabel ');
}

/**
 * Normalises text before tokenising: joins "кто-нибудь" and its kin into one word, keeps product
 * compounds of a bot word as one word ("робот-пылесос" is a vacuum cleaner, "бот-помощник" is a
 * bot), marks an entity followed by a symbol as a non-person sense ("оператор +" in search syntax),
 * splits other hyphenated words and reads Russian typed in Latin letters.
 */
export function prepareRequestText(cleanText: string): string {
  return (
    untransliterate(withoutQuotedLabels(cleanText))
      .replace(IN_CHARGE, '$1начальство')
      .replace(PERSON_COMPOUND, (m: string, lead: string, head: string, tail: string) =>
        isEntity(tail.toLowerCase()) ? m : `${lead}qproduct`,
      )
      .replace(/(^|\s)w\/(?=\s|\p{L})/giu, '$1with ')
      .replace(/\b(call centre|call center)\b/gi, 'call')
      .replace(/(^|[^\p{L}])(кто|кого|кому|кем|ком|хто|когось)-(нибудь|то|либо|небудь)(?![\p{L}])/giu, '$1$2$3')
      // "дайте кого нибудь": the particle written apart ("то" apart is too often a word of its own).
      .replace(/(^|[^\p{L}])(кто|кого|кому|кем|хто|когось)\s+(нибудь|либо|небудь)(?![\p{L}])/giu, '$1$2$3')
      .replace(
        /(^|[^\p{L}])(бот|робот|bot|robot)[-\s](пылесос|мойщик|газонокосилк|игрушк|конструктор|vacuum|mop|mower|toy|kit)/giu,
        '$1$2$3',
      )
      .replace(/(\p{L})\s*(?:[+*/=<>&|^%](?=\s|$)|[`"'«][^\p{L}\p{N}\s]+[`"'»])/gu, '$1 qsym ')
      .replace(/\b(talk|speak|chat|connect|transfer|get|go)\s+2\b/gi, '$1 to')
      .replace(/(\p{L})-(\p{L})/gu, '$1 $2')
  );
}

/**
 * The person in charge, said in a phrase rather than a noun: "whoever is in charge", "the person in
 * charge", "тот, кто принимает решения", "decision maker", "кто у вас главный?" (no noun after:
 * "кто у вас главный бухгалтер" asks about an accountant, "who is in charge of shipping" about a
 * duty). Rewritten to "начальство", a person word, so the usual rules (a verb, a want, standing
 * alone) decide. Bounded: fixed words with at most two fillers.
 */
const IN_CHARGE = new RegExp(
  [
    "(^|[^\\p{L}])(?:(?:whoever|whomever|someone|somebody|anyone|anybody|the person|a person|the one|the people)(?:'s| is| are)? in charge|decision[ -]?makers?",
    // "принимает" alone also takes payments and orders: only decisions make the boss.
    '(?:тот|того|тому|тем|той|тим|кого-то|someone|somebody|the person|the one|whoever)[\\s,]+(?:(?:кто|хто|who)\\s*)?(?:can |может |може |могут )?(?:(?:принимает|принимают|приймає|приймають|makes?|make)\\s+(?:решени\\p{L}*|рішенн?\\p{L}*|the decisions?|decisions?)|decides?|решает|вирішує)',
    "(?:who|кто|хто)(?:'s| is)? (?:(?:у вас|у нас|тут|здесь|там|here)(?: (?:тут|там|здесь))? )?(?:in charge(?: here| there| over there)?|главный|главная|главнее|старший|начальник|головний|старший|за главного)(?=\\s*(?:[?!.,;]|$)))",
  ].join('|'),
  'giu',
);
/**
 * "человек-паук", "людина-павук": a person word joined by a hyphen to a non-person word names a
 * character or a product; "человек-оператор" keeps its person.
 */
const PERSON_COMPOUND = /(^|[^\p{L}])(человек|людина|мастер)-(\p{L}+)/giu;

/** Sending: a request for a person only when the person is the one sent ("пришлите мастера"). */
const SEND = /^(пришлите|пришли|направьте|send)$/;
/**
 * The customers of the help desk's owner, plural: a sentence about them ("we want customers to
 * request a callback") configures the help desk rather than asks for a call.
 */
const THEIR_CUSTOMERS =
  /^(customers|clients|users|visitors|клиенты|клиентов|клиентам|клиентами|пользователи|пользователей|посетители|посетителей|клієнти|клієнтів)$/;
/** Third-person subjects: a want after them is someone else's ("он хотел", "they need"). */
const THIRD_PERSON = /^(он|она|они|оно|він|вона|вони|he|she|they|it)$/;
/** Asking what a word means: "what does escalation mean", "что такое эскалация". */
const DEFINITION = /(?<![\p{L}])(what (does|is)|what's|что (такое|значит|означает)|що (таке|означає))(?![\p{L}])/iu;

/** First-person objects: "мне", "со мной", "me", "us". */
const FIRST_PERSON = /^(мне|меня|мной|мені|мене|мною|нам|нас|нами|me|us)$/;
/** Second-person objects after a call verb make the customer the caller ("можно позвонить вам?"). */
const SECOND_PERSON = /^(вам|вас|вами|тебе|тобі|you|u)$/;
/** Imperatives and third-person futures of calling or contacting: "перезвоните", "хай зателефонує". */
const CALL_ME_VERB =
  /^(позвоните|позвони|перезвоните|перезвони|наберите|набери|свяжитесь|свяжись|зателефонуйте|подзвоніть|передзвоніть|зв'яжіться|звяжіться|позвонит|перезвонит|свяжется|наберет|зателефонує|передзвонить|подзвонить|зв'яжеться|позвонят|перезвонят|свяжутся|наберут|зателефонують|передзвонять|call|ring|phone|telephone|contact|reach)$/;
/** Infinitives of calling, which ask for a call after "прошу", "можете", "please". */
const CALL_ME_INFINITIVE = /^(позвонить|перезвонить|связаться|набрать|зателефонувати|передзвонити|подзвонити|зв'язатися)$/;
/** Words before an infinitive that make it a request to the company ("прошу перезвонить", "можете мне позвонить"). */
const ASK_BEFORE_INFINITIVE = /^(прошу|просим|просьба|можете|могли|сможете|может|попросить|попросите|please|pls|будь|ласка)$/;
/** Call verbs whose prefix already means "back to me": no object is needed ("прошу перезвонить"). */
const CALL_BACK_VERB = /^(перезвоните|перезвони|перезвонить|перезвонит|передзвоніть|передзвонити|передзвонить)$/;

/**
 * Asking to be called or contacted, with no person named: "перезвоните мне", "прошу перезвонить по
 * заявке", "хочу, чтобы мне позвонили", "хай мені зателефонує", "call me back", "contact me". Someone
 * has to make the call, so it is a request for a person. The customer calling the company ("можно
 * позвонить вам?", "how do I call you") is a question for the knowledge base, and a refusal ("не
 * звоните мне") is no request.
 */
function asksForCallback(ws: Word[], excludedParts: Set<number>): boolean {
  const tokens = ws.map((x) => x.w);
  const customerSentences = new Set(ws.filter((x) => THEIR_CUSTOMERS.test(x.w)).map((x) => x.sentence));
  return tokens.some((t, i) => {
    const prev = tokens[i - 1] ?? '';
    if (NEGATOR.test(prev) || excludedParts.has(ws[i]?.part ?? -1) || customerSentences.has(ws[i]?.sentence ?? -1)) return false;
    const clause = ws[i]?.clause;
    const near = (from: number, to: number): string[] =>
      ws
        .slice(Math.max(0, from), Math.max(0, to))
        .filter((x) => x.clause === clause)
        .map((x) => x.w);
    if (near(i + 1, i + 3).some((w) => SECOND_PERSON.test(w))) return false;
    const firstPerson = near(i - 3, i + 4).some((w) => FIRST_PERSON.test(w));
    if (/^(callback|call-back)$/.test(t) || (t === 'call' && tokens[i + 1] === 'back')) return true;
    // "жду звонка", "ждём обратной связи", "give me a call", "drop us a ring".
    if (/^(жду|ждем|чекаю)$/.test(t) && /^(звонка|звонок|обратного|обратной|дзвінка)$/.test(tokens[i + 1] ?? '')) return true;
    if (/^(give|drop)$/.test(t) && FIRST_PERSON.test(tokens[i + 1] ?? '') && /^(call|ring|callback)$/.test(tokens[i + 3] ?? ''))
      return true;
    if (CALL_ME_VERB.test(t)) {
      // "call/contact" only with "me/us" right after: "call centre", "contact form" are other things.
      // "call me Anna" introduces the customer.
      if (/^[a-z]+$/.test(t)) return FIRST_PERSON.test(tokens[i + 1] ?? '') && !(t === 'call' && ws[i + 2]?.capital);
      return firstPerson || CALL_BACK_VERB.test(t);
    }
    if (CALL_ME_INFINITIVE.test(t) && near(i - 3, i).some((w) => ASK_BEFORE_INFINITIVE.test(w))) {
      return firstPerson || CALL_BACK_VERB.test(t);
    }
    // "хочу, чтобы мне позвонили": a past form after "чтобы" with the customer as the one called.
    return CONTACT_PAST_ANY.test(t) && firstPerson && tokens.slice(Math.max(0, i - 4), i).some((w) => /^(чтобы|чтоб|щоб)$/.test(w));
  });
}
/** A cue word that asks for a call or contact ("свяжется", "перезвоните", "callback"), as opposed to a transfer. */
function isCallCue(t: string): boolean {
  return CALLBACK_CUE.test(t) || CALL_ME_VERB.test(t) || CONTACT_PAST.test(t) || CONTACT_PAST_ANY.test(t) || CALL_WORD.test(t);
}
/** Past forms of calling after "чтобы", any number: "чтобы мне позвонили", "щоб мені зателефонували". */
const CONTACT_PAST_ANY =
  /^(позвонил|позвонила|позвонили|перезвонил|перезвонила|перезвонили|связался|связалась|связались|зателефонували|передзвонили|набрали|набрал|набрала)$/;

/**
 * A short message that asks to talk and says nothing else: "talk", "I want talk", "хочу поговорить",
 * "можно пообщаться?". With a topic ("поговорить о скидке") or a refusal it is not read here.
 */
function asksToTalk(tokens: string[]): boolean {
  if (tokens.length > 6) return false;
  const talk = tokens.findIndex((t) => TALK.test(t));
  if (talk < 0 || NEGATOR.test(tokens[talk - 1] ?? '') || NEGATOR.test(tokens[talk - 2] ?? '')) return false;
  return tokens.every((t) => TALK.test(t) || WEAK_CUE.test(t) || FILLER.test(t) || NON_CONTENT.test(t) || TALK_GLUE.test(t));
}
const TALK = /^(talk|speak|поговорить|пообщаться|поговорити|поспілкуватися|розмовляти)$/;
const TALK_GLUE = /^(i|i'd|id|would|will|wanna|may|just|let|with|someone|somebody|хотелось|бы|хотел|хотела|хочу|хочется|можна|можно)$/;

/**
 * "who can I talk to?", "с кем можно поговорить?", "з ким можна поговорити?": asking whom to talk
 * to is asking for a person.
 * "who" must open the sentence's question, and the verb is to talk, not to pay or send.
 */
function asksWhomToTalk(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (!TALK.test(x.w)) return false;
    const before = ws
      .slice(Math.max(0, i - 4), i)
      .filter((y) => y.sentence === x.sentence)
      .map((y) => y.w);
    const after = ws
      .slice(i + 1, i + 4)
      .filter((y) => y.sentence === x.sentence)
      .map((y) => y.w);
    // "who can I talk to (about a refund)?" ends with the preposition; "who can I talk to my kids
    // about…" has another object.
    const objectAfter =
      /^(to|with)$/.test(after[0] ?? '') && after[1] !== undefined && !/^(about|regarding|re|for|here|now|please|pls)$/.test(after[1]);
    return (
      (before.some((w) => /^(who|whom)$/.test(w)) && !objectAfter) ||
      // "ни с кем" is nobody: "не хочу ни с кем говорить".
      /(^| )(?<!ни )(с|з|із) (кем|ким)( |$)/.test(`${before.join(' ')} ${x.w} ${after.join(' ')}`)
    );
  });
}

/**
 * "I want to speak with the head of the donation centre", "можно поговорить с хозяином питомника?",
 * "let me talk to the chef": wanting or being let to talk *with someone*, whoever that is. The
 * entity lexicon cannot list every trade a business has (пасечник, lead roofer, falconer), but the
 * shape says it: a talk verb after a wish, a modal or "let me" in its clause, then "with/to/с/з" and
 * the person. Not read: a topic ("talk about prices"), the customer's own people ("with my kids",
 * «с ребёнком», «з сусідом»), a pronoun ("talk to you/him"), a refusal, and how-to questions (the
 * caller checks those).
 */
function wantsToTalkWith(ws: Word[]): boolean {
  return ws.some((x, i) => {
    // "go" only as "go over (this) with": "go to the shop with my kids" is a trip.
    if (
      !TALK_WITH.test(x.w) ||
      (x.w === 'go' && ws[i + 1]?.w !== 'over') ||
      (x.w === 'sort' && !/^(out|this|it)$/.test(ws[i + 1]?.w ?? ''))
    )
      return false;
    const lead = ws.slice(Math.max(0, i - 4), i).filter((y) => y.clause === x.clause);
    if (!lead.some((y) => TALK_WISH.test(y.w)) || lead.some((y) => NEGATOR.test(y.w))) return false;
    // "talk it through with…", "обсудить детали с…": up to two words of what is talked over first;
    // verbs that take an object ("go over the setup with", "обсудить надпись непосредственно с") three words.
    const takesObject = DISCUSS.test(x.w);
    let p = i + 1;
    while (
      p < i + (takesObject ? 4 : 3) &&
      ws[p]?.clause === x.clause &&
      !/^(with|to|с|со|з|із)$/.test(ws[p]?.w ?? '') &&
      (takesObject ? !NEGATOR.test(ws[p]?.w ?? '') : TALKED_OVER.test(ws[p]?.w ?? ''))
    )
      p++;
    const prep = ws[p];
    if (!prep || prep.clause !== x.clause || !/^(with|to|с|со|з|із)$/.test(prep.w)) return false;
    // The person: the next word, or the one after an article or "your/ваш".
    let k = p + 1;
    while (ws[k] && /^(the|a|an|your|one|ваш|вашим|вашей|вашего|вашому|вашою|тем|тим|той)$/.test(ws[k]?.w ?? '')) k++;
    const person = ws[k];
    if (!person || person.clause !== x.clause) return false;
    return !NOT_A_PARTNER.test(person.w) && !(k === p + 1 && OWN_PEOPLE.test(person.w));
  });
}
/** Verbs of talking that take a partner ("поговорить с…", "speak to…"). */
/** Verbs of talking that take what is talked over as an object: "go over the setup with", "sort this out with". */
const DISCUSS = /^(go|sort|discuss|обсудить|обговорить|обговорити)$/;
/** What is talked over between the verb and its partner: "talk it through with", "обсудить детали с". */
const TALKED_OVER = /^(it|this|that|things|through|over|это|всё|все|детали|подробности|вопрос|нюансы)$/;
const TALK_WITH =
  /^(talk|speak|chat|go|sort|discuss|поговорить|пообщаться|переговорить|созвониться|связаться|встретиться|обсудить|обговорить|поговорити|поспілкуватися|порозмовляти|зв'язатися|звязатися|зустрітися)$/;
/** What in the lead makes it a wish to talk: wanting, a modal, "let me", "дайте". */
const TALK_WISH =
  /^(want|wanna|need|like|love|prefer|rather|would|i'd|id|can|could|may|let|хочу|хотел|хотела|хотелось|хочется|нужно|надо|можно|могу|дайте|дай|хочемо|можна|треба|потрібно|дозвольте)$/;
/** Not a person to be put through to: pronouns, topics, the customer's own circle. */
const NOT_A_PARTNER =
  /^(about|regarding|re|you|him|her|them|it|me|us|each|other|myself|вами|вас|тобой|ним|ней|ними|мной|нами|кем|ким|собой|вам|my|мой|моим|моей|моими|своим|своей|своими|моїм|моєю|своїм|своєю|ребёнком|ребенком|детьми|сыном|дочерью|дочкой|мужем|женой|мамой|папой|родителями|соседом|соседями|друзьями|другом|подругой|коллегами|коллегой|начальником|дитиною|дітьми|сином|донькою|чоловіком|дружиною|сусідом|сусідами|друзями|kids|children|child|son|daughter|husband|wife|parents|neighbour|neighbor|neighbours|neighbors|friends|friend|colleagues|coworkers|boss|team|family|people)$/;
/** Bare nouns of the customer's own people, read as theirs without "my": "talk to the kids" is not ours. */
const OWN_PEOPLE = /^(kids|children|family|friends)$/;

/**
 * A person or the support team that does not answer (now: a past "не перезвонил" is a story the
 * customer may only ask about): "консультант вообще не отвечает", "техподдержка
 * молчит", "the agent is not responding". The complaint needs a person. The person must be the
 * subject (nominative), so "клиент не отвечает оператору" (a help-desk story) is not read here, and
 * another sense ("оператор связи не отвечает") is set aside as for requests.
 */
function complainsOfSilence(tokens: string[], ws: Word[]): boolean {
  return tokens.some((t, i) => {
    if (!SILENT_SUBJECT.test(t) || QUALIFIER_AFTER.test(tokens[i + 1] ?? '') || QUALIFIER_BEFORE.test(tokens[i - 1] ?? '')) return false;
    const clause = ws[i]?.clause;
    const rest = ws
      .slice(i + 1, i + 7)
      .filter((x) => x.clause === clause)
      .map((x) => x.w);
    return rest.some(
      (w, k) => IGNORING.test(w) || (SILENT_VERB.test(w) && rest.slice(Math.max(0, k - 2), k).some((x) => SILENT_NEGATOR.test(x))),
    );
  });
}
const SILENT_SUBJECT =
  /^(оператор|операторы|человек|люди|менеджер|менеджеры|специалист|специалисты|сотрудник|сотрудники|консультант|консультанты|эксперт|эксперты|диспетчер|техподдержка|поддержка|саппорт|спец|представитель|инженер|оператори|підтримка|agent|agents|operator|operators|support|representative|rep|staff|someone|nobody|helpdesk|helpline)$/;
const SILENT_VERB =
  /^(отвечает|отвечают|берет|берут|перезванивает|перезванивают|реагирует|реагируют|выходит|выходят|відповідає|відповідають|responding|answering|replying|respond|answer|reply|responds|answers|replies|picking)$/;
const SILENT_NEGATOR = /^(не|ні|not|doesn't|doesnt|don't|dont|didn't|didnt|isn't|isnt|aren't|arent|hasn't|haven't|never)$/;
const IGNORING = /^(молчит|молчат|игнорирует|игнорируют|ігнорує|мовчить|ignoring|ignores|ignored)$/;

/**
 * Urgency with nothing else to go on: "this is urgent", "I need urgent assistance", "это срочно",
 * "нужна срочная помощь". A bot cannot act faster, so a person should. A question about urgent
 * delivery or about marking tickets urgent names no such need and is not read here.
 */
function isUrgent(text: string): boolean {
  return (
    hasUrgentClause(text) ||
    URGENT.some((re) => {
      const m = re.exec(text);
      // "это срочно?" asks whether it is urgent.
      return (
        m !== null &&
        text
          .slice(m.index + m[0].length)
          .trimStart()
          .charAt(0) !== '?'
      );
    })
  );
}
/** A whole clause that is only the alarm, with an intensifier at most. */
const URGENT_CLAUSE = /^(?:(?:очень|дуже|крайне|вельми|very|really|super|так|оч)\s*)?(?:срочно|терміново|urgent|urgently|asap)$/iu;
const CLAUSE_END = /[,.!?;\n]/g;
const BLANK_RUN = /\s*/y;

/**
 * A clause that is only the alarm ("Можно мне позвонить? Очень срочно", "…, very urgent!"), not
 * asked about ("срочно?"). Clauses are cut at their punctuation and each tested whole, so the work
 * is linear: one pattern finding the clause inside the text restarted at every line break and
 * rescanned the blank run after it («крайне» and 1,000 empty lines took 1.3 s, 4,000 over a minute).
 */
function hasUrgentClause(text: string): boolean {
  for (let start = 0; start <= text.length;) {
    CLAUSE_END.lastIndex = start;
    const end = CLAUSE_END.exec(text)?.index ?? text.length;
    if (text[end] !== '?' && URGENT_CLAUSE.test(text.slice(start, end).trim())) {
      // A line break may still lead to the question mark: "срочно\n?".
      BLANK_RUN.lastIndex = end;
      BLANK_RUN.exec(text);
      if (text[BLANK_RUN.lastIndex] !== '?') return true;
    }
    start = end + 1;
  }
  return false;
}

const URGENT: RegExp[] = [
  // "this is urgent" ends its clause or goes on with a plea; "this is urgent delivery?" names a service.
  /(?<![\p{L}])(this|it|that) ?(is|'s) (very |extremely |really |super |so |quite |most )?(urgent|an emergency)(?![\p{L}])(?!\s+(?!please|pls|help|asap|now)\p{L})/iu,
  /^[\s!.]*(urgent|urgently|asap|emergency|срочно|терміново)[\s!.]*$/iu,
  // "Emergency, my account was hacked", "Срочно! Не проходит оплата": a message opened by the alarm.
  /^\s*(urgent|emergency|срочно|терміново)\s*[,!:]/iu,
  /(?<![\p{L}])(urgent|urgently|immediate|emergency) (help|assistance|attention|support|resolution|fix|action|response)(?![\p{L}])/iu,
  /(?<![\p{L}])(need|needs|require) (help|assistance|support|a fix) (urgently|immediately|asap|right now)(?![\p{L}])/iu,
  /(?<![\p{L}])(это|дело|вопрос|ситуация) (очень |крайне |оч )?(срочно|срочное|срочный|срочная|экстренн\p{L}*)(?![\p{L}])/iu,
  /(?<![\p{L}])(нужна|нужно|требуется|потрібна|потрібно) (срочная|срочно|екстрена|термінова|терміново|экстренная) (помощь|допомога|помочь|помощ\p{L}*)(?![\p{L}])/iu,
  /(?<![\p{L}])(срочная|экстренная) помощь(?![\p{L}])/iu,
  /(?<![\p{L}])(срочно|терміново) (нужна|нужно|требуется|потрібна|потрібно) (помощь|допомога|помочь|допомогти)(?![\p{L}])/iu,
  /(?<![\p{L}])(це|справа) (дуже )?(терміново|термінова)(?![\p{L}])/iu,
];

/** The customer's words about an earlier contact that settle it: "всё решили", "уже помогли", "works now". */
const RESOLVED =
  /^(решил|решила|решили|решилось|решился|решилась|вирішилось|вирішили|решено|решен|решена|решены|исправили|исправлено|помог|помогла|помогли|помогло|работает|заработало|resolved|fixed|solved|works|worked|helped|sorted)$/;
/** "уже", "already": with a past verb and a person, the case is already in a person's hands. */
const ALREADY = /^(уже|вже|already)$/;

/**
 * A Russian infinitive: a verb named as an action on a person ("выписать человека"), not a request
 * addressed to anyone. Verbs of asking and telling ("спросить у оператора", "задать вопрос
 * специалисту") address the person, so they are not actions in this sense.
 */
const ACTION_INFINITIVE =
  /^(?!спрос|задат|задав|ответ|напис|спис|обрат|уточн|узна|пожал|проконсульт|посовет|объясн|рассказ)[а-яё]{3,}(ть|ти|чь|ться|тись)$/;

/** True for a word of any request-cue class (a request verb is not a mere action on a person). */
function isCueWord(w: string): boolean {
  return STRONG_CUE_STEM.test(w) || STRONG_CUE_WORD.test(w) || CALLBACK_CUE.test(w) || CALL_ME_INFINITIVE.test(w) || WEAK_CUE.test(w);
}

/**
 * Queueing for a person: "поставьте меня в очередь к оператору", "в чергу до консультанта", "put me
 * in the queue for an agent". The queue word before "к/до/for/to" is the cue.
 */
const QUEUE = /^(очередь|очереди|чергу|черга|черзі|queue)$/;
/**
 * Waiting for a person, said in the present: "жду оператора", "чекаю консультанта", "I've been
 * waiting 40 minutes for an agent". The person must follow within a few words of its clause.
 */
const WAITING = /^(жду|ждем|ожидаю|чекаю|чекаємо|waiting|awaiting)$/;
/**
 * The customer's own request repeated: "I asked for a person", "I requested an agent", "я же просил
 * оператора". Only with the customer as the one asking (a subject "я/I", or "же/уже" insisting).
 */
const ASKED = /^(asked|requested|просил|просила|просив|просили)$/;
/** Passive forms of putting through: "could I get transferred to someone", "be connected with". */
const PASSIVE_TRANSFER = /^(transferred|connected|escalated|switched|forwarded)$/;
/** A person called to the phone: "можно администратора к телефону?", "get the manager to the phone". */
const TO_THE_PHONE = /^(телефону|phone)$/;
/** English verbs of calling that may follow the person asked to call: "have someone call my wife". */
const CALL_VERB = /^(call|phone|ring|text|email|e-mail|message)$/;
/** People of the customer's own a call may be asked for: "call my wife", "phone my dad". */
const KIN =
  /^(wife|husband|mom|mum|mother|dad|father|son|daughter|parents|grandma|grandmother|grandpa|grandfather|partner|brother|sister|assistant)$/;
/**
 * Whether the words from `j` are the person a call is for: the customer ("call me back") or the
 * customer's own ("call her", "call my wife"). "call the office" or "call centre" are not.
 */
function callsAPerson(tokens: string[], j: number): boolean {
  const w = tokens[j] ?? '';
  if (/^(me|us|back|him|her|them)$/.test(w)) return true;
  return /^(my|our)$/.test(w) && KIN.test(tokens[j + 1] ?? '');
}
/** Owners, who own the business or someone else's thing. */
const OWNER = /^(owner|owners|владел\p{L}{2,4}|хозяин\p{L}{0,3}|хозяйк\p{L}{1,2}|власник\p{L}{0,2})$/u;
/** Things a third party owns: "владелец объявления/квартиры", "the owner of the listing/car". */
const OWNED_THING =
  /^(listing|ad|advert|account|car|vehicle|house|home|flat|apartment|property|dog|cat|pet|page|group|channel|site|website|domain|item|lot|объявления|квартиры|машины|авто|автомобиля|дома|собаки|кошки|аккаунта|страницы|группы|канала|сайта|лота|товара|участка)$/u;
/** The people in charge, who remain people before "of": "the owner of this company", "head of sales". */
const HEAD_OF = /^(начальство|руководство|owner|owners|director|directors|boss|manager|supervisor|head)$/;
/**
 * Thanks addressed to the bot ("спасибо роботу за…", "thank you robot for the 5th link"): customers
 * thank the program they are leaving, not the one that helped, so it does not make a person's name
 * in the message a story of thanks.
 */
const THANKS_TO_BOT =
  /(?:спасибо|благодарю|дякую|thank you|thanks)[\s,]{1,3}(?:бот\p{L}{0,2}|робот\p{L}{0,2}|автоответчик\p{L}{0,2}|bot|robot|chatbot)(?![\p{L}])/iu;
/** Asking to be given a person: "можно мне куратора?", "можна менеджера?", "can I have a manager?". */
const MAY_I = /^(можно|можна|have|get)$/;
/** Third persons as the receiver of "дать/give": "дать ей доступ" gives something to someone else. */
/** Things handed over to someone else: "передать бронь/сертификат/абонемент", "transfer my ticket". */
const THING_PASSED =
  /^(бронь|броню|бронирование|сертификат\p{L}{0,2}|абонемент\p{L}{0,2}|билет\p{L}{0,2}|управлени\p{L}{1,2}|права|владени\p{L}{1,2}|аккаунт\p{L}{0,2}|бонус\p{L}{0,2}|балл\p{L}{0,2}|booking|reservation|voucher|certificate|pass|membership|ownership|account)$/u;
/** What is given when access is: "дать доступ", "give access/permissions". */
const ACCESS_GIVEN = /^(доступ\p{L}{0,2}|права|прав|access|permission|permissions|rights)$/u;
/** Languages, after "speak": "do your staff speak Polish?". */
const LANGUAGE_NAME =
  /^(english|russian|ukrainian|polish|german|spanish|french|italian|portuguese|chinese|mandarin|japanese|korean|arabic|turkish|hebrew|hindi|dutch|czech|greek|finnish|swedish|kazakh|uzbek|armenian|georgian|sign|any|other|languages?)$/;
const GIVEN_TO_OTHER = /^(ей|ему|им|їй|йому|them|her|him)$/;
/** "chat" after these is a noun naming a feature: "the live chat", "online chat with agents". */
const CHAT_NOUN_BEFORE = /^(a|the|this|that|my|our|each|every|live|online|web|group|support|video|your)$/;
/**
 * "contact" as a noun: after an article, an adjective or a preposition ("possible contact with
 * someone", "in contact with") or before a noun it qualifies ("contact list", "contact data").
 */
const CONTACT_NOUN_BEFORE =
  /^(a|an|the|any|no|possible|close|direct|physical|in|into|of|had|has|have|recent|prior|personal|my|your|our|their|his|her)$/;
const CONTACT_NOUN_AFTER =
  /^(list|lists|data|form|forms|details|info|information|page|card|cards|group|groups|name|names|field|book|lens)$/;
/**
 * English verbs of putting through that take a person as their object: with a thing right after
 * ("connect gmail and twitter", "transfer contact data") they act on the thing.
 */
const TRANSITIVE_CUE = /^(connect|transfer|transfering|transferring|contact|reach)$/;
/** Words that may follow those verbs in a request: the customer, a preposition, an article, "please". */
const PERSON_OBJECT_LEAD =
  /^(me|us|you|u|with|to|through|thru|back|out|please|pls|plz|now|asap|someone|somebody|anyone|anybody|directly|immediately|right|one)$/;
/** True when the words after an English transitive cue name a person: "connect me", "contact the manager", "reach a real person". */
function personObjectAt(tokens: string[], k: number): boolean {
  const w = tokens[k] ?? '';
  if (w === '' || PERSON_OBJECT_LEAD.test(w) || isEntity(w) || isCustomerWord(w) || LIVE.test(w)) return true;
  const after = tokens[k + 1] ?? '';
  return /^(a|an|the|your|our|my)$/.test(w) && (isEntity(after) || isCustomerWord(after) || LIVE.test(after));
}
/** Contact nouns ask for contact only after a want, a wait or a booking verb ("хочу разговора с", "жду связи с"). */
const CONTACT_NOUN_LEAD =
  /^(жду|ждем|чекаю|book|schedule|arrange|request|appreciate|love|prefer|запишите|запиши|организуйте|организовать|устроить|назначить|назначьте|запланировать|give|дайте)$/;
/**
 * Inviting someone somewhere ("пригласить сотрудника на обучение", "invite a colleague to the
 * course") administers people; only the chat or the conversation as destination asks for a person.
 */
const INVITE = /^(пригласить|пригласите|пригласи|запросіть|запросити|invite)$/;
const INVITE_HERE = /^(чат|диалог|разговор|беседу|переписку|сюда|чату|розмову|сюди|chat|conversation|here)$/;
/** True when the invitation at `i` names a destination other than this conversation ("пригласить сотрудника на обучение"). */
function invitesElsewhere(tokens: string[], i: number): boolean {
  if (!INVITE.test(tokens[i] ?? '')) return false;
  const to = tokens.slice(i + 1, i + 5).findIndex((w) => /^(на|в|во|до|у|to|into|for)$/.test(w));
  return to >= 0 && !INVITE_HERE.test(tokens[i + to + 2] ?? '');
}
/** English verbs that address a person: a want of one of them ("I want to talk to someone") is a want of the person. */
const ADDRESS_VERB =
  /^(talk|speak|chat|ask|tell|discuss|consult|reach|contact|call|ring|phone|get|have|see|meet|be|complain|write|text|email|hear|connect|transfer|escalate|report|go|let)$/;
/** Speech verbs of a third party in the present: "Руководитель говорит, что…", "the manager says". */
const SPEECH_PRESENT = /^(говорит|пишет|утверждает|считает|каже|пише|стверджує|says|tells|claims|writes|thinks)$/;
/**
 * Determiners that make a person a third party picked out of many ("a specific person", "a certain
 * someone", "a particular person") and quantifiers that make people a crowd ("a lot of people").
 */
const THIRD_PARTY_DETERMINER =
  /^(specific|certain|particular|random|given|each|every|lot|lots|many|few|several|много|многих|несколько|кілька|багато)$/;

/**
 * Cues that ask for a person without a verb of putting through: queueing for one ("в очередь к
 * оператору"), waiting for one now ("чекаю оператора", "waiting for an agent"), the customer's own
 * request repeated ("I asked for a person"), a passive transfer ("get transferred to someone"), a
 * person called to the phone ("администратора к телефону") and asking to be given one ("можно мне
 * куратора?", "can I have a manager?"). Each needs the person close by in its clause.
 */
function isIndirectCue(ws: Word[], i: number): boolean {
  const t = ws[i]?.w ?? '';
  const prev = ws[i - 1]?.w ?? '';
  const next = ws[i + 1]?.w ?? '';
  const clause = ws[i]?.clause;
  const entityIn = (from: number, to: number): boolean =>
    ws.slice(Math.max(0, from), Math.max(0, to)).some((x) => x.clause === clause && isEntity(x.w));
  // "какая очередь к терапевту?" asks about the queue.
  if (QUEUE.test(t)) return /^(к|до|for|to)$/.test(next) && !/^(какая|какой|яка|який|what|which|how|long|big|большая|велика)$/.test(prev);
  if (WAITING.test(t)) return entityIn(i + 1, i + 7);
  if (ASKED.test(t)) {
    if (/^[a-z]/.test(t)) return /^(i|i've|ive|we|already|just)$/.test(prev) && next === 'for' && entityIn(i + 2, i + 5);
    return /^(я|же|уже|вже)$/.test(prev) && entityIn(i + 1, i + 3);
  }
  if (PASSIVE_TRANSFER.test(t)) return /^(get|be|been|being|getting)$/.test(prev);
  if (TO_THE_PHONE.test(t)) return (/^(к|до)$/.test(prev) || (prev === 'the' && ws[i - 2]?.w === 'to')) && entityIn(i - 4, i);
  if (MAY_I.test(t)) {
    // "can I have a manager?", but not "can I have multiple accounts" (a department word names a thing here).
    if (/^[a-z]/.test(t))
      return (
        prev === 'i' &&
        /^(can|could|may)$/.test(ws[i - 2]?.w ?? '') &&
        ws.slice(i + 1, i + 4).some((x) => x.clause === clause && isEntity(x.w) && (!isDepartment(x.w) || isBusinessRole(x.w)))
      );
    // "можно (мне) куратора?": the person next, not in the dative ("можно оператору написать?").
    const k = FIRST_PERSON.test(next) ? i + 2 : i + 1;
    const w = ws[k]?.w ?? '';
    // "можно врача на дом вызвать?" asks about a procedure: an infinitive after the person.
    const procedure = ws.slice(k + 1, k + 5).some((y) => y.clause === clause && ACTION_INFINITIVE.test(y.w) && !isCueWord(y.w));
    return ws[k]?.clause === clause && isEntity(w) && !/(у|ю|ам|ям|ому|ему|ові|еві)$/.test(w) && !procedure;
  }
  return false;
}

/** Words that may follow a vague person in a presence question: "anyone there?", "кто-нибудь живой?". */
const PRESENCE_FOLLOWER =
  /^(there|here|alive|available|online|real|live|who|that|to|with|from|of|at|around|now|please|pls|in|on|тут|здесь|там|есть|живой|живий|живые|живі|из|із|с|з|кто|хто|который|онлайн|сейчас|зараз|в|у|на|ли)$/;

/**
 * True when the want at `j` governs an action other than addressing someone: "I want to follow
 * someone", "I need to find a tweet from a person", "мне нужно зарегистрироваться",
 * "зарегистрироваться надо". "I want to talk to someone", "хочу спросить у оператора" address the
 * person and stay wants of the person.
 */
function wantsAnAction(ws: Word[], j: number): boolean {
  const clause = ws[j]?.clause;
  const at = (k: number): string => (ws[k]?.clause === clause ? (ws[k]?.w ?? '') : '');
  // "I'd like it to be a secret": a want of a thing.
  if (/^(it|this|that|them|these|those)$/.test(at(j + 1))) return true;
  if (at(j + 1) === 'to') {
    const verb = at(j + 2);
    return /^[a-z]+$/.test(verb) && !ADDRESS_VERB.test(verb) && !isEntity(verb) && !/^(a|an|the|some|any)$/.test(verb);
  }
  const tokens = ws.map((x) => x.w);
  const isAction = (w: string, k: number): boolean =>
    (ACTION_INFINITIVE.test(w) && !isCueWord(w) && !/^(помочь|допомогти|разобраться|розібратися)$/.test(w)) || invitesElsewhere(tokens, k);
  // "мне нужно пригласить", "нужно будет зарегистрироваться": skip the customer and fillers.
  let k = j + 1;
  while (k <= j + 3 && /^(мне|мені|нам|бы|будет|буде|срочно|очень|дуже|ещё|еще|просто)$/.test(at(k))) k++;
  return isAction(at(k), k) || isAction(at(j - 1), j - 1);
}

/** Asking whether something is needed: "do I need to", "нужно ли", "чи треба". */
const NEED_QUESTION =
  /(^| )(do|does|will|would) (i|we|one|you) (need|have) to( |$)|(^| )(нужно|надо|необходимо|обязательно|треба|потрібно) ли( |$)|(^| )чи (треба|потрібно|обов'язково)( |$)|(^| )(should|must) (i|we)( |$)/;
/** Verbs of helping asked for: "помочь", "помогите", "допоможіть", "help", "assist". */
const HELP_VERB = /^(помочь|помогите|помоги|поможет|помогут|допомогти|допоможіть|допоможе|help|assist)$/;
/** What may follow the help verb in a plea: the customer, "please", a topic ("с заказом", "with my order"). */
const HELP_OBJECT =
  /^(мне|нам|меня|мені|нам|me|us|please|pls|пожалуйста|будь|лично|personally|особисто|с|со|з|with|разобраться|розібратися|here|out|today|now|сейчас|зараз)$/;
/** Asking, not telling: a modal or a conditional ("не мог бы", "может", "can", "could") before the help verb. */
const ASKING_MODAL = /^(мог|могла|могли|может|можете|сможет|сможете|можна|можно|міг|могла|може|можете|зможе|can|could|would|will|may)$/;

/**
 * True when the person at `i` is asked for help in its clause: "кто-нибудь из сотрудников может
 * мне помочь?", "could one of your staff help me", "помогите, специалист". The help verb must be
 * imperative or follow a modal of asking, within the clause.
 */
function asksHelpOf(ws: Word[], i: number): boolean {
  const clause = ws[i]?.clause;
  for (let j = Math.max(0, i - 6); j <= Math.min(ws.length - 1, i + 6); j++) {
    const x = ws[j];
    if (!x || x.clause !== clause || !HELP_VERB.test(x.w)) continue;
    // "помочь подобрать плитку", "help load the car": help with a task asks whether a service exists.
    const after = ws[j + 1]?.clause === clause ? (ws[j + 1]?.w ?? '') : '';
    if (after !== '' && !HELP_OBJECT.test(after)) continue;
    // "help me reset my password", "помочь мне восстановить пароль": a task again.
    const then = FIRST_PERSON.test(after) && ws[j + 2]?.clause === clause ? (ws[j + 2]?.w ?? '') : '';
    if (then !== '' && !HELP_OBJECT.test(then)) continue;
    if (/^(помогите|помоги|допоможіть)$/.test(x.w)) return true;
    if (ws.slice(Math.max(0, Math.min(i, j) - 5), j).some((y) => y.clause === clause && ASKING_MODAL.test(y.w))) return true;
  }
  return false;
}

/** Verbs of putting through, which need no person named: one can only be put through to a person. */
const PUT_THROUGH = /^(соедин|соеден|переключ|перевед|перевест|переведі|з'єдна|зєдна|пiдключ|connect|transfer|put)/;
/** Words that may stand around such a verb in a bare request: modals, "please", "through". */
const PUT_THROUGH_GLUE =
  /^(можете|можно|можна|могли|бы|можеш|можешь|can|could|would|will|you|u|please|pls|plz|through|thru|now|asap|just|пожалуйста|будь|ласка|скорее|срочно|уже|ну|ли)$/;

/**
 * "Can you transfer me?", "Could you connect me please?", "можете перевести меня?", "Можно
 * соединить?": a verb of putting through with the customer as its object and nothing after it in
 * its clause (a destination — "переведите меня на другой тариф", "connect me to wifi" — is another
 * sense), or alone in a short message.
 */
function asksToBePutThrough(ws: Word[], excludedParts: Set<number>): boolean {
  return ws.some((x, i) => {
    if (!PUT_THROUGH.test(x.w) || NOMINAL.test(x.w) || excludedParts.has(x.part)) return false;
    // "не переводите меня", "no need to transfer me": a refusal within the clause.
    if (ws.slice(Math.max(0, i - 3), i).some((y) => y.clause === x.clause && NEGATOR.test(y.w))) return false;
    if (x.w === 'put' && !/^(through|thru)$/.test(ws[i + 2]?.w ?? '')) return false;
    // Bounded: a clause that goes on past a few words is no bare request.
    if (ws[i + 6]?.clause === x.clause) return false;
    const rest = ws.slice(i + 1, i + 6).filter((y) => y.clause === x.clause);
    const object = rest.findIndex((y) => FIRST_PERSON.test(y.w));
    const after = object >= 0 && object <= 1 ? rest.slice(object + 1) : object < 0 && ws.length <= 4 ? rest : undefined;
    return after !== undefined && after.every((y) => PUT_THROUGH_GLUE.test(y.w) || FILLER.test(y.w));
  });
}

/** Second-person pronouns: "вы", "ви", "you". */
const YOU = /^(вы|ви|ты|ти|you|u)$/;
/** Alive, said of people: "вы там живые?", "are you guys alive?". */
const ALIVE_PLAIN = /^(живые|живы|живі|живой|живий|жива|alive)$/;
/** What may close a presence check after "alive": "вообще", "ещё", "at all", "or not". */
const ALIVE_TAIL = /^(вообще|взагалі|ещё|еще|ще|хоть|at|all|or|not|или|нет|ні|чи|там|тут|guys|there)$/;

/**
 * "вы там живые?", "ви там живі взагалі?", "you guys alive?": the customer asks whether the
 * company's people are there at all. "Alive" must close its clause (a noun after it, as in "вы там
 * живые цветы продаёте?", names goods).
 */
function asksIfYouAreAlive(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (!YOU.test(x.w)) return false;
    for (let k = i + 1; k <= Math.min(ws.length - 1, i + 3); k++) {
      const y = ws[k];
      if (!y || y.clause !== x.clause) return false;
      if (!ALIVE_PLAIN.test(y.w)) continue;
      const after = ws[k + 1];
      return !after || after.clause !== x.clause || ALIVE_TAIL.test(after.w);
    }
    return false;
  });
}

/** The words a bare presence check is made of: "Ало. Есть кто?", "кто-нибудь тут есть?", "anybody here?". */
const BARE_PRESENCE_WORD =
  /^(есть|є|кто|хто|ктонибудь|ктото|хтось|хтонебудь|тут|там|здесь|живой|живые|живі|ау|алло|ало|эй|ну|ли|вообще|взагалі|anyone|anybody|there|here|is|hello|hey)$/;
const WHO_WORD = /^(кто|хто|ктонибудь|ктото|хтось|хтонебудь|anyone|anybody)$/;

/**
 * A sentence made only of presence words with a "who" in it: "Есть кто", "есть кто тут?". Any other
 * word ("есть кто из Москвы?", "есть кто говорит по-английски?") makes it a question about people.
 */
function isBarePresenceCheck(ws: Word[], sentences: Map<number, number[]>): boolean {
  for (const members of sentences.values()) {
    if (members.length < 2 || members.length > 5) continue;
    const w = members.map((j) => ws[j]?.w ?? '');
    if (w.every((t) => BARE_PRESENCE_WORD.test(t)) && w.some((t) => WHO_WORD.test(t)) && w.some((t) => PRESENCE.test(t))) return true;
  }
  return false;
}

/** Future verbs of a person reaching or attending to the customer: "до меня кто-нибудь доберётся?". */
const REACH_ME_VERB =
  /^(доберется|доберётся|доберуться|доберутся|ответит|ответят|займется|займётся|займеться|відповість|дістанеться|перезвонит)$/;

/** "До меня кто-нибудь из людей доберётся?": a vague person asked to reach the customer. */
function asksWhoWillReachMe(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (!REACH_ME_VERB.test(x.w)) return false;
    const near = ws.slice(Math.max(0, i - 6), i + 4).filter((y) => y.clause === x.clause);
    return near.some((y) => isWeakEntity(y.w)) && near.some((y) => FIRST_PERSON.test(y.w));
  });
}

/** Imperatives of fetching: "Get your supervisor", "bring me a manager", "find me a human". */
const FETCH = /^(get|fetch|bring|find)$/;
const FETCH_GLUE = /^(me|us|your|the|a|an|a|real|actual|live|please|pls|some)$/;

/**
 * A sentence opened by a verb of fetching whose object is a person and nothing more: "Get your
 * supervisor. Now.", "Find me a real person". A noun after the person ("get staff discount",
 * "get a manager account") makes the person a qualifier.
 */
function fetchesAPerson(ws: Word[], adminSentences: Set<number> = new Set()): boolean {
  return ws.some((x, i) => {
    if (!FETCH.test(x.w) || ws[i - 1]?.sentence === x.sentence || adminSentences.has(x.sentence)) return false;
    let k = i + 1;
    while (k <= i + 3 && FETCH_GLUE.test(ws[k]?.w ?? '') && ws[k]?.clause === x.clause) k++;
    const person = ws[k];
    if (!person || person.clause !== x.clause || !isEntity(person.w) || isWeakEntity(person.w)) return false;
    const after = ws[k + 1];
    return !after || after.clause !== x.clause || PLEASE.test(after.w) || /^(here|now|on|over|in)$/.test(after.w);
  });
}

/** A live chat as a destination: "transfer to live chat", "переведите в живой чат". */
function asksForLiveChat(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (!/^(chat|чат)$/.test(x.w) || !/^(live|human|живой|живий)$/.test(ws[i - 1]?.w ?? '')) return false;
    const lead = ws.slice(Math.max(0, i - 5), i - 1).filter((y) => y.clause === x.clause);
    const to = lead.findIndex((y) => /^(to|into|на|в|до)$/.test(y.w));
    return to > 0 && lead.slice(0, to).some((y) => PUT_THROUGH.test(y.w) || /^(go|back|switch|move)$/.test(y.w));
  });
}

/** Roles named only here: nursing, cashiers, reception, kindergarten, crews (бригадир, foreman), camps. */
const EXTRA_ROLE =
  /^(медсестр\p{L}{0,2}|главврач\p{L}{0,2}|приёмщик\p{L}{0,2}|приемщик\p{L}{0,2}|кассир\p{L}{0,2}|воспитател\p{L}{0,3}|вихователь\p{L}{0,3}|бригадир\p{L}{0,3}|прораб\p{L}{0,3}|вожат\p{L}{1,3}|продавц\p{L}{0,2}|продавец|продавщиц\p{L}{0,2}|окулист\p{L}{0,2}|офтальмолог\p{L}{0,2}|оптометрист\p{L}{0,2}|установщик\p{L}{0,2}|монтажник\p{L}{0,2}|преподавател\p{L}{0,3}|викладач\p{L}{0,2}|учител\p{L}{0,3}|библиотекар\p{L}{0,2}|мастер|мастера|мастеру|мастером|дежурный|дежурного|дежурному|дежурным|хозяин\p{L}{0,3}|хозяйк\p{L}{1,2}|владельц\p{L}{1,2}|владелец|власник\p{L}{0,2}|cashier|receptionist|foreman|forewoman|supervisor|librarian|optician|optometrist|installer|seller|salesperson|salesman|saleswoman|developer|dev|devs)$/u;
/**
 * The customer proposes to talk by phone instead of writing: "давайте лучше созвонимся", "давайте
 * обсудим по телефону", "по телефону было бы гораздо проще", "can we jump on a call", "I'd rather
 * discuss this by phone". Fixed phrases a few words long, so the match is linear.
 */
const CALL_PROPOSAL = new RegExp(
  [
    "(?:^|[^\\p{L}])(?:давайте|давай|let's|lets|can we|could we|shall we)\\s+(?:лучше\\s+|просто\\s+|just\\s+|quickly\\s+)?(?:созвонимся|созвониться|созвон|поговорим по телефону|обсудим(?:\\s+(?:это|всё|все))?\\s+(?:по телефону|голосом)|(?:jump|hop|get|have|do|schedule|set up) (?:on )?a (?:quick |short )?call|talk (?:on|by|over) the phone)(?!\\s+(?:with|с|со)\\s+(?!you\\b|your\\b|someone\\b|somebody\\b|one of\\b|вами|вашим|вашей|кем))",
    '(?:^|[^\\p{L}])по телефону (?:было бы|будет|было б)\\s+(?:гораздо |намного |куда |значительно )?(?:проще|удобнее|быстрее)',
    "(?:^|[^\\p{L}])(?:i'd|i would|we'd|we would) (?:rather|prefer to) (?:discuss|talk about|go over|go through) (?:this|it|that|things|the details)(?: [a-z]+){0,3} (?:by|on the|over the) phone",
  ].join('|'),
  'iu',
);
function proposesACall(prepared: string): boolean {
  return CALL_PROPOSAL.test(prepared);
}

/** Words that ask for a meeting: a want, a modal, a booking. */
const MEETING_ASKED =
  /^(хочу|хотела|хотел|хотим|хотели|хотелось|можно|можна|прошу|просим|записаться|запишите|организуйте|назначьте|договориться|want|like|love|could|can|please|ask|request|arrange|book|schedule|хочемо)$/;
/** Past forms that tell of a meeting rather than ask for one: "went well", "had a meeting", "была встреча". */
const MEETING_PAST = /^(had|went|held|attended|met|была|был|было|прошла|прошло|состоялась)$/;
/** Meeting words that, before a person of the business, ask to meet them: "встретиться с преподавателем", "meet your production manager". */
const MEET = /^(встретиться|встретится|встречу|встреча|встречи|зустрітися|зустріч|зустрічі|meet|meeting)$/;
/**
 * A meeting with a person of the business asked for: "хотела бы встретиться с его будущим
 * преподавателем", "записаться на личную встречу с вашим консультантом", "meet your production
 * manager in person". The person follows the meeting word within five words of its clause; a
 * negated one ("не нужна встреча с менеджером", "встреча с менеджером не нужна") is no request.
 */
function asksToMeet(ws: Word[], negated: (i: number) => boolean): boolean {
  return ws.some((x, i) => {
    if (!MEET.test(x.w) || negated(i)) return false;
    // Asked for: "хотела бы встретиться", "можно записаться на встречу", "we'd like to meet"; "Is the
    // meeting with the coach included in the price?" asks about it.
    if (!ws.some((y) => y.sentence === x.sentence && MEETING_ASKED.test(y.w))) return false;
    // "Встреча с менеджером не нужна": a negation anywhere in the meeting's clause refuses it.
    if (ws.some((y) => y.clause === x.clause && NEGATOR.test(y.w))) return false;
    // "The meeting with the manager went well", "Вчера была встреча с куратором": a meeting told of.
    if (ws.some((y) => y.sentence === x.sentence && (isPastForm(y.w) || MEETING_PAST.test(y.w)))) return false;
    return ws.slice(i + 1, i + 6).some((y) => y.clause === x.clause && (isRolePerson(y.w) || isWeakEntity(y.w)));
  });
}

/** A person of the business, any class: for the role-need and role-action classes. */
function isRolePerson(t: string): boolean {
  return EXTRA_ROLE.test(t) || (isEntity(t) && !isWeakEntity(t)) || t === 'мастер' || t === 'мастера';
}
/** Modifiers of a role: "старшая медсестра", "дежурный администратор", "the duty manager", "service manager". */
const ROLE_MODIFIER =
  /^(старш\p{L}{1,3}|главн\p{L}{1,3}|дежурн\p{L}{1,3}|черговий|черговий|чергов\p{L}{1,3}|нормальн\p{L}{1,3}|живо\p{L}{1,2}|duty|on-duty|senior|head|service|shift|real|proper|the|a|an|your|ваш\p{L}{0,3})$/u;
/** Needing now: "нужен", "потрібен", "need". */
const NEED_NOW = /^(нужен|нужна|нужны|надо|потрібен|потрібна|потрібні|need|needed)$/;
/** What may close a role asked for: "прямо сейчас", "NOW", "или главврач", "по гарантии" (see below). */
const ROLE_TAIL =
  /^(или|или|або|чи|or|and|и|та|прямо|сейчас|срочно|зараз|терміново|now|asap|right|immediately|немедленно|please|pls|пожалуйста|тут|here|мне|мені|me)$/;
/** A service sought, which the knowledge base answers: prices, visits, appointments. */
const SERVICE_SOUGHT =
  /(сколько|стоит|стоимост|цена|цену|price|cost|how much|выезд|на дом|вызов|do you (have|offer|provide)|у вас есть|есть ли|вы делаете|записат|запис|appointment|book|репетитор|tutor)/i;
/** The customer waves the bot's answer away: "повторяю", "зачем мне этот ответ", "не статья". */
const ANSWER_REFUSED =
  /(повторяю|повторюю|i repeat|зачем мне (этот|эта|эти)|не (статья|статьи|ссылка|ссылку|стаття|статтю)|not an? (article|link))/i;

/**
 * A role of the business needed now, the clause being little more than the role: "Мне нужен
 * ветеринар прямо сейчас", "Потрібен лікар", "I need a pharmacist or vet NOW", "нужна старшая
 * медсестра или главврач". A topic after the role ("нужен мастер-приёмщик по гарантии") counts only
 * when the customer also waves the bot's answer away. A service sought ("нужен репетитор, сколько
 * стоит?", "нужен врач на дом") is a question.
 */
function needsARoleNow(ws: Word[], text: string): boolean {
  if (SERVICE_SOUGHT.test(text)) return false;
  return ws.some((x, i) => {
    if (!NEED_NOW.test(x.w) || NEGATOR.test(ws[i - 1]?.w ?? '')) return false;
    const rest = ws.slice(i + 1, i + 9).filter((y) => y.clause === x.clause);
    if (!rest.some((y) => isRolePerson(y.w))) return false;
    // Waving the bot's article away for a role ("нужен врач лаборатории, а не статья") wants the
    // person whatever topic follows the role.
    if (ANSWER_REFUSED.test(text)) return true;
    let topic = 0;
    for (const y of rest) {
      if (isRolePerson(y.w) || ROLE_MODIFIER.test(y.w) || ROLE_TAIL.test(y.w) || /^(i|a|an)$/.test(y.w)) continue;
      if (y.w === 'по' && topic === 0) topic = 1;
      else if (topic === 1) topic = 2;
      else return false;
    }
    return topic === 0 || ANSWER_REFUSED.test(text);
  });
}

/** Verbs of a person coming or calling: "подойти", "підійти", "come", "позвонит". */
const COME_OR_CALL =
  /^(подойти|подойдет|подойдёт|підійти|підійде|прийти|придет|придёт|прийде|come|позвонит|перезвонит|зателефонує|подзвонить|передзвонить|свяжется|зв'яжеться)$/;
/** Words that ask a person to act: "пусть", "хай", "может", "чи може", "could", "can". */
const ASK_ROLE = /^(пусть|пускай|хай|нехай|может|можете|сможет|може|зможе|could|can|would|will)$/;
/** Where a person on duty is asked for: "Где дежурный администратор?". */
const ON_DUTY = /^(дежурн\p{L}{1,3}|чергов\p{L}{1,3}|duty|on-duty)$/u;

/**
 * A person of the business asked to come or call: "пусть позвонит воспитатель", "Чи може
 * адміністратор підійти?", "Could the duty manager come up?"; and a person on duty asked for ("Где
 * дежурный администратор?"). Each within a clause and a few words.
 */
function asksRoleToCome(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (/^(где|де|where)$/.test(x.w)) {
      const rest = ws.slice(i + 1, i + 4).filter((y) => y.clause === x.clause);
      return rest.some((y) => ON_DUTY.test(y.w)) && rest.some((y) => isRolePerson(y.w));
    }
    if (!COME_OR_CALL.test(x.w)) return false;
    const near = ws.slice(Math.max(0, i - 5), i + 4).filter((y) => y.clause === x.clause);
    return near.some((y) => ASK_ROLE.test(y.w)) && near.some((y) => isRolePerson(y.w) && !EXCLUDED_ROLE.test(y.w));
  });
}
/** People who are not the company's: "my husband", "a courier" are not in the classes above anyway; these are. */
const EXCLUDED_ROLE = /^(people|staff|person|human|humans|someone|somebody)$/;

/** Passive verbs of handling: "handled by", "reviewed by", "looked at by". */
const HANDLED = /^(handled|reviewed|checked|escalated|seen|looked|dealt|assessed|investigated)$/;

/**
 * A want of the matter handled by a person: "I want this handled by the service manager", "please
 * have it reviewed by a human". A past passive ("was reviewed by a manager") is a story: a want, a
 * "have" or "please" must lead.
 */
function wantsHandledBy(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (!HANDLED.test(x.w)) return false;
    const by = ws.slice(i + 1, i + 3).findIndex((y) => y.w === 'by');
    if (by < 0) return false;
    const after = ws.slice(i + 2 + by, i + 6 + by).filter((y) => y.clause === x.clause);
    const lead = ws.slice(Math.max(0, i - 4), i).filter((y) => y.clause === x.clause);
    return after.some((y) => isRolePerson(y.w)) && lead.some((y) => /^(want|need|like|i'd|have|get|please|pls)$/.test(y.w));
  });
}

/** "отдайте", "віддайте": giving the case to a person ("отдайте нормальному сотруднику"). */
const HAND_OVER = /^(отдайте|отдай|віддайте|віддай|отдать|віддати)$/;
/** Taking the case from the bot: "заберите у бота мой тикет", "take it away from the bot". */
const TAKE_AWAY = /^(заберите|забери|заберіть|take)$/;

/** The case handed to a person or taken from the bot: "отдайте нормальному сотруднику", "заберите у бота". */
function handsCaseToPerson(ws: Word[]): boolean {
  return ws.some((x, i) => {
    const after = ws.slice(i + 1, i + 5).filter((y) => y.clause === x.clause);
    if (HAND_OVER.test(x.w)) return after.some((y) => isRolePerson(y.w));
    if (TAKE_AWAY.test(x.w)) return after.some((y, k) => BOT.test(y.w) && /^(у|від|from)$/.test(after[k - 1]?.w ?? ''));
    return false;
  });
}

/** Doing by hand: "руками", "вручную", "manually". */
const MANUALLY = /^(руками|вручную|вручну|manually)$/;

/** "Мне надо, чтобы кто-то нашёл мой заказ руками": a want of a person doing it by hand. */
function wantsSomeoneManually(ws: Word[], weakAt: number[]): boolean {
  // Sentence sets computed once, so the check stays linear in the message.
  const vague = new Set(ws.filter((y) => isWeakEntity(y.w)).map((y) => y.sentence));
  const wanted = new Set(weakAt.map((j) => ws[j]?.sentence ?? -1));
  return ws.some((x) => MANUALLY.test(x.w) && vague.has(x.sentence) && wanted.has(x.sentence));
}

/** Verbs a capable person is wanted for: "someone who can actually look at my account". */
const CAPABLE_RELATIVE =
  /^(who|that|кто|который|которая|хто|який|яка) (can|could|will|may|might|может|сможет|могли|може|зможе)( actually| really| реально| действительно| справді)? (help|assist|look|check|fix|sort|see|посмотреть|проверить|разобраться|подивитися|перевірити|розібратися|помочь|допомогти)/;

/**
 * A vague person wanted as someone able to act, opening its clause or right after a want: "someone
 * who can actually look at my account please", "нужен кто-то, кто может разобраться". "add someone
 * who can approve" acts on the person and is not read.
 */
function wantsCapablePerson(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (
      !isWeakEntity(x.w) ||
      !CAPABLE_RELATIVE.test(
        ws
          .slice(i + 1, i + 6)
          .map((y) => y.w)
          .join(' '),
      )
    )
      return false;
    const prev = ws[i - 1];
    return !prev || prev.clause !== x.clause || NEED_NOW.test(prev.w) || WEAK_CUE.test(prev.w) || PLEASE.test(prev.w);
  });
}

/** Call nouns: "a call from your staff", "звонок от менеджера". */
const CALL_NOUN = /^(call|callback|call-back|звонок|звонка|дзвінок|дзвінка)$/;
const CALL_NOUN_LEAD =
  /^(arrange|like|want|need|request|schedule|book|get|please|kindly|хочу|прошу|жду|организуйте|закажите|поставьте|назначьте|запланируйте|чекаю)$/;

/** "arrange a call from your staff", "I'd like a call from your compliance team": a call from the company's people. */
function asksCallFrom(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (!CALL_NOUN.test(x.w)) return false;
    const from = ws[i + 1]?.w ?? '';
    if (!/^(from|от|від)$/.test(from)) return false;
    const after = ws.slice(i + 2, i + 6).filter((y) => y.clause === x.clause);
    const lead = ws.slice(Math.max(0, i - 4), i).filter((y) => y.clause === x.clause);
    return after.some((y) => isEntity(y.w) || EXTRA_ROLE.test(y.w)) && lead.some((y) => CALL_NOUN_LEAD.test(y.w));
  });
}

/** Infinitives of calling after a modal: "может мне кто-нибудь позвонить?". */
const CALL_INF = /^(позвонить|перезвонить|зателефонувати|подзвонити|передзвонити|call)$/;

/**
 * A vague person asked to call the customer: "может мне кто-нибудь позвонить?", "can someone call
 * me?". Without the customer as object ("может ли кто-нибудь позвонить с моего номера?") it asks
 * about a procedure.
 */
function asksSomeoneToCall(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (CALL_PAST.test(x.w)) return wantsSomeoneToHaveCalled(ws, i);
    if (!CALL_INF.test(x.w)) return false;
    const near = ws.slice(Math.max(0, i - 4), i + 2).filter((y) => y.clause === x.clause);
    return (
      near.some((y) => ASKING_MODAL.test(y.w)) &&
      near.some((y) => isWeakEntity(y.w)) &&
      near.some((y) => FIRST_PERSON.test(y.w)) &&
      !near.some((y) => /^(ли|чи)$/.test(y.w))
    );
  });
}

/** Past forms of calling, which follow "чтобы/щоб": "чтобы мне кто-нибудь позвонил". */
const CALL_PAST =
  /^(позвонил|перезвонил|позвонила|перезвонила|подзвонив|зателефонував|передзвонив|подзвонила|зателефонувала|передзвонила)$/;

/**
 * "Можна, щоб мені хтось подзвонив?", "хочу, чтобы мне кто-нибудь перезвонил": a vague person wished
 * to call the customer. A negation in the window ("чтобы мне никто не звонил") wants no call.
 */
function wantsSomeoneToHaveCalled(ws: Word[], i: number): boolean {
  const near = ws.slice(Math.max(0, i - 4), i + 1).filter((y) => y.clause === ws[i]?.clause);
  return (
    near.some((y) => /^(чтобы|чтоб|щоб|щоби|аби)$/.test(y.w)) &&
    near.some((y) => isWeakEntity(y.w)) &&
    near.some((y) => FIRST_PERSON.test(y.w)) &&
    !near.some((y) => NEGATOR.test(y.w))
  );
}

/** A relative in the dative with no "my": "позвоните маме", "подзвоніть татові" — the customer's own. */
const KIN_DATIVE =
  /^(маме|мамі|папе|татові|тату|отцу|матери|мужу|чоловікові|чоловіку|жене|дружині|сыну|сину|дочери|дочке|доньці|бабушке|бабусі|дедушке|дідусеві|дідусю|брату|братові|сестре|сестрі)$/;

/**
 * "Можете позвонить моему мужу?", "please call my wife", "позвоните маме": staff asked to call
 * someone of the customer's. An infinitive without an asking word ("как позвонить маме?") is no request.
 */
function asksToCallMyPerson(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (!CALL_ME_INFINITIVE.test(x.w) && !/^(позвоните|наберите|зателефонуйте|подзвоніть|call)$/.test(x.w)) return false;
    const before = ws[i - 1]?.w ?? '';
    const imperative = !CALL_ME_INFINITIVE.test(x.w) && x.w !== 'call';
    const asked = imperative || ASK_BEFORE_INFINITIVE.test(before) || (x.w === 'call' && /^(please|pls|you)$/.test(before));
    // "Позвоните, пожалуйста, бабушке": a "please" between the verb and the person, commas and all.
    const k = PLEASE.test(ws[i + 1]?.w ?? '') ? i + 2 : i + 1;
    const next = ws[k]?.w ?? '';
    const sameClause = ws[k]?.clause === x.clause || (k === i + 2 && ws[k]?.sentence === x.sentence);
    return asked && (/^(моему|моей|моим|мому|моїй|моїм|my)$/.test(next) || KIN_DATIVE.test(next)) && sameClause;
  });
}

/** Words that make a following past form a wish: "чтобы … позвонил", "щоб … зателефонували". */
const SUBJUNCTIVE = /^(чтобы|чтоб|щоб|щоби|бы)$/;

/** Plain nouns for a person, which name someone only when a relative clause says who. */
const PLAIN_PERSON =
  /^(девушка|девушку|женщина|женщину|мужчина|мужчину|парень|парня|дівчина|дівчину|жінка|жінку|хлопець|хлопця|girl|guy|lady|woman|man|gentleman)$/;
/** Demonstratives that point at one known person: "та девушка", "that guy". */
const THAT_DEMONSTRATIVE = /^(та|ту|тот|того|той|that|the|ця|цю|цей|цього)$/;
const RELATIVE = /^(которая|который|которую|которого|яка|який|яку|якого|who)$/;
const WANT_NOW = /^(нужен|нужна|надо|потрібен|потрібна|need|want|хочу)$/;

/**
 * A specific person wanted, named by a relative clause: "мне нужна та девушка из автошколы,
 * которая меня записывала", "I want that lady who booked me". Windows are bounded (3 words to
 * the noun, 5 to the relative).
 */
function wantsThatPerson(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (!WANT_NOW.test(x.w) || NEGATOR.test(ws[i - 1]?.w ?? '') || !THAT_DEMONSTRATIVE.test(ws[i + 1]?.w ?? '')) return false;
    const noun = ws.slice(i + 2, i + 5).findIndex((y) => PLAIN_PERSON.test(y.w) && y.clause === x.clause);
    if (noun < 0) return false;
    return ws.slice(i + 3 + noun, i + 8 + noun).some((y) => RELATIVE.test(y.w) && y.clause === x.clause);
  });
}

/** Verbs of putting through or talking, after which "тем, кто…"/"whoever" names the person wanted. */
const TO_THE_ONE_CUE = /^(соедин|соеден|з'єдна|свяж|зв'яж|поговор|переключ|перевед|connect|talk|speak|put|transfer)/;

/** "свяжите меня с тем, кто принимал…", "talk to whoever is in charge": the person named by a relative. */
function asksForTheOneWho(ws: Word[], strongAt: number[]): boolean {
  return strongAt.some((i) => {
    if (!TO_THE_ONE_CUE.test(ws[i]?.w ?? '')) return false;
    for (let k = i + 1; k <= Math.min(ws.length - 1, i + 4); k++) {
      const w = ws[k]?.w ?? '';
      if (ws[k]?.sentence !== ws[i]?.sentence) return false;
      // "whoever is in charge" arrives as "начальство" (see IN_CHARGE).
      if (/^(whoever|whomever|начальство)$/.test(w)) return true;
      if (/^(тем|той|теми|тим|тією|тими)$/.test(w) && /^(кто|хто|который|которая|которые|який|яка|які)$/.test(ws[k + 1]?.w ?? ''))
        return true;
    }
    return false;
  });
}

/** Automated systems, a bot in other words: "an automated system", "автоматическая система". */
const AUTOMATED = /^(automated|automatic|автоматическ\p{L}{1,3}|автоматичн\p{L}{1,3})$/u;
const SYSTEM_NOUN = /^(system|assistant|service|responses|replies|answers|систем\p{L}{0,2}|ответ\p{L}{0,2}|відповід\p{L}{0,2})$/u;
const TALKING = /^(talking|talk|speak|speaking|chat|chatting|deal|dealing|общаться|говорить|разговаривать|переписываться|спілкуватися)$/;

/** "I'm not talking to an automated system anymore": refusing to talk with a bot named otherwise. */
function refusesAutomatedSystem(ws: Word[]): boolean {
  return ws.some((x, i) => {
    if (!AUTOMATED.test(x.w) || !SYSTEM_NOUN.test(ws[i + 1]?.w ?? '')) return false;
    const lead = ws.slice(Math.max(0, i - 5), i).filter((y) => y.clause === x.clause);
    return lead.some((y) => TALKING.test(y.w)) && lead.some((y) => NEGATION.test(y.w) || /^(won't|wont|never)$/.test(y.w));
  });
}

/** "Вы бот или человек?": a question of identity alone, which asks for no one. */
const IDENTITY_WORD = /^(вы|ты|ви|ти|are|you|u|а|a|бот|bot|робот|robot|или|або|чи|or|человек|людина|human|person|real|живой|живий)$/;
function asksOnlyIdentity(ws: Word[]): boolean {
  return ws.length > 0 && ws.length <= 7 && ws.every((x) => IDENTITY_WORD.test(x.w)) && ws.some((x) => BOT.test(x.w));
}

/**
 * Requests read by the classes of the seventh round, none needing a verb of putting through: presence
 * checks, a person fetched, a live chat asked for, a role needed now or asked to come or call, the
 * case handed to a person, a call from the company's people, the bot refused under another name.
 * Returns the rule's name, or `undefined`.
 */
function readIndirectRequest(
  ws: Word[],
  sentences: Map<number, number[]>,
  strongAt: number[],
  weakAt: number[],
  text: string,
): OperatorRequestReading['rule'] | undefined {
  if (asksIfYouAreAlive(ws) || isBarePresenceCheck(ws, sentences) || asksWhoWillReachMe(ws)) return 'presence-question';
  if (fetchesAPerson(ws) || asksForLiveChat(ws) || asksForTheOneWho(ws, strongAt)) return 'entity+verb';
  if (needsARoleNow(ws, text) || wantsCapablePerson(ws) || wantsSomeoneManually(ws, weakAt) || wantsThatPerson(ws)) return 'entity+want';
  if (asksRoleToCome(ws) || wantsHandledBy(ws) || handsCaseToPerson(ws)) return 'entity+verb';
  if (asksCallFrom(ws) || asksSomeoneToCall(ws) || asksToCallMyPerson(ws)) return 'callback';
  if (refusesAutomatedSystem(ws)) return 'bot-rejected';
  return undefined;
}

/** "как" after a verb of knowing or a demonstrative: "узнать, как он", "того, как", "know how". */
const EMBEDDED_HOW = /(?<![\p{L}])(того|том|то|узнать|знать|дізнатися|знати|know|about)[\s,]+(как|як|how)(?![\p{L}])/giu;
/** Asking whether one may: "можно ли", "чи можна", "can I", "is it possible to". */
const PERMISSION_QUESTION = /(^| )((можно|можна|возможно) ли|чи (можна|можливо)|can i|could i|may i|is it possible to)( |$)/;

/** Indices of the items grouped by a key, in order. */
function groupBy<T>(items: T[], key: (item: T) => number): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  items.forEach((item, i) => {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(i);
    else groups.set(k, [i]);
  });
  return groups;
}

/** One word with the clause and sentence it stands in, and whether it was written capitalised. */
type Word = { w: string; clause: number; sentence: number; part: number; capital: boolean };

/** Splits text into words tagged with clause (commas, semicolons) and sentence (. ! ? newline) numbers. */
function words(text: string): Word[] {
  const out: Word[] = [];
  let clause = 0;
  let part = 0;
  text.split(/[.!?…\n]+/).forEach((sentenceText, sentence) => {
    // A spaced dash ("call me re: the estimate — I need to add a piano") starts a new thought: a
    // part, which only the callback and put-through scopes use ("Оператор — это вы?" stays one sentence).
    sentenceText.split(/\s[—–]\s/).forEach((partText, p) => {
      // A dash does not end a clause: "Мій оператор — Київстар" stays one clause.
      if (p > 0) clause--;
      // "а то" ("можно с человеком, а то я не понимаю") gives a reason in a clause of its own.
      partText.split(/[,;]+|\s(?=а то\s)/).forEach((clauseText, k) => {
        // A relative clause ("оператор, который мне звонил…") continues the clause of the word it qualifies.
        if (
          k > 0 &&
          /^\s*((с|со|в|на|у|к|о|от|з|із|with|to)\s+)?(котор|який|яка|яке|які|якого|якому|яким|who|whom|which|that)/iu.test(clauseText)
        )
          clause--;
        const raw = clauseText.match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu) ?? [];
        const normalised = tokenize(clauseText);
        normalised.forEach((t, k) => {
          const r = raw[k] ?? '';
          out.push({ w: correctWord(t), clause, sentence, part, capital: /^\p{Lu}\p{Ll}/u.test(r) });
        });
        clause++;
      });
      part++;
    });
  });
  return out;
}

/** Why an utterance was or was not read as an operator request: for tests and the admin app. */
export type OperatorRequestReading = {
  isRequest: boolean;
  /**
   * A short code of the rule that decided: a rule code ("entity+verb", "bot-rejected"…), `model` when
   * only the learned model found a request, `model-veto` when the model overruled a rule hit.
   */
  rule: string;
  /** The learned model's probability of a request (absent from {@link readOperatorRequestRules}). */
  probability?: number;
};

/**
 * Decides whether a customer asks for a live person ("позовите оператора", "хочу поговорить с
 * человеком", "talk to a human", "з оператором", "оператор!"), from the cleaned text. Misspellings
 * of the key words are corrected and Russian typed in Latin letters is read back first.
 *
 * An entity word (operator, human, specialist, manager, representative…; "someone", "люди",
 * "кто-нибудь" only weakly) counts unless it is qualified into another sense ("оператор связи",
 * "mobile operator", "оператор +", "оператор для дрона", "работать менеджером"), asked about
 * ("какой оператор"), refused in its clause ("не надо оператора", "no need for an agent") or a third
 * party ("другому человеку"). A counting entity is a request with an explicit verb (позовите,
 * соедините, talk to, connect, позвоните мне, callback), with a live adjective, with "хочу/нужен/need"
 * unless the message is about administering agents, next to "please", in a short presence question
 * ("где оператор?", "живые люди есть?"), or when its clause is little more than the entity
 * ("оператора мне, срочно!") and it is not thanks or a story about a named or past agent. Rejecting
 * the bot ("не хочу с ботом", "бот, уйди", "кто-нибудь кроме бота?") is a request too.
 */
export function readOperatorRequestRules(cleanText: string): OperatorRequestReading {
  const prepared = prepareRequestText(cleanText);
  const ws = words(prepared);
  const tokens = ws.map((x) => x.w);
  const n = tokens.length;
  const admin = tokens.some(isAdminWord) || /\bhow many\b/i.test(cleanText);
  // Administration is judged per sentence for entity rules: "Оператора мне, срочно! Карту заблокировали"
  // asks for a person although "заблокировали" would be an admin word in "заблокировать агента".
  const adminSentences = new Set(ws.filter((x) => isAdminWord(x.w) || x.w === 'many').map((x) => x.sentence));
  const adminAt = (i: number): boolean => adminSentences.has(ws[i]?.sentence ?? -1);
  const howQuestion = HOW.test(prepared);
  // "Спасибо, бот, очень «помог»": thanks with a quoted "helped" is sarcasm, not thanks.
  const thanks = tokens.some((t) => THANKS.test(t)) && !SARCASTIC_HELP.test(cleanText) && !THANKS_TO_BOT.test(cleanText);
  const sameClause = (i: number, j: number): boolean => ws[i]?.clause === ws[j]?.clause;
  // Per-clause and per-sentence facts, computed once: asking them per word would make long
  // messages quadratic.
  const clauses = groupBy(ws, (x) => x.clause);
  const sentences = groupBy(ws, (x) => x.sentence);
  const sentenceOf = (i: number): number[] => sentences.get(ws[i]?.sentence ?? -1) ?? [];
  const howSentences = new Set<number>();
  for (const [s, members] of sentences) if (HOW.test(members.map((j) => tokens[j]).join(' '))) howSentences.add(s);
  const messageObjectClauses = new Set<number>();
  for (const [c, members] of clauses) {
    if (members.some((j) => MESSAGE_OBJECT.test(tokens[j] as string) && tokens[j] !== 'им')) messageObjectClauses.add(c);
  }
  const isContent = (j: number): boolean => !FILLER.test(tokens[j] as string) && !NON_CONTENT.test(tokens[j] as string);
  /** Per clause: its content words (neither filler nor function words), and how many distinct. */
  const clauseContent = new Map<number, { count: number; distinct: number; infinitive: boolean }>();
  for (const [c, members] of clauses) {
    const content = members.filter(isContent);
    // "выписать человека", "прописать человека": an infinitive acting on a person is a procedure
    // asked about, not a call for the person.
    const infinitive = content.some((j) => ACTION_INFINITIVE.test(tokens[j] as string) && !isCueWord(tokens[j] as string));
    clauseContent.set(c, { count: content.length, distinct: new Set(content.map((j) => tokens[j])).size, infinitive });
  }
  // "вчера уже смотрел мастер", "already spoke to an agent": a case already in a person's hands goes
  // back to a person, unless the customer says it was settled ("уже помогли, спасибо").
  // A longer message must say that the matter is still open ("не помогло", "опять", "still").
  const resolved = tokens.some((t, j) => RESOLVED.test(t) && !NEGATOR.test(tokens[j - 1] ?? ''));
  const unresolved = tokens.some(
    (t, j) => (RESOLVED.test(t) && NEGATOR.test(tokens[j - 1] ?? '')) || /^(опять|снова|again|still|знову)$/.test(t),
  );
  // "к телефону" calls a person to the phone; it asks for no number.
  const contactDetails = tokens.some(
    (t, j) =>
      CONTACT_DETAIL.test(t) &&
      !(TO_THE_PHONE.test(t) && /^(к|до)$/.test(tokens[j - 1] ?? '')) &&
      // "зв'язатися зі мною телефоном", "связаться по телефону": the way to be reached, not a number asked for.
      t !== 'телефоном' &&
      !(/^(телефону|phone)$/.test(t) && /^(по|by)$/.test(tokens[j - 1] ?? '')) &&
      // "could your technician phone him": the verb, not a number to look up.
      !(t === 'phone' && callsAPerson(tokens, j + 1)) &&
      // "передайте директору мой номер": the customer's own number, given, not asked for.
      !OWN_POSSESSIVE.test(tokens[j - 1] ?? ''),
  );
  const alreadyClauses = new Set(ws.filter((x) => ALREADY.test(x.w)).map((x) => x.clause));
  /** Per sentence: whether it has a presence word, and how many of its words are not filler. */
  const sentenceFacts = new Map<number, { presence: boolean; content: number }>();
  for (const [s, members] of sentences) {
    sentenceFacts.set(s, {
      presence:
        members.some((j) => PRESENCE.test(tokens[j] as string)) ||
        // "is a human available right now?", "any staff online?": available now, or any one available.
        (members.some((j) => AVAILABLE.test(tokens[j] as string)) &&
          members.some((j) => NOW.test(tokens[j] as string) || /^(any|anyone|anybody)$/.test(tokens[j] as string))) ||
        // "is anyone available to chat?"
        members.some(
          (j) => AVAILABLE.test(tokens[j] as string) && tokens[j + 1] === 'to' && /^(chat|talk|speak)$/.test(tokens[j + 2] ?? ''),
        ),
      content: members.filter((j) => !FILLER.test(tokens[j] as string)).length,
    });
  }
  const wholeContent = new Set(tokens.filter((w) => !FILLER.test(w) && !NON_CONTENT.test(w))).size;

  const negated = (i: number): boolean => negatedAt(ws, i);

  // "…со мной свяжется менеджер, но звонить не нужно": a cancelled call turns call words into a report.
  const callCancelled = cancelsCall(ws, negated);
  // "Do I need to contact someone to unlock it?", "нужно ли звонить менеджеру?": whether a contact is
  // needed is a question about the procedure; its cues ask for no one.
  const needQuestionSentences = new Set<number>();
  for (const [s, members] of sentences) if (NEED_QUESTION.test(members.map((j) => tokens[j]).join(' '))) needQuestionSentences.add(s);
  const permissionSentences = new Set<number>();
  for (const [s, members] of sentences) if (PERMISSION_QUESTION.test(members.map((j) => tokens[j]).join(' '))) permissionSentences.add(s);
  // Request cues, each with its position.
  const strongAt: number[] = [];
  const weakAt: number[] = [];
  const captionAt: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = tokens[i] as string;
    const next = tokens[i + 1] ?? '';
    const verbCue =
      (STRONG_CUE_STEM.test(t) && !NOMINAL.test(t)) ||
      STRONG_CUE_WORD.test(t) ||
      CALLBACK_CUE.test(t) ||
      // "can your sales manager get in touch?": the person gets in touch.
      // "How do I get in touch with a developer on github?" asks how.
      (t === 'touch' && tokens[i - 1] === 'in' && /^(get|be)$/.test(tokens[i - 2] ?? '') && !howSentences.has(ws[i]?.sentence ?? -1)) ||
      // "could your technician phone him at home?", "have your events manager email me": verbs after the person.
      (CALL_VERB.test(t) && isEntity(tokens[i - 1] ?? '') && callsAPerson(tokens, i + 1));
    // "хочу разговора с…", "жду связи с…": a contact noun asks for contact only after a want, a wait
    // or a booking; "a gmail conversation with a lot of people" names a thread.
    const contactNoun =
      !verbCue &&
      CONTACT_NOUN.test(t) &&
      /^(с|со|з|with)$/.test(next) &&
      ws.slice(Math.max(0, i - 3), i).some(
        (x, k, lead) =>
          x.clause === ws[i]?.clause &&
          (WEAK_CUE.test(x.w) ||
            CONTACT_NOUN_LEAD.test(x.w) ||
            // "could I have a quick chat with…": "have" asked for, not "I have a call with…".
            (x.w === 'have' &&
              /^(i|we)$/.test(ws[i - lead.length + k - 1]?.w ?? '') &&
              /^(could|can|may)$/.test(ws[i - lead.length + k - 2]?.w ?? ''))),
      );
    const isCue =
      verbCue ||
      contactNoun ||
      isIndirectCue(ws, i) ||
      // "чтобы ваш специалист посмотрел фото и перезвонил": up to six words back, in the clause.
      (CONTACT_PAST.test(t) && ws.slice(Math.max(0, i - 6), i).some((x) => /^(чтобы|чтоб|щоб)$/.test(x.w) && x.clause === ws[i]?.clause));
    // "no need to connect me", "не хочу говорить с оператором": a refused want governs the verb after it.
    const refusedWant = tokens
      .slice(Math.max(0, i - 3), i)
      .some((w, k, arr) => WEAK_CUE.test(w) && negated(i - arr.length + k) && sameClause(i, i - arr.length + k));
    // "как подключить оператора к чату в админке": a how-to about configuration, not a request.
    const configHowTo = howSentences.has(ws[i]?.sentence ?? -1) && sentenceOf(i).some((j) => isAdminWord(tokens[j] as string));
    // "сделайте кнопку связаться с оператором поярче": a verb right after a button names its caption.
    // Only in its own clause: "…пятую ссылку. Дайте живого человека" ends one sentence with a link.
    const caption = UI_ELEMENT.test(tokens[i - 1] ?? '') && i > 0 && sameClause(i, i - 1);
    if (caption && isCue) captionAt.push(i);
    const needQuestion = needQuestionSentences.has(ws[i]?.sentence ?? -1);
    if (isCue && !negated(i) && !refusedWant && !configHowTo && !caption && !needQuestion) {
      // "Вчера я просил оператора, но всё решилось": a request repeated only while the matter is open.
      if (ASKED.test(t) && resolved) continue;
      if (callCancelled && isCallCue(t)) continue;
      if (TRANSFER_CUE.test(t)) {
        const objects = tokens.slice(i + 1, i + 3);
        // "передайте ему спасибо", "передайте оператору Анне огромное спасибо": words passed on.
        // "передайте ему мой номер", "pass him my number": the customer's contact passed on asks to be contacted.
        const passesContact = tokens.slice(i + 1, i + 5).some((w, k, a) => isContactPassed(w) && OWN_POSSESSIVE.test(a[k - 1] ?? ''));
        if (!passesContact && (objects.some((w) => MESSAGE_OBJECT.test(w)) || messageObjectClauses.has(ws[i]?.clause ?? -1))) continue;
        // "как передать заявку другому отделу" asks about the tool; "прошу передать обращение сотруднику" asks for a person.
        if (objects.some((w) => TICKET_OBJECT.test(w)) && (howQuestion || /^(transfer)$/.test(t))) continue;
        // "передать бронь другому человеку", "передать управление доменом": a booking, a pass or a
        // right handed over to someone else, never the customer put through.
        if (objects.some((w) => THING_PASSED.test(w))) continue;
        // "Можно ли передать билет другому человеку?": whether a thing may pass to someone else.
        if (/^(передать|передати|transfer)$/.test(t) && !FIRST_PERSON.test(next) && permissionSentences.has(ws[i]?.sentence ?? -1))
          continue;
      }
      // "chat with/to" is the verb; "a chat to another agent", "the live chat with agents" are the noun.
      if (t === 'chat' && (!/^(with|to)$/.test(next) || CHAT_NOUN_BEFORE.test(tokens[i - 1] ?? ''))) continue;
      // "possible contact with someone", "contact list": the noun.
      if (t === 'contact' && (CONTACT_NOUN_BEFORE.test(tokens[i - 1] ?? '') || CONTACT_NOUN_AFTER.test(next))) continue;
      // "connect gmail and twitter", "transfer money": the verb acts on a thing, not the customer.
      if (TRANSITIVE_CUE.test(t) && !personObjectAt(tokens, i + 1)) continue;
      // "дать ей доступ": something is given to someone else.
      if (/^(дать|дайте|дай|give)$/.test(t) && GIVEN_TO_OTHER.test(next)) continue;
      // "дать доступ нашему бухгалтеру", "give my accountant access": access, not a person, is given.
      if (/^(дать|дайте|дай|give)$/.test(t) && tokens.slice(i + 1, i + 4).some((w) => ACCESS_GIVEN.test(w))) continue;
      // "do your staff speak German?": a language spoken, not a conversation asked for.
      if (/^(speak|speaks|talk)$/.test(t) && LANGUAGE_NAME.test(next)) continue;
      // "пригласить сотрудника на обучение": an invitation somewhere other than this conversation.
      if (invitesElsewhere(tokens, i)) continue;
      if (t === 'call' && !callsAPerson(tokens, i + 1)) continue;
      if (/^(get|give|let|put)$/.test(t) && !/^(me|us|through|thru)$/.test(next)) continue;
      // "пришлите кого-нибудь", "send someone": the person is the one sent; "пришлите менеджеру
      // документы", "send it to the manager" send something else.
      if (SEND.test(t) && !tokens.slice(i + 1, i + 3).some((w) => isEntity(w) && !/(у|ю|ам|ям)$/.test(w))) continue;
      // "pass my number to…", "pass it on": "pass the exam with an instructor" passes nothing to anyone.
      if (t === 'pass' && !tokens.slice(i + 1, i + 5).some((w) => /^(to|on)$/.test(w))) continue;
      // "send people a clip": the person receives, a thing is sent.
      if (t === 'send' && isEntity(next) && /^(a|an|the|my|this|that|your|our|some)$/.test(tokens[i + 2] ?? '')) continue;
      strongAt.push(i);
    }
    if (WEAK_CUE.test(t) && !negated(i) && !needQuestion) {
      if (t === 'like' && !/^(would|i'd|id|i)$/.test(tokens[i - 1] ?? '')) continue;
      // "что он хотел?", "they need a manager": someone else's want is not the customer's request.
      if (THIRD_PERSON.test(tokens[i - 1] ?? '') && sameClause(i, i - 1)) continue;
      weakAt.push(i);
    }
  }
  // Clauses that refuse: a negated want ("не надо оператора", "оператора не надо", "no need for an agent").
  const refusingClauses = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (WEAK_CUE.test(tokens[i] as string) && negated(i)) refusingClauses.add(ws[i]?.clause ?? -1);
    if (isRefusedCommand(tokens, i) && sameClause(i, i - 1)) refusingClauses.add(ws[i]?.clause ?? -1);
  }
  for (const i of [...strongAt, ...weakAt]) refusingClauses.delete(ws[i]?.clause ?? -1);

  let live = false;
  let wantEntity = false;
  let someoneNeeded = false;
  let please = false;
  let presence = false;
  let alone = false;
  let followUp = false;
  let helpAsked = false;
  let counted = 0;
  // Entities the rules set aside for a known reason (another sense, a job, a head count, a question
  // about them, a refusal) and counted entities that are a story ("оператор, который мне звонил").
  // The learned model may not overrule such a reading: see readOperatorRequest.
  let excluded = 0;
  let stories = 0;
  // "I want to follow someone on twitter", "мне нужно зарегистрироваться": a want of an action is no
  // want of a person, whoever the action concerns.
  const personWants = weakAt.filter((j) => !wantsAnAction(ws, j));
  // Computed once, so the entity loop below stays linear.
  const personWantOutsideAdmin = personWants.some((j) => !adminAt(j));
  // In a letter a want anywhere says little about a person named three paragraphs away ("хочу
  // заранее разобраться с порядком… следит сотрудник?"): there the want must share the person's
  // sentence. Each sentence of a letter is also read on its own (readOperatorRequest).
  const letterShaped = cleanText.length >= LETTER_MIN_CHARS;
  const personWantSentences = new Set(personWants.filter((j) => !adminAt(j)).map((j) => ws[j]?.sentence ?? -1));
  const personWantClauses = new Set(personWants.filter((j) => !adminAt(j)).map((j) => ws[j]?.clause ?? -1));
  const weakClauses = new Set(personWants.map((j) => ws[j]?.clause ?? -1));
  const cueClauses = new Set([...weakAt, ...strongAt].map((j) => ws[j]?.clause ?? -1));
  const countedAt: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = tokens[i] as string;
    const prev = tokens[i - 1] ?? '';
    const prev2 = tokens[i - 2] ?? '';
    const next = tokens[i + 1] ?? '';
    // "с живым", "переключить на живого", "with a live one": the adjective stands for the person when
    // no noun follows in its clause ("a live chat" is a feature).
    const substantiveLive =
      LIVE.test(t) &&
      /^(с|со|з|із|на|до|with|a|to)$/.test(prev) &&
      (i === n - 1 || !sameClause(i, i + 1) || FILLER.test(next) || PLEASE.test(next) || /^(one|please|pls)$/.test(next));
    // "зовите вашего главного", "дайте старшего": the adjective stands for the person in charge when
    // no noun follows it in its clause ("главного меню" is a menu).
    const substantiveBoss = BOSS_ADJECTIVE.test(t) && (i === n - 1 || !sameClause(i, i + 1) || BOSS_OF.test(next));
    const customerService =
      (isServiceWord(t) && isCustomerWord(prev)) ||
      (/^(executive|executives|exec)$/.test(t) && (isCustomerWord(prev) || /^(care|service|support|sales)$/.test(prev)));
    if (!isEntity(t) && !substantiveLive && !customerService && !substantiveBoss) continue;
    excluded++;
    // "someone call me back": "call" names a call centre only when it is not a verb with an object.
    const callVerb = CALL_VERB.test(next) && callsAPerson(tokens, i + 2);
    // "the owner of this company", "начальство of refunds" (whoever is in charge of…): a person in
    // charge of something is still a person; "of" sets aside only other senses ("users of").
    const owned = tokens[next === 'of' ? i + (tokens[i + 2] === 'the' ? 3 : 2) : i + 1] ?? '';
    const ownedThing = OWNED_THING.test(owned);
    const inChargeOf = next === 'of' && HEAD_OF.test(t) && !ownedThing;
    // "владелец объявления", "the owner of the listing": someone else's thing, not the business.
    if (OWNER.test(t) && ownedThing) continue;
    if ((QUALIFIER_AFTER.test(next) && !callVerb && !inChargeOf) || QUALIFIER_BEFORE.test(prev)) continue;
    if (/^(для|for|of)$/.test(next) && MACHINE.test(tokens[i + 2] ?? '')) continue;
    if (prev === 'real' && next === 'estate') continue;
    if (
      INTERROGATIVE.test(prev) ||
      INTERROGATIVE.test(prev2) ||
      (i >= 3 && INTERROGATIVE.test(tokens[i - 3] as string) && /^(у|в|at|is)$/.test(prev2))
    )
      continue;
    // "4 человека", "на 10 человек", "сколько операторов": a head count, not a person.
    if (/^\d+$/.test(prev) || /^(двух|трех|четырех|пяти|нескольких|сколько|скільки)$/.test(prev) || (prev === 'many' && prev2 === 'how'))
      continue;
    // "a specific person", "a certain someone", "a lot of people": a third party or a crowd.
    if (THIRD_PARTY_DETERMINER.test(prev) || (prev === 'of' && THIRD_PARTY_DETERMINER.test(prev2))) continue;
    // "хочу работать у вас менеджером", "нанимает операторов": a job.
    // Within the entity's sentence: a job word in the sentence before ("хочу стать… Соедините с
    // менеджером") says nothing about this entity.
    const before = ws
      .slice(Math.max(0, i - 3), i)
      .filter((x) => x.sentence === ws[i]?.sentence)
      .map((x) => x.w);
    if (before.some((w) => WORK_VERB.test(w)) && (/(ом|ем|ами|ями|ов)$/.test(t) || /^(as)$/.test(prev))) continue;
    if (refusingClauses.has(ws[i]?.clause ?? -1)) continue;
    // "я человек, а не робот", "I'm a real person": the customer says what they are.
    if (describesSelf(tokens, i)) continue;
    // "соедините с бухгалтерией по email, какой адрес?": a department's contact details are a KB answer.
    if (isDepartment(t) && contactDetails) continue;
    // The person in a caption ("кнопку связаться с оператором") is part of the caption.
    if (captionAt.some((j) => j < i && i - j <= 4 && sameClause(i, j))) continue;
    excluded--;
    counted++;
    countedAt.push(i);

    // "customer support" names the people who serve customers, not a department to be put through to.
    const weakEntity = isWeakEntity(t) || (isDepartment(t) && !customerService) || OTHER.test(prev) || OTHER.test(prev2);
    // A named agent ("оператору Анне", "agent Mike"), a possessive or a past verb nearby: a story, not a call.
    const named = !!ws[i + 1]?.capital && ws[i + 1]?.sentence === ws[i]?.sentence && sameClause(i, i + 1) && !isEntity(next);
    let reference = named || POSSESSIVE.test(prev);
    // A story proper (a name or a past verb), as opposed to a mere possessive ("your staff"), which
    // requests use too: only a story keeps the learned model from overruling the rules.
    let told = named;
    for (let j = Math.max(0, i - 3); j <= Math.min(n - 1, i + 3); j++) {
      const w = tokens[j] as string;
      // "прошу, чтобы по этому вопросу мне позвонил сотрудник": a past form after "чтобы" in its
      // clause is a wish, however many words stand between them (e-mails spell the case out there).
      let subjunctive = false;
      for (let k = Math.max(0, j - 8); k < j && !subjunctive; k++) {
        subjunctive = SUBJUNCTIVE.test(tokens[k] as string) && (j - k <= 3 || sameClause(k, j));
      }
      const past = isPastForm(w) && !/^(хотел|хотела|хотели|пообщ)/.test(w) && !subjunctive;
      // "Руководитель говорит, что…": the person's words reported in the present are a story too.
      if (j !== i && sameClause(i, j) && (past || (j > i && SPEECH_PRESENT.test(w)))) {
        reference = true;
        told = true;
      }
    }
    if (told) stories++;

    if (weakEntity && SOMEONE.test(t) && weakClauses.has(ws[i]?.clause ?? -1)) someoneNeeded = true;
    // "не мог бы кто-нибудь из ваших сотрудников мне помочь?", "could one of your staff help me?":
    // help asked of a person of the company. "your/ваш" names the company's people; "my accountant"
    // or a past "helped" is someone else or a story.
    if (!told && !adminAt(i) && !thanks && !/^(мой|моя|моего|моей|мои|my|his|her|their|наш|наша|our)$/.test(prev) && asksHelpOf(ws, i))
      helpAsked = true;
    const sentence = sentenceFacts.get(ws[i]?.sentence ?? -1);
    // "is there a human who can help?": a relative "who can help" adds no content to the question.
    const helper = HELPER_RELATIVE.test(tokens.slice(i + 1, i + 5).join(' ')) ? 5 : 0;
    // "Where can someone get tested?": a vague person followed by a verb of its own is anyone at all.
    const genericAgent = isWeakEntity(t) && !!ws[i + 1] && sameClause(i, i + 1) && !PRESENCE_FOLLOWER.test(next) && !PRESENCE.test(next);
    if (sentence && sentence.presence && sentence.content <= 5 + helper && !reference && !adminAt(i) && !isDepartment(t) && !genericAgent)
      presence = true;
    const content = clauseContent.get(ws[i]?.clause ?? -1) ?? { count: 0, distinct: 0, infinitive: false };
    if (weakEntity) {
      // "ау, люди?", "кто-нибудь?!": a weak entity alone is a call.
      if (isWeakEntity(t) && !OTHER.test(prev) && content.count === 1 && !thanks) alone = true;
      continue;
    }
    if (told && alreadyClauses.has(ws[i]?.clause ?? -1) && (n <= 6 || unresolved) && !resolved && !thanks && !adminAt(i)) followUp = true;
    // A person in a story ("Руководитель прислал ссылки…") is wanted only by a want in its own clause.
    const wantNear = letterShaped ? personWantSentences.has(ws[i]?.sentence ?? -1) : personWantOutsideAdmin;
    if (!adminAt(i) && (told ? personWantClauses.has(ws[i]?.clause ?? -1) : wantNear)) wantEntity = true;
    // "нужен живой консультант по тарифам": a live person asked for in so many words is wanted even
    // in a sentence with an administration word ("тариф").
    if ((LIVE.test(prev) || LIVE.test(prev2) || substantiveLive) && (!adminAt(i) || cueClauses.has(ws[i]?.clause ?? -1))) live = true;
    if ((PLEASE.test(prev) || PLEASE.test(next)) && !reference && !adminAt(i) && !thanks) please = true;
    if (!adminAt(i) && !reference && !thanks) {
      // The entity's clause (or, for a short message, the whole message) is little more than the entity.
      if ((content.distinct <= 2 || (wholeContent <= 3 && n <= 4)) && !content.infinitive) alone = true;
    }
  }

  const botRejected =
    !HOW_TO.test(cleanText) &&
    tokens.some((t, i) => {
      if (!BOT.test(t) || deniesBeingABot(tokens, i)) return false;
      // "машина не заводится": a car or a machine is a bot only when talked with or set against a person.
      if (AMBIGUOUS_BOT.test(t) && !/^(с|со|з|with|a|an)$/.test(tokens[i - 1] ?? '') && !tokens.some(isEntity)) return false;
      // A negation in a clause that refuses a person ("не надо человека, бот справился") refuses the
      // person, not the bot.
      const around = ws.slice(Math.max(0, i - 6), i + 4).filter((x) => x.clause === ws[i]?.clause || !refusingClauses.has(x.clause));
      return around.some((x) => NEGATION.test(x.w) || BOT_FAILS.test(x.w));
    });
  // Judged in its own sentence: "бот лучше знает, сколько стоит заправка. Есть там кто-нибудь живой?"
  // is not administration because of "сколько" in the sentence before.
  const anyoneAlive = tokens.some(
    (t, i) =>
      ANYONE.test(t) &&
      !adminAt(i) &&
      tokens.slice(i + 1, i + 3).some((w, k) => ALIVE.test(w) && !(w === 'real' && /^estate/.test(tokens[i + 2 + k] ?? ''))),
  );
  // "what does escalation mean?" asks for a definition.
  // "No need to escalate anything": a negated want before it refuses escalation.
  const escalate =
    tokens.some(
      (t, i) =>
        /^(escalat|эскалир)/.test(t) &&
        !tokens.slice(Math.max(0, i - 3), i).some((w, k, a) => WEAK_CUE.test(w) && negated(i - a.length + k)),
    ) && !DEFINITION.test(cleanText);
  // Judged on short messages only: in a long one such words are usually part of a story.
  const reachUs = n <= 14 && !admin && !HOW_TO.test(cleanText) && needQuestionSentences.size === 0 && REACH_US.test(cleanText);

  // "ты живой человек или программа? просто интересно": curiosity about the bot or people wants no one.
  const curious = CURIOUS.test(cleanText);
  // A verb asks for a person in its own sentence, or for one named in a sentence that is neither
  // administration nor a how-to ("Как добавить бухгалтера? Хочу дать…" asks for no one).
  const strongSentences = new Set(strongAt.map((j) => ws[j]?.sentence ?? -1));
  const verbForEntity = countedAt.some(
    (i) => strongSentences.has(ws[i]?.sentence ?? -1) || (!adminAt(i) && !howSentences.has(ws[i]?.sentence ?? -1)),
  );
  // "Вы бот или человек?" asks what the bot is, not for a person.
  if (asksOnlyIdentity(ws)) return { isRequest: false, rule: 'curious' };
  if (counted > 0) {
    if (strongAt.length > 0 && verbForEntity) return { isRequest: true, rule: 'entity+verb' };
    if (curious) return { isRequest: false, rule: 'curious' };
    if (live) return { isRequest: true, rule: 'live-entity' };
    if (wantEntity) return { isRequest: true, rule: 'entity+want' };
    if (someoneNeeded) return { isRequest: true, rule: 'someone+need' };
    if (presence) return { isRequest: true, rule: 'presence-question' };
    if (please) return { isRequest: true, rule: 'entity+please' };
    if (alone) return { isRequest: true, rule: 'entity-alone' };
    if (followUp) return { isRequest: true, rule: 'already-with-person' };
    if (helpAsked && !howQuestion) return { isRequest: true, rule: 'help-from-person' };
  }
  if (!thanks && !admin && !howQuestion && complainsOfSilence(tokens, ws)) return { isRequest: true, rule: 'person-silent' };
  // Administration is judged per sentence: "Прошу перезвонить. Вопрос по смене тарифа." names its topic
  // after the request, while "настроить обратный звонок для клиентов" configures one.
  // Parts of sentences (split also at a spaced dash) with a how-to sentence or an administration word.
  const callbackParts = new Set(ws.filter((x) => howSentences.has(x.sentence) || isAdminWord(x.w) || x.w === 'many').map((x) => x.part));
  if (!/\bhow many\b/i.test(cleanText) && !callCancelled && asksForCallback(ws, callbackParts))
    return { isRequest: true, rule: 'callback' };
  if (!admin && (asksToTalk(tokens) || asksWhomToTalk(ws))) return { isRequest: true, rule: 'talk' };
  if (!howQuestion && !curious && !callCancelled && proposesACall(prepared)) return { isRequest: true, rule: 'call-proposed' };
  if (!admin && !howQuestion && !curious && asksToMeet(ws, negated)) return { isRequest: true, rule: 'meeting' };
  // An embedded "как" ("хочу узнать, как у него получается") asks no how-to question.
  const indirectHow = HOW.test(prepared.replace(EMBEDDED_HOW, ' '));
  if (!admin && !indirectHow && !curious && wantsToTalkWith(ws)) return { isRequest: true, rule: 'talk-with' };
  if (!callCancelled && asksToBePutThrough(ws, callbackParts)) return { isRequest: true, rule: 'put-through' };
  if (!admin && !howQuestion && isUrgent(cleanText)) return { isRequest: true, rule: 'urgent' };
  if (botRejected && !admin && !curious) return { isRequest: true, rule: 'bot-rejected' };
  // Said in so many words, so an administration word elsewhere ("подписку") does not outweigh it.
  if (!curious && isPersonNotBot(prepared)) return { isRequest: true, rule: 'person-not-bot' };
  if (!curious && PERSON_OR_BOT.test(prepared) && NEEDS_HELP.test(prepared)) return { isRequest: true, rule: 'person-or-bot' };
  if (!admin && WHERE_IS_EVERYONE.test(prepared)) return { isRequest: true, rule: 'presence-question' };
  if (!admin && !curious && LIVING_SOUL.test(prepared)) return { isRequest: true, rule: 'presence-question' };
  // A sentence that only fetches a person stands alone: an administration word in another sentence
  // ("Get me the foreman. Your movers are at the wrong address") does not make it configuration.
  if (!curious && fetchesAPerson(ws, adminSentences)) return { isRequest: true, rule: 'entity+verb' };
  if (anyoneAlive && !curious) return { isRequest: true, rule: 'anyone-alive' };
  if (escalate && !admin) return { isRequest: true, rule: 'escalate' };
  if (reachUs) return { isRequest: true, rule: 'reach-us' };
  const indirect = readIndirectRequest(ws, sentences, strongAt, weakAt, cleanText);
  if (indirect && !curious && !indirectHow && !admin) return { isRequest: true, rule: indirect };
  if (counted > 0) return { isRequest: false, rule: stories === counted ? 'entity-story' : 'entity-without-request' };
  return { isRequest: false, rule: excluded > 0 ? 'entity-excluded' : 'no-entity' };
}

/**
 * The committed model, loaded once with the module (a JSON import, so jest, which reads the sources,
 * and the compiled `dist` load the same file). Checked here so a stale or hand-edited file fails
 * loudly at start-up rather than scoring garbage.
 */
export const OPERATOR_REQUEST_MODEL: OperatorRequestModel = loadModel(modelJson as unknown);

function loadModel(raw: unknown): OperatorRequestModel {
  const m = raw as Partial<OperatorRequestModel> | null;
  if (!m || m.version !== 1 || typeof m.bias !== 'number' || typeof m.weights !== 'object' || !m.features || !m.decision) {
    throw new Error('operator-request-model.json: not a version 1 model; run `npm run train:handoff`');
  }
  return m as OperatorRequestModel;
}

/** The model's probability that a cleaned, layout-fixed message asks for a live person. */
export function operatorRequestProbability(cleanText: string, model: OperatorRequestModel = OPERATOR_REQUEST_MODEL): number {
  return scoreText(prepareRequestText(cleanText), model);
}

/** Words ending in "-ing" that are no gerunds: greetings and nouns. */
const NOT_A_GERUND =
  /^(morning|evening|nothing|something|everything|anything|thing|king|ring|bring|string|spring|during|ping|wedding|building|clothing|booking|shipping|billing|pricing|training|meeting|setting|settings|parking|listing|rating)$/i;
/** True for a message opened by an English gerund, as a topic heading: "Contacting someone on github." */
export function isGerundHeading(text: string): boolean {
  const first = /^\s*([A-Za-z]{3,}ing)\b/.exec(text)?.[1];
  return first !== undefined && !NOT_A_GERUND.test(first);
}

/**
 * Decides whether a customer asks for a live person: the rules of {@link readOperatorRequestRules}
 * combined with the learned model by the model's decision rule (see README, "learned model"): a rule
 * hit stands unless the model's probability is below `decision.vetoBelow` (or, in a letter and in
 * each of its sentences, below {@link LETTER_VETO_BELOW}), and a probability of at least
 * `decision.threshold` is a request on its own, except where the rules know why not (in a chat line
 * or a sentence: a refusal, another sense, a story). A letter ({@link LETTER_MIN_CHARS} or more) is
 * also read sentence by sentence. `rule` names the rule that fired, or `model` / `model-veto` when
 * the model changed the verdict, prefixed `sentence:` when one sentence of a letter decided.
 */
export function readOperatorRequest(cleanText: string, model: OperatorRequestModel = OPERATOR_REQUEST_MODEL): OperatorRequestReading {
  const letter = cleanText.length >= LETTER_MIN_CHARS;
  const whole = readOneText(cleanText, model, letter ? 'letter' : 'chat').reading;
  if (whole.isRequest || !letter) return whole;
  // A letter buries its request in one sentence among many: the model's evidence is spread over the
  // whole letter's features, and a refusal, a story or a how-to elsewhere in it sets the rules'
  // message-wide flags. Each sentence is read on its own as well, as the short messages the
  // detector was built on are; the first that asks for a person decides.
  const sentences = requestSentences(cleanText);
  if (sentences.length < 2) return whole;
  // "Пришло письмо, что администратор перезвонит. Не нужно звонить": a call the letter declines
  // elsewhere is reported, not asked for, in the sentence that names it. Read once, and only when a
  // sentence about a call would decide.
  let declined: boolean | undefined;
  for (const sentence of sentences) {
    const { reading, rulesRule } = readOneText(sentence, model, 'sentence');
    if (!reading.isRequest) continue;
    if (CALL_OR_MEETING.test(sentence) && (declined ??= declinesACall(cleanText))) continue;
    // Read alone, a sentence is a chat line the model was not calibrated on; it needs a person or a call.
    if (reading.rule === 'model' && rulesRule === 'no-entity' && !CALL_OR_MEETING.test(sentence)) continue;
    return { ...reading, rule: `sentence:${reading.rule}` };
  }
  return whole;
}

/** Sentences shorter than this are read only as part of the whole ("Спасибо!", "Добрый день."). */
const SENTENCE_MIN_CHARS = 12;
/** At most this many sentences of one message are read on their own (the text is capped before). */
const MAX_SENTENCES_READ = 60;

/** The sentences of a cleaned text ({@link sentencePieces}) long enough to ask for anyone, at most {@link MAX_SENTENCES_READ}. */
export function requestSentences(cleanText: string): string[] {
  const out: string[] = [];
  for (const piece of sentencePieces(cleanText)) {
    if (piece.text.length >= SENTENCE_MIN_CHARS) out.push(piece.text);
    if (out.length >= MAX_SENTENCES_READ) break;
  }
  return out;
}

/**
 * In a letter (and in each of its sentences), a request the rules read that the model gives less
 * than this is set aside. The rules were written on chat lines; in letters they also read praise
 * passed on to a named employee ("передайте руководству, что менеджер Ольга…"), access for a
 * colleague ("дать доступ нашему бухгалтеру") and a declined call ("I don't need the pharmacist to
 * call me") as requests. With a model that had read no letter, the rules' hits in three sets of
 * 240 letters (holdouts 18–20) given less than 0.2 were 11 false and no true ones (below 0.3 one
 * true). With the model that has read letters, the rules' hits in holdouts 18–24 that it gives
 * 0.2–0.3 were 3 false ones (thanks passed on to a manager by name) and no true one, below 0.4
 * 4 and none; 0.3 keeps a margin below the lowest true one (0.4–0.5). Chat lines keep every rule
 * hit: there the rules are the surer reader.
 */
const LETTER_VETO_BELOW = 0.3;

/**
 * {@link readOperatorRequest} of one text as a whole: the rules and the model together, and the
 * rule the rules alone ended on. `shape`: a chat line, a whole letter, or one sentence of a letter
 * ({@link LETTER_VETO_BELOW} applies to the last two, the model's say over set-aside letters to a
 * whole letter only).
 */
function readOneText(
  cleanText: string,
  model: OperatorRequestModel,
  shape: 'chat' | 'letter' | 'sentence',
): { reading: OperatorRequestReading; rulesRule: string } {
  const rules = readOperatorRequestRules(cleanText);
  const probability = operatorRequestProbability(cleanText, model);
  // The model adds requests the rules miss, but it reads bags of words and n-grams and cannot see
  // why "оператор не нужен", "хочу устроиться специалистом" or "столик на 2 человека" are not
  // requests. Where the rules set every entity aside for such a reason, or every counted entity is a
  // story, their "no" stands in a chat line and in one sentence of a letter (as short as a chat line,
  // its flags its own: "Мне не нужен живой оператор, ответьте письмом."). Not in a whole letter:
  // there those flags are message-wide, so a letter that tells how the manager "оформляла тур" and
  // asks her to call, or declines one call and asks for a meeting, is set aside whole, and "пусть
  // хирург, который его оперировал, позвонит" is a story by its past verb. With a model that had read no letter, holdouts 18–20
  // had 10 such letters read at the model's threshold or above, 9 of them requests (one declined a
  // call); on chat lines the gain was as large, but lines written as tests of refusals, other senses
  // and jobs ("Не соединяйте с менеджером, мне просто нужен адрес") are read at 0.9 too.
  // A topic heading opened by a gerund ("Contacting someone on github.", "Locating a message from
  // someone") names a how-to, as FAQ titles do; the model reads "contact" and "someone" in it. Of
  // 198 such headings in the tuned sets one wants a person, and the rules read it.
  const rulesKnowWhyNot =
    (shape !== 'letter' && (rules.rule === 'entity-excluded' || rules.rule === 'entity-story')) ||
    rules.rule === 'curious' ||
    (!rules.isRequest && isGerundHeading(cleanText));
  const letterVeto = shape !== 'chat' && probability < LETTER_VETO_BELOW;
  const isRequest = rulesKnowWhyNot || letterVeto ? false : decide(rules.isRequest, probability, model.decision);
  const rule = isRequest === rules.isRequest ? rules.rule : isRequest ? 'model' : 'model-veto';
  return { reading: { isRequest, rule, probability }, rulesRule: rules.rule };
}

/** Whether a text declines a call ("звонить не нужно", "no need to phone me"): see {@link cancelsCall}. */
function declinesACall(cleanText: string): boolean {
  const ws = words(prepareRequestText(cleanText));
  return cancelsCall(ws, (i) => negatedAt(ws, i));
}

/**
 * A want or request cue right after a negator is a refusal, not a request ("не надо", "no need");
 * the refusal ends at its sentence: "Стоп. Не надо. Соедините с оператором" refuses nothing in the
 * last one. A negator two words back counts within the clause ("не очень нужен").
 */
function negatedAt(ws: Word[], i: number): boolean {
  return (
    (NEGATOR.test(ws[i - 1]?.w ?? '') && ws[i - 1]?.sentence === ws[i]?.sentence) ||
    (NEGATOR.test(ws[i - 2]?.w ?? '') && ws[i - 2]?.clause === ws[i]?.clause && !WEAK_CUE.test(ws[i - 1]?.w ?? ''))
  );
}

/**
 * Words of a call or a meeting: a sentence of a letter that the model alone reads as a request must
 * name a person (the rules found an entity) or hold one of these ("…assigned to my case to phone
 * me"); "Прошу помочь." or "Please advise." at the end of a letter is no request for a person.
 */
const CALL_OR_MEETING =
  /(звон|звоно|перезв|позвон|созвон|связ|набер|набир|встреч|приед|приех|дзвон|зателефон|зв['’]яз|\bcall|phone|\bring\b|contact|get in touch|\bmeet|visit)/iu;
