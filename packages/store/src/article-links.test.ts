import { articleLinks, splitArticle } from './passages';

describe('the addresses an article links to', () => {
  it("reads HTML hrefs and Markdown targets, which the passages' text does not keep", () => {
    const html =
      '<p>Заполните <a href="https://forms.example.com/return?a=1&amp;b=2">форму возврата</a> или <a href=\'http://x.example/y\'>тут</a>.</p>';
    expect(articleLinks(html, 'html')).toEqual(['https://forms.example.com/return?a=1&b=2', 'http://x.example/y']);
    expect(splitArticle(html, 'html')[0]!.text).not.toContain('forms.example.com');
    const markdown = 'Заполните [форму возврата](https://forms.example.com/return) и [ещё](https://forms.example.com/return).';
    expect(articleLinks(markdown, 'markdown')).toEqual(['https://forms.example.com/return']);
    expect(splitArticle(markdown, 'markdown')[0]!.text).not.toContain('forms.example.com');
  });

  it('reads a Markdown target with a title, and drops one too long rather than cutting it', () => {
    expect(articleLinks('[форма](https://forms.example.com/return "Форма возврата")', 'markdown')).toEqual([
      'https://forms.example.com/return',
    ]);
    expect(articleLinks(`[длинная](https://l.example/${'a'.repeat(600)}) [ок](https://ok.example/)`, 'markdown')).toEqual([
      'https://ok.example/',
    ]);
  });

  it('keeps web links only, at most fifty, and reads plain text as having none of its own', () => {
    expect(articleLinks('<a href="javascript:alert(1)">x</a><a href="mailto:a@b.c">m</a><a href="/relative">r</a>', 'html')).toEqual([]);
    const many = Array.from({ length: 80 }, (_, i) => `<a href="https://x.example/${i}">${i}</a>`).join(' ');
    expect(articleLinks(many, 'html')).toHaveLength(50);
    expect(articleLinks('see https://x.example/a', 'text')).toEqual([]);
  });

  it('reads a hostile body of unclosed links to its end (bounded patterns: no backtracking blow-up)', () => {
    const hostile = `${'href="https://'.repeat(20_000)}${'](https://'.repeat(20_000)}<a href="https://end.example/">e</a>`;
    expect(articleLinks(hostile, 'html')).toContain('https://end.example/');
    expect(articleLinks(hostile, 'markdown')).toEqual([]);
  });
});
