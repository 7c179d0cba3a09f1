import { parseMarkdownArticle } from './markdown-folder';

describe('parseMarkdownArticle', () => {
  it('reads front matter, or the file name and first heading without it', () => {
    expect(parseMarkdownArticle('pay.md', '---\nid: pay\ntitle: Оплата\ntags: [оплата]\n---\nКартой или наличными.', 's1')).toMatchObject({
      externalId: 'pay',
      title: 'Оплата',
      tags: ['оплата'],
      body: 'Картой или наличными.',
    });
    expect(parseMarkdownArticle('ship.md', '# Доставка\n\nЗа 1–2 дня.', 's1')).toMatchObject({ externalId: 'ship', title: 'Доставка' });
  });

  it('refuses front matter of more than a few ids and tags, before reading it as YAML', () => {
    const huge = `---\n${Array.from({ length: 2_000 }, (_, i) => `k${i}: value`).join('\n')}\n---\nТекст`;
    expect(() => parseMarkdownArticle('big.md', huge, 's1')).toThrow(/front matter is longer than 16000 characters/);
    expect(() => parseMarkdownArticle('open.md', `---\n${'x'.repeat(20_000)}`, 's1')).toThrow(/closing --- is missing/);
  });
});
