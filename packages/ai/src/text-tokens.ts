import { newStemmer, type Stemmer } from 'snowball-stemmers';

const ruStemmer: Stemmer = newStemmer('russian');
const enStemmer: Stemmer = newStemmer('english');

/** Lower-cases, folds `ё` to `е`, and unifies apostrophes (Ukrainian `з'єднайте`). */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u2019\u02bc`]/g, "'");
}

/** Splits text into word tokens (letters, digits, inner apostrophes and hyphens), normalised. */
export function tokenize(text: string): string[] {
  return normalise(text).match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** True when the word is written in Cyrillic letters. */
export function isCyrillic(word: string): boolean {
  return /[а-яіїєґ]/i.test(word);
}

/**
 * The stem of one word: the Snowball Russian stemmer for Cyrillic words (used for Ukrainian too,
 * after folding і/ї/є/ґ, which gets most shared endings right), the Snowball English one otherwise.
 */
export function stem(word: string): string {
  const w = normalise(word);
  if (isCyrillic(w)) {
    const folded = w.replace(/[ії]/g, 'и').replace(/є/g, 'е').replace(/ґ/g, 'г').replace(/'/g, '');
    return ruStemmer.stem(folded);
  }
  return enStemmer.stem(w);
}

const STOPWORDS = new Set(
  (
    'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это вас ваш ваша ваше ваши наш мой пожалуйста подскажите скажите здравствуйте добрый день спасибо' +
    ' і й та що як але це ми ви він вона воно вони мені мене тобі ваш наш до від з із у в на за по про чи або якщо коли де чому тому також вже ще бути є був була були дуже будь ласка вітаю дякую' +
    ' the a an and or but if of to in on at for with by from is are was were be been it this that these those i you we they he she me my your our their do does did can could would should will shall please hi hello thanks thank what how which who where when why there here have has had not no yes so as about into than then'
  ).split(' '),
);

/** True for function words that carry no topic (Russian, Ukrainian and English). */
export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

/** Stems of the content words of a text: tokens that are not stopwords, stemmed, at least 2 letters. */
export function contentStems(text: string): string[] {
  return tokenize(text)
    .filter((t) => !isStopword(t) && (t.length > 1 || /\d/.test(t)))
    .map(stem);
}
