import { splitArticle } from './passages';

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
      { heading: 'Коды', text: long },
      { heading: 'Коды', text: 'Конец' },
    ]);
    // 4,000 quote levels overflowed the lexer's recursion (a RangeError out of the import).
    const nested = `${'>'.repeat(4_000)} x`;
    expect(splitArticle(nested, 'markdown')).toEqual([{ heading: '', text: nested }]);
    expect(splitArticle(`${'>'.repeat(3_900)} x`, 'markdown')).toHaveLength(1);
  });
});
