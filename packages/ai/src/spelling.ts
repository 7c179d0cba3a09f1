import { isFuzzyMatch } from './edit-distance';

/** Latin letters that look like Cyrillic ones, for words typed with a mix of both (`оперaтор`). */
const HOMOGLYPHS: Record<string, string> = {
  a: 'а',
  e: 'е',
  o: 'о',
  p: 'р',
  c: 'с',
  x: 'х',
  y: 'у',
  k: 'к',
  m: 'м',
  t: 'т',
  h: 'н',
  b: 'в',
  i: 'і',
};

/** Replaces Latin look-alike letters in a word that is otherwise Cyrillic. */
export function foldHomoglyphs(word: string): string {
  if (!/[а-яіїєґ]/.test(word) || !/[a-z]/.test(word)) return word;
  return word.replace(/[a-z]/g, (ch) => HOMOGLYPHS[ch] ?? ch);
}

/**
 * The words whose misspellings matter to intent detection, in the forms customers write them.
 * Only these are corrected, so a typo elsewhere cannot turn into one of them by accident.
 */
const VOCABULARY: string[] = [
  ...['оператор', 'оператора', 'оператором', 'оператору', 'операторы', 'операторов'],
  ...['человек', 'человека', 'человеком', 'человеку'],
  ...['специалист', 'специалиста', 'специалистом', 'специалисту'],
  ...['сотрудник', 'сотрудника', 'сотрудником', 'сотруднику'],
  ...['менеджер', 'менеджера', 'менеджером', 'менеджеру'],
  ...['консультант', 'консультанта', 'консультантом'],
  ...['позовите', 'позвать', 'соедините', 'соединить', 'соедините', 'переключите', 'переведите'],
  ...['поговорить', 'пообщаться', 'пригласите', 'подключите', 'свяжите', 'связаться'],
  ...['людиною', 'людину', 'покличте', "з'єднайте", 'поговорити'],
  ...['human', 'operator', 'agent', 'person', 'representative', 'someone', 'somebody', 'manager', 'please'],
];
const VOCAB_SET = new Set(VOCABULARY);
/**
 * Real words within the typo budget of a vocabulary word, which must stay themselves: "позвоните"
 * asks for a call, not for "позовите"; "operation", "managed", "pleased" are not "operator",
 * "manager", "please".
 */
const NOT_TYPOS = new Set([
  ...['позвоните', 'позвонить', 'позвонит', 'позвони', 'позвоним', 'позвонят'],
  ...['operation', 'operations', 'operate', 'operates', 'operated', 'operating'],
  ...['manage', 'manages', 'managed', 'humane', 'pleased', 'persona', 'personal'],
]);

/** True for a real word that lies near the intent vocabulary and must not be read as a typo of it. */
export function isNotATypo(word: string): boolean {
  return NOT_TYPOS.has(word.toLowerCase());
}

/**
 * Corrects one normalised word to the intent vocabulary when it is within the typo budget of one
 * of its words (`опертор`, `аператор`, `челавеком`, `humna`, `agnet`); other words pass unchanged.
 */
export function correctWord(word: string): string {
  const w = foldHomoglyphs(word);
  if (VOCAB_SET.has(w) || NOT_TYPOS.has(w) || w.length < 5) return w;
  const known = corrections.get(w);
  if (known !== undefined) return known;
  let corrected = w;
  const latin = /[a-z]/.test(w);
  // A Russian past tense ("подключил", "соединили") is a report of what happened, never a typo of an
  // imperative or infinitive of the vocabulary ("подключите", "соединить").
  const pastTense = /^[а-я]{4,}(л|ла|ло|ли|лся|лась|лось|лись)$/.test(w);
  for (const target of VOCABULARY) {
    if (/[a-z]/.test(target) !== latin) continue;
    if (pastTense && !/(л|ла|ло|ли|лся|лась|лось|лись)$/.test(target)) continue;
    if (isFuzzyMatch(w, target)) {
      corrected = target;
      break;
    }
  }
  // Bounded memo: a long message repeats its words, and the same words recur across messages.
  if (corrections.size >= MAX_CORRECTIONS) corrections.clear();
  corrections.set(w, corrected);
  return corrected;
}

const MAX_CORRECTIONS = 20_000;
const corrections = new Map<string, string>();
