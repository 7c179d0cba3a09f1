import { createArticleSplitter, type ArticleSplitter } from './article-splitter';
import { splitArticle } from './passages';

describe('createArticleSplitter', () => {
  let splitter: ArticleSplitter;
  beforeEach(() => {
    // Far above a thread's start and an ordinary article's split, even on a loaded machine; far
    // below the hostile body's seconds.
    splitter = createArticleSplitter({ timeoutMs: 2_000 });
  });
  afterEach(async () => {
    await splitter.close();
  });

  it('gives the passages the Markdown and HTML splitters give on the caller thread', async () => {
    const markdown = '# Доставка\n\nКурьер привозит **за 1–2 дня**.\n\n## Самовывоз\n\n- пункт 1\n- пункт 2';
    const html = '<h2>Warranty</h2><p>Two years from <b>purchase</b>.</p><p>Keep the receipt.</p>';
    await expect(splitter.split(markdown, 'markdown')).resolves.toEqual({ passages: splitArticle(markdown, 'markdown'), plain: false });
    await expect(splitter.split(html, 'html')).resolves.toEqual({ passages: splitArticle(html, 'html'), plain: false });
  });

  it('keeps a body the lexer cannot split in time as plain text, while the caller loop keeps running', async () => {
    // Fifty 4,000-character paragraphs of `_a*`: the Markdown lexer needs seconds for them.
    const paragraph = '_a*'.repeat(1_333);
    const hostile = `# Коды\n\n${Array.from({ length: 50 }, () => paragraph).join('\n\n')}`;
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 20);
    const result = await splitter.split(hostile, 'markdown').finally(() => clearInterval(timer));
    expect(result).toEqual({ passages: splitArticle(hostile, 'text'), plain: true });
    // On the caller's thread the timer could not fire before the split ended.
    expect(ticks).toBeGreaterThanOrEqual(3);
    // The thread was replaced: the next article splits normally.
    await expect(splitter.split('Просто *текст*.', 'markdown')).resolves.toEqual({
      passages: [{ heading: '', text: 'Просто текст.' }],
      plain: false,
    });
  });

  it('splits plain text on the caller thread, and everything as plain text once closed', async () => {
    await expect(splitter.split('one\n\ntwo', 'text')).resolves.toEqual({ passages: splitArticle('one\n\ntwo', 'text'), plain: true });
    await splitter.close();
    await expect(splitter.split('**bold**', 'markdown')).resolves.toEqual({ passages: [{ heading: '', text: '**bold**' }], plain: true });
  });
});
