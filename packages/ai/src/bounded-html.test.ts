import { Parser } from 'htmlparser2';
import { boundHtml } from './bounded-html';
import { cleanCustomerText } from './clean-text';

/** Deepest element nesting of an HTML string, as htmlparser2 reads it. */
function depthOf(html: string): number {
  let depth = 0;
  let max = 0;
  const parser = new Parser({
    onopentag() {
      depth++;
      max = Math.max(max, depth);
    },
    onclosetag() {
      depth--;
    },
  });
  parser.write(html);
  parser.end();
  return max;
}

describe('boundHtml', () => {
  it('flattens nesting deeper than the limit and keeps the text', () => {
    const html = '<b>'.repeat(21_845) + 'позовите оператора';
    const bounded = boundHtml(html);
    expect(depthOf(bounded)).toBeLessThanOrEqual(32);
    expect(cleanCustomerText(html)).toBe('позовите оператора');
  });

  it('keeps block structure as line breaks past the depth limit', () => {
    const html = '<div>'.repeat(40) + 'first' + '<div>second</div>' + '</div>'.repeat(40);
    expect(
      cleanCustomerText(html)
        .split('\n')
        .filter((l) => l !== ''),
    ).toEqual(['first', 'second']);
  });

  it('drops quotes, scripts, styles, comments and attributes', () => {
    const html =
      '<p style="x" onclick="y">Где мой заказ?</p><blockquote><p>old <b>quoted</b> text</p></blockquote>' +
      '<script>alert(1)</script><style>p{}</style><!-- note --><img src="data:image/png;base64,AAAA">';
    const bounded = boundHtml(html);
    expect(bounded).not.toMatch(/style=|onclick|alert|quoted|note|img/);
    expect(cleanCustomerText(html)).toBe('Где мой заказ?');
  });

  it('passes entities through and keeps a text "<" from opening a tag', () => {
    expect(cleanCustomerText('<p>A &amp; B &lt;b&gt; &#1087;</p>')).toBe('A & B <b> п');
    expect(cleanCustomerText('<p>if a < b and c > d</p>')).toBe('if a < b and c > d');
  });

  it('closes implicitly closed siblings so many paragraphs stay shallow', () => {
    const html = '<p>line'.repeat(500);
    expect(depthOf(boundHtml(html))).toBeLessThanOrEqual(2);
    expect(
      cleanCustomerText(html)
        .split('\n')
        .filter((l) => l !== ''),
    ).toHaveLength(500);
  });

  it('stops after the text limit', () => {
    const bounded = boundHtml(`<p>${'слово '.repeat(100_000)}</p>`, { maxDepth: 32, maxTextChars: 1_000, maxOutputChars: 10_000 });
    expect(bounded.length).toBeLessThan(1_100);
    expect(bounded.endsWith('</p>')).toBe(true);
  });
});
