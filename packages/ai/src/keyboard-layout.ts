import { ENGLISH_SAMPLE, RUSSIAN_SAMPLE } from './language-samples';

const LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
const CYRILLIC_KEYS = 'йцукенгшщзхъфывапролджэячсмитьбюё';

const LATIN_TO_CYRILLIC = new Map<string, string>();
for (let i = 0; i < LATIN_KEYS.length; i++) {
  LATIN_TO_CYRILLIC.set(LATIN_KEYS[i] as string, CYRILLIC_KEYS[i] as string);
}

/** Maps each key of a QWERTY string to the letter the same key types in the Russian ЙЦУКЕН layout. */
export function latinToCyrillicLayout(text: string): string {
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const mapped = LATIN_TO_CYRILLIC.get(lower);
    if (mapped === undefined) out += ch;
    else out += ch === lower ? mapped : mapped.toUpperCase();
  }
  return out;
}

type BigramModel = { logp: Map<string, number>; unseen: number };

/** Letter-pair log-probabilities of a sample, with `^`/`$` for word edges and add-0.5 smoothing. */
function trainBigrams(sample: string, alphabetSize: number): BigramModel {
  const counts = new Map<string, number>();
  const firsts = new Map<string, number>();
  for (const word of sample.toLowerCase().match(/\p{L}+/gu) ?? []) {
    const w = `^${word}$`;
    for (let i = 0; i + 1 < w.length; i++) {
      const bg = w.slice(i, i + 2);
      counts.set(bg, (counts.get(bg) ?? 0) + 1);
      firsts.set(w[i] as string, (firsts.get(w[i] as string) ?? 0) + 1);
    }
  }
  const logp = new Map<string, number>();
  const k = 0.5;
  const v = alphabetSize + 1;
  for (const [bg, c] of counts) {
    logp.set(bg, Math.log((c + k) / ((firsts.get(bg[0] as string) ?? 0) + k * v)));
  }
  const meanFirst = [...firsts.values()].reduce((a, b) => a + b, 0) / Math.max(1, firsts.size);
  return { logp, unseen: Math.log(k / (meanFirst + k * v)) };
}

const RU_MODEL = trainBigrams(RUSSIAN_SAMPLE, 33);
const EN_MODEL = trainBigrams(ENGLISH_SAMPLE, 26);

/** Mean log-probability per letter pair of a word under a model; higher is more plausible. */
function plausibility(word: string, model: BigramModel): number {
  const w = `^${word.toLowerCase()}$`;
  let sum = 0;
  for (let i = 0; i + 1 < w.length; i++) sum += model.logp.get(w.slice(i, i + 2)) ?? model.unseen;
  return sum / (w.length - 1);
}

/** Common short English words and chat words that must never be converted. */
const ENGLISH_WORDS = new Set(
  'a i an am is are be to of in on at it me my we us no ok so hi do go or if up by as yes not the and for you can pls plz thx lol omg bot app api sms url faq'.split(
    ' ',
  ),
);

/** What {@link fixKeyboardLayout} did. */
export type LayoutFix = { text: string; fixed: boolean };

