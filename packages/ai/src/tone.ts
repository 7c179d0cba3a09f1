import type { Tone } from '@repo/domain';
import { tokenize } from './text-tokens';

const NEGATIVE =
  /^(ужасн|отвратит|безобраз|кошмар|издева|обман|мошенн|жалоб|жаловат|претензи|недовол|хамств|нагруб|позор|бардак|возмутит|надоел|достал|бесит|бесполезн|тупой|отстой|плохо|плохой|худш|разочаров|раздраж|злой|зл[ао]|черт|блин|жесть|жахлив|погано|terrible|awful|horrible|worst|scam|fraud|ridiculous|unacceptable|useless|stupid|hate|angry|furious|disappoint|annoy|wtf|bad|sucks|disgust)/;
const POSITIVE =
  /^(спасибо|благодар|отлично|супер|класс|замечательн|прекрасн|помогл|дякую|чудов|thanks|thank|great|perfect|awesome|excellent|love|helpful|wonderful)/;

/**
 * The tone of a message: `negative` for negative words, shouting (mostly capitals) or runs of `!!!`
 * / `?!`, `positive` for thanks and praise, `neutral` otherwise.
 */
export function detectTone(text: string): Tone {
  const tokens = tokenize(text);
  const negatives = tokens.filter((t) => NEGATIVE.test(t)).length;
  const letters = text.replace(/[^\p{L}]/gu, '');
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  const shouting = letters.length >= 6 && upper / letters.length > 0.7;
  const bangs = /!{3,}|[?!]{4,}|\?!|!\?/.test(text);
  if (negatives > 0 || (shouting && bangs) || (shouting && letters.length >= 10)) return 'negative';
  if (bangs && tokens.length > 3) return 'negative';
  if (tokens.some((t) => POSITIVE.test(t))) return 'positive';
  return 'neutral';
}
