import fc from 'fast-check';
import { parseSkillSettings } from '@repo/domain';
import { classify, CLASSIFY_MAX_CHARS } from './classify';

/**
 * Property tests: whatever arrives in a webhook (random text, random code units including lone
 * surrogates, and adversarial repetitions up to the default 64 kB body limit), classify returns a
 * classification and never throws. Speed is measured by `npm run bench:classify`, not here.
 */
const BODY_LIMIT = 65_536;
const INTENTS = ['question', 'operator_request', 'greeting', 'thanks', 'complaint', 'spam', 'empty'];
const skill = parseSkillSettings({
  topics: [
    { id: 'delivery', name: 'Доставка', keywords: ['доставка', 'курьер', 'shipping'], examples: ['когда привезут заказ'] },
    { id: 'payment', name: 'Оплата', keywords: ['оплата', 'карта', 'счет'], examples: ['как оплатить заказ картой'] },
  ],
  synonyms: [
    ['оплата', 'платёж'],
    ['доставка', 'курьер'],
  ],
});

/** Pieces that stress a text path when repeated: nesting, unclosed tags, entities, quotes, long words. */
const PIECES = [
  'a ',
  'a',
  '<b>',
  '</i>',
  '<a',
  '<div>',
  '<p>',
  '<li>',
  '<table><tr><td>',
  '<blockquote>',
  '&amp;',
  '&a',
  '&#',
  '<!--',
  '> ',
  '\n',
  '\r\n',
  '-',
  'a-',
  'y',
  'yy',
  '@',
  'a@',
  '.',
  'a.',
  'www.',
  'http://',
  'оператор ',
  'не ',
  'кто-нибудь ',
  'позовите оператора, ',
  'talk to a human. ',
  'ghbdtn ',
  'jgthfnjh ',
  '!!!',
  '?!',
  'ЗАГЛАВНЫЕ ',
  '\u00a0',
  '\u200b',
  '\ud83d',
  '\ude00',
  '😀',
  'От: ',
  'On Mon wrote:',
  ' пишет:',
  '-- ',
  'С уважением',
  'qsym ',
  '+ ',
  '"!!',
  ',',
  ';',
];

const adversarial = fc
  .array(fc.tuple(fc.constantFrom(...PIECES), fc.integer({ min: 1, max: BODY_LIMIT })), { minLength: 1, maxLength: 4 })
  .map((parts) =>
    parts
      .map(([piece, times]) => piece.repeat(Math.ceil(times / piece.length)))
      .join('')
      .slice(0, BODY_LIMIT),
  );
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 3_000 });
const words = fc
  .array(fc.constantFrom(...PIECES, 'оплата', 'заказ', 'human', 'agent', 'спасибо', 'привет', 'https://x.ru/a'), { maxLength: 3_000 })
  .map((ws) => ws.join(' '));

function check(text: string): void {
  for (const input of [{ text }, { html: text }]) {
    const result = classify({ ...input, skill, history: ['Позвать оператора?', text.slice(0, 200)] });
    expect(INTENTS).toContain(result.intent);
    expect(result.cleanText.length).toBeLessThanOrEqual(CLASSIFY_MAX_CHARS);
  }
}

describe('classify on arbitrary input', () => {
  jest.setTimeout(120_000);

  it('never throws on adversarial repetitions up to the body limit', () => {
    fc.assert(
      fc.property(adversarial, (text) => check(text)),
      { numRuns: 60, seed: 20261129 },
    );
  });

  it('never throws on random code units, lone surrogates included', () => {
    fc.assert(
      fc.property(codeUnits, (text) => check(text)),
      { numRuns: 150, seed: 7 },
    );
  });

  it('never throws on random mixes of meaningful words and markup', () => {
    fc.assert(
      fc.property(words, (text) => check(text)),
      { numRuns: 100, seed: 11 },
    );
  });

  it.each([
    ['64 kB of "a "', 'a '.repeat(32_768)],
    ['<b> nested 21,845 deep', '<b>'.repeat(21_845)],
    ['</i> stray 16,384 times under 16,384 open <b>', '<b>'.repeat(8_192) + '</i>'.repeat(8_192)],
    ['one 64 kB word', 'y'.repeat(BODY_LIMIT)],
    ['64 kB of hyphenated letters', 'a-'.repeat(32_768)],
    ['64 kB of unclosed tag starts', '<a'.repeat(32_768)],
  ])('reads %s', (_name, text) => check(text));
});