const CHUNK = /[a-z[\];',.`]+[&?^$]?/gi;
/**
 * Shifted digit and slash keys right after a word, as the Russian layout types them: "&" is "?",
 * "?" is ",", "^" is ":", "$" is ";" ("gjpdfnm&" is "позвать?"). Converted only with their word.
 */
const SHIFTED_KEYS: Record<string, string> = { '&': '?', '?': ',', '^': ':', $: ';' };
// Bounded runs: an unbounded `\S+@\S+` rescans a long token from every position (quadratic).
const URLISH =
  /\b(?:https?:\/\/|www\.)\S+|[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+|\b[\w-]{1,63}\.(?:ru|com|net|org|io|рф|ua|by|kz)\b\S*/gi;

/** A Latin word's two readings, scored. */
type Reading = { chunk: string; core: string; trail: string; converted: string; lean: number };

function readChunk(chunk: string): Reading | undefined {
  const shifted = SHIFTED_KEYS[chunk[chunk.length - 1] ?? ''];
  const word = shifted === undefined ? chunk : chunk.slice(0, -1);
  // Counted from the end: `/[.,]+$/` restarts at every dot or comma of a long run (quadratic).
  let cut = word.length;
  while (cut > 0 && (word[cut - 1] === '.' || word[cut - 1] === ',')) cut -= 1;
  const trail = word.slice(cut) + (shifted ?? '');
  const core = word.slice(0, cut);
  if (core.length === 0) return undefined;
  const converted = latinToCyrillicLayout(core);
  if (/[a-z]/i.test(converted)) return undefined;
  const lower = core.toLowerCase();
  const en = /^[a-z]+('[a-z]+)?$/.test(lower) ? plausibility(lower.replace("'", ''), EN_MODEL) : -6;
  const ru = plausibility(converted, RU_MODEL);
  const lean = ENGLISH_WORDS.has(lower) ? -3 : ru - en;
  return { chunk, core, trail, converted, lean };
}

/**
 * Whether Latin words read as a whole lean Russian: on average, per letter pair, by
 * {@link MESSAGE_MARGIN}, and most of them (words of two letters or more are counted).
 */
function leansRussian(readings: Reading[]): boolean {
  let weighted = 0;
  let weight = 0;
  let leaning = 0;
  let counted = 0;
  for (const r of readings) {
    if (r.core.length < 2) continue;
    weighted += r.lean * r.core.length;
    weight += r.core.length;
    counted++;
    if (r.lean > 0) leaning++;
  }
  return weight > 0 && weighted / weight > MESSAGE_MARGIN && leaning * 2 > counted;
}

/** Mean advantage (per letter pair) the Russian reading of a whole Latin message must have. */
const MESSAGE_MARGIN = 0.8;
/** Advantage a single Latin word inside Cyrillic text must have to be converted on its own. */
const WORD_MARGIN = 1.6;

/**
 * Detects text typed with the keyboard in the English layout while meaning Russian (`ghbdtn` →
 * `привет`, `jgthfnjh` → `оператор`) and converts it. Each Latin word is read both ways and scored
 * by letter-pair statistics of Russian and English. A message with no Cyrillic is converted as a
 * whole when its Russian reading is, on average, much more plausible and most of its words lean
 * Russian; inside Cyrillic text only long words that are clearly Russian are converted. Ordinary
 * English, transliteration (`kak oplatit`), short chat words, URLs and e-mail addresses stay as
 * they are.
 */
export function fixKeyboardLayout(text: string): LayoutFix {
  const masked: string[] = [];
  const work = text.replace(URLISH, (m) => {
    masked.push(m);
    return `\u0000${masked.length - 1}\u0000`;
  });
  // Letters glued to digits are part of a code or an identifier ("EM98648cfbb6"), never a word typed
  // in the wrong layout: they are not read.
  const inCode = (at: number, end: number): boolean => /[0-9_]/.test(work[at - 1] ?? '') || /[0-9_]/.test(work[end] ?? '');
  const found = [...work.matchAll(CHUNK)].map((m) => {
    const end = m.index + m[0].length;
    return { at: m.index, end, reading: inCode(m.index, end) ? undefined : readChunk(m[0]) };
  });
  if (!found.some((f) => f.reading)) return { text, fixed: false };
  const hasCyrillic = /[а-яёіїєґ]/i.test(work);
  // Without Cyrillic the message is one run; inside Cyrillic text a run is a stretch of Latin words
  // with only spaces between them ("можно c rtv nj bp cjnhelybrjd поговорить"), judged like a whole
  // message, so short words convert with their neighbours where one alone would be too weak a sign.
  const converted = new Set<number>();
  let start = 0;
  for (let k = 1; k <= found.length; k++) {
    const prev = found[k - 1];
    const cur = found[k];
    const joined = !!prev && !!cur && (!hasCyrillic || /^[ \t]+$/.test(work.slice(prev.end, cur.at)));
    if (joined) continue;
    const run = found.slice(start, k);
    // Inside Cyrillic text a run in capitals is a brand or a model ("DAF XF"), not a layout slip.
    const readable = run.every((f) => f.reading && (!hasCyrillic || /[a-z]/.test(f.reading.core)));
    if ((!hasCyrillic || run.length >= 2) && readable && leansRussian(run.map((f) => f.reading as Reading)))
      for (const f of run) converted.add(f.at);
    start = k;
  }
  let fixed = false;
  const byAt = new Map(found.map((f) => [f.at, f.reading]));
  const out = work.replace(CHUNK, (chunk: string, at: number) => {
    const r = byAt.get(at);
    if (!r) return chunk;
    if (converted.has(at) || (hasCyrillic && r.core.length >= 4 && r.lean > WORD_MARGIN)) {
      fixed = true;
      return r.converted + r.trail;
    }
    return chunk;
  });
  // eslint-disable-next-line no-control-regex
  return { text: out.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => masked[Number(i)] ?? ''), fixed };
}
