import { MAX_PASSAGE_CHARS, splitArticle } from './passages';

describe('splitArticle (Markdown)', () => {
  it('keeps each paragraph with its nearest heading, as plain text', () => {
    expect(splitArticle('# Доставка\n\nКурьер привозит **за 1–2 дня**.\n\n## Самовывоз\n\n- пункт 1\n- пункт 2', 'markdown')).toEqual([
      { heading: 'Доставка', text: 'Курьер привозит за 1–2 дня.' },
      { heading: 'Самовывоз', text: '• пункт 1\n• пункт 2' },
    ]);
  });

  it('keeps a block too long or too deeply nested for the Markdown lexer as plain text, beside the rest', () => {
    const long = `${'_'.repeat(64_000)}x`;
    expect(splitArticle(`# Коды\n\nВведите **код**.\n\n${long}\n\nКонец`, 'markdown')).toEqual([
      { heading: 'Коды', text: 'Введите код.' },
      // Kept as text, in passages of at most MAX_PASSAGE_CHARS.
      ...Array.from({ length: Math.ceil(long.length / MAX_PASSAGE_CHARS) }, (_, i) => ({
        heading: 'Коды',
        text: long.slice(i * MAX_PASSAGE_CHARS, (i + 1) * MAX_PASSAGE_CHARS),
      })),
      { heading: 'Коды', text: 'Конец' },
    ]);
    // 4,000 quote levels overflowed the lexer's recursion (a RangeError out of the import).
    const nested = `${'>'.repeat(4_000)} x`;
    expect(splitArticle(nested, 'markdown')).toEqual([{ heading: '', text: nested }]);
    expect(splitArticle(`${'>'.repeat(3_900)} x`, 'markdown')).toHaveLength(1);
  });
});

describe('splitArticle (passage length)', () => {
  it('cuts a paragraph longer than a passage may be at spaces, keeping every word once', () => {
    const words = Array.from({ length: 4_000 }, (_, i) => `слово${i}`);
    const html = `<h2>Журнал</h2><p>${words.join(' ')}</p>`;
    const passages = splitArticle(html, 'html');
    expect(passages.length).toBeGreaterThan(1);
    expect(passages.every((p) => p.text.length <= MAX_PASSAGE_CHARS)).toBe(true);
    expect(passages.flatMap((p) => p.text.split(' ')).filter((w) => w !== 'ЖУРНАЛ')).toEqual(words);
    // A run with no space at all is cut at the limit.
    expect(splitArticle('x'.repeat(MAX_PASSAGE_CHARS * 2 + 5), 'text').map((p) => p.text.length)).toEqual([
      MAX_PASSAGE_CHARS,
      MAX_PASSAGE_CHARS,
      5,
    ]);
  });
});
