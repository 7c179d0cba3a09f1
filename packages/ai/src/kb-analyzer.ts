import { newStemmer, type Stemmer } from 'snowball-stemmers';

const ruStemmer: Stemmer = newStemmer('russian');
const enStemmer: Stemmer = newStemmer('english');

/** Longest text (characters) one analysis reads: a pasted log must not cost unbounded time. */
export const MAX_ANALYSED_CHARS = 200_000;

/**
 * Words that carry no topic in Russian, Ukrainian or English support questions and answers:
 * function words and the wording of almost every question («подскажите, сколько…», "how do I…").
 * Dropped on both sides of the index, so they neither match nor count towards coverage.
 */
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему ' +
    'теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут ' +
    'где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой ' +
    'совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец об другой хоть после над ' +
    'больше тот через эти нас про всего них какая много разве эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой ' +
    'им более всегда конечно всю между это ваш ваша ваше ваши наш наша наше наши мои мое моё твой ' +
    // Pronoun forms the Snowball list lacks («написать нам» must not tie a question's «нам» to one article).
    'нам нами вами ими ними мной мною тобой собой нем свой своя свое свои своего своей своих своим ' +
    'который которая которое которые которого которой которому которую которым которыми котором которых ' +
    'сколько скока скоко какое какие каких каким какую каком почему нужно нужен нужна нужны вообще пожалуйста пожалуйсто пжл плиз плз ' +
    'здравствуйте здраствуйте здрасте привет добрый доброе доброго подскажите подскажи скажите скажи хочу хотел хотела хотелось хотим ' +
    'могу можем можете мочь очень просто спасибо ок окей ладно типа кстати значит вопрос вопросик интересует узнать ' +
    'і й та що як але це ми ви він вона воно вони мені мене тобі від з із чи або якщо коли де чому тому також вже ще бути є був була були дуже будь ласка вітаю дякую ' +
    'a an the and or but if of to in on at for from by with about into over after before is are was were be been being am do does did ' +
    'done have has had i me my mine we our us you your yours he she it its they them their this that these those what which who whom ' +
    'when where why how can could would should will shall may might must not no yes please there here u ur im dont cant get got ' +
    'want need just also so very too any some all much many hi hello thanks thank ok okay than then as'
  ).split(' '),
);

/** True for a word (lowercase, «ё» as «е») that carries no topic. */
export function isSearchStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** Lowercase word tokens with «ё» read as «е» and typographic apostrophes unified; bounded input. */
export function searchWords(text: string): string[] {
  const bounded = text.length > MAX_ANALYSED_CHARS ? text.slice(0, MAX_ANALYSED_CHARS) : text;
  return (
    bounded
      .toLowerCase()
      .replace(/ё/g, 'е')
      .replace(/[\u2019\u02bc`]/g, "'")
      .match(/[\p{L}\p{N}]+(?:['][\p{L}\p{N}]+)*/gu) ?? []
  );
}

const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

/**
 * The Snowball stem of a lowercase word: Russian for Cyrillic words (Ukrainian letters folded),
 * English otherwise; digits stay as they are. Cached: a knowledge base repeats its words a lot.
 */
export function stemWord(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  let stemmed: string;
  if (/^[\p{N}]+$/u.test(word)) stemmed = word;
  else if (/[а-яіїєґ]/.test(word))
    stemmed = ruStemmer.stem(word.replace(/[ії]/g, 'и').replace(/є/g, 'е').replace(/ґ/g, 'г').replace(/'/g, ''));
  else stemmed = enStemmer.stem(word);
  if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
  stemCache.set(word, stemmed);
  return stemmed;
}

/** Content stems of a text in order: words that are not stop words, stemmed (repeats kept, for term frequencies). */
export function analyze(text: string, keepStopWords = false): string[] {
  const out: string[] = [];
  for (const w of searchWords(text)) {
    if (!keepStopWords && STOP_WORDS.has(w)) continue;
    if (w.length < 2 && !/\p{N}/u.test(w)) continue;
    out.push(stemWord(w));
  }
  return out;
}

/** Every word stemmed, stop words kept: the analysis of the plain BM25 baseline. */
export function analyzePlain(text: string): string[] {
  return searchWords(text).map(stemWord);
}
