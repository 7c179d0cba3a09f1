import { comparableText, matchesSentText } from './comparable-text';

describe('comparableText', () => {
  const sent = '<p>Здравствуйте!</p><p>Оплатить можно картой &amp; наличными. <a href="https://x.example/pay">Подробнее</a></p>';

  it('reads HDE HTML as plain text: tags, link targets, spacing and case do not count', () => {
    expect(comparableText(sent)).toBe('здравствуйте! оплатить можно картой & наличными. подробнее');
    expect(comparableText('<div>ЗДРАВСТВУЙТЕ!\n\n</div>  оплатить можно картой &amp; наличными.   Подробнее')).toBe(comparableText(sent));
  });

  it('reads deeply nested HTML without overflowing the stack (a 7 KB post of nested tags did)', () => {
    const deep = `${'<b>'.repeat(6_000)}x`;
    expect(() => comparableText(deep)).not.toThrow();
    expect(comparableText(`<div><p><b>${'<i>'.repeat(10)}Ответ${'</i>'.repeat(10)}</b></p></div>`)).toBe('ответ');
  });

  it('reads HTML sent escaped for display (a rule rendering the text) as the same text', () => {
    const escaped = sent.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    expect(comparableText(escaped)).toBe(comparableText(sent));
  });

  it('keeps escaped angle brackets inside real HTML as text, escaped once more or not', () => {
    const ours = '<p>Напишите нам с текстом &lt;ID заказа&gt; на номер 900</p>';
    const escaped = ours.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(comparableText(ours)).toBe('напишите нам с текстом <id заказа> на номер 900');
    expect(comparableText(escaped)).toBe(comparableText(ours));
  });

  it('keeps a lone angle bracket in plain text as text', () => {
    expect(comparableText('3 < 5 и 7 > 2')).toBe('3 < 5 и 7 > 2');
  });
});

describe('matchesSentText', () => {
  const sent = '<p>Здравствуйте!</p><p>Оплатить заказ можно картой на сайте или наличными курьеру.</p>';

  it('matches the same text, ours with a signature added, and ours cut short', () => {
    expect(matchesSentText('<div>здравствуйте! оплатить заказ можно картой на сайте или наличными курьеру.</div>', sent)).toBe(true);
    expect(matchesSentText(`${sent}<p>--<br>С уважением, поддержка</p>`, sent)).toBe(true);
    expect(matchesSentText('Здравствуйте! Оплатить заказ можно картой на сайте', sent)).toBe(true);
  });

  it('does not match another text, nor short texts inside longer ones', () => {
    expect(matchesSentText('<p>Здравствуйте!</p><p>Вернуть товар можно в течение 14 дней.</p>', sent)).toBe(false);
    expect(matchesSentText('<p>Да, конечно, сейчас проверю.</p>', '<p>Да</p>')).toBe(false);
    expect(matchesSentText('Здравствуйте!', sent)).toBe(false);
    expect(matchesSentText('', sent)).toBe(false);
  });
});
