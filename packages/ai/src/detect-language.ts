import type { Language } from '@repo/domain';
import { tokenize } from './text-tokens';

const UK_LETTERS = /[іїєґ]/gi;
const RU_LETTERS = /[ыэъё]/gi;

const UK_WORDS = new Set(
  'що як чи де це цей ця мені мене вам ваш будь ласка дякую вітаю привіт доброго дня добрий підкажіть скажіть потрібен потрібна потрібно хочу можна коли чому тому також вже ще але або якщо з із від для немає зараз тут там його її їх ми ви вони він вона отримати замовлення оплата доставка повернення'.split(
    ' ',
  ),
);
const RU_WORDS = new Set(
  'что как где это этот эта мне меня вам ваш пожалуйста спасибо здравствуйте привет добрый день подскажите скажите нужен нужна нужно хочу можно когда почему потому также уже еще но или если с от для нет сейчас тут там его ее их мы вы они он она получить заказ оплата доставка возврат'.split(
    ' ',
  ),
);
/** Russian typed in Latin letters (translit): treated as Russian so the reply is in Russian. */
const TRANSLIT_RU = new Set(
  'kak gde chto pochemu kogda zdravstvuyte zdravstvuite privet spasibo pozhaluysta pozhaluista zakaz dostavka oplata oplatit vernut dengi mozhno nuzhno hochu khochu skolko stoit'.split(
    ' ',
  ),
);
const EN_WORDS = new Set(
  'the a an and or is are was be to of in on at for with my your i you we it this that how what where when why can could would please hi hello thanks thank need want help order do does not no yes'.split(
    ' ',
  ),
);

/**
 * Tells which language a customer wrote in: `ru`, `uk`, `en` or `other`. Cyrillic text is Ukrainian
 * when it has the letters і ї є ґ or more common Ukrainian than Russian words, Russian otherwise
 * (ы э ъ ё and Russian words push towards Russian). Latin text is English when it has common
 * English words, Russian when it is Russian transliteration (`kak oplatit zakaz`), `other` otherwise.
 * A hand-written rule rather than a statistical detector: support messages are often one to five
 * words, where n-gram detectors guess, and only these three languages matter to the replies.
 */
export function detectLanguage(text: string): Language {
  const cyr = (text.match(/[а-яёіїєґ]/gi) ?? []).length;
  const lat = (text.match(/[a-z]/gi) ?? []).length;
  if (cyr === 0 && lat === 0) return 'other';
  const words = tokenize(text);
  if (cyr >= lat) {
    let uk = (text.match(UK_LETTERS) ?? []).length * 2;
    let ru = (text.match(RU_LETTERS) ?? []).length * 2;
    for (const w of words) {
      if (UK_WORDS.has(w)) uk++;
      if (RU_WORDS.has(w)) ru++;
      if (w.includes("'") && /[а-яієїґ]/.test(w)) uk++;
    }
    return uk > ru ? 'uk' : 'ru';
  }
  let en = 0;
  let translit = 0;
  for (const w of words) {
    if (EN_WORDS.has(w)) en++;
    if (TRANSLIT_RU.has(w)) translit++;
  }
  if (translit > en) return 'ru';
  if (en > 0 || words.length <= 3) return 'en';
  return 'other';
}
