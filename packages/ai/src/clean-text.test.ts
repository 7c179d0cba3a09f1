import { cleanCustomerText } from './clean-text';

describe('cleanCustomerText', () => {
  it('turns HDE HTML with entities and breaks into plain text', () => {
    expect(cleanCustomerText('<p>Где&nbsp;мой заказ?</p><p>Номер&nbsp;4512 &amp; 4513</p>')).toBe('Где мой заказ?\nНомер 4512 & 4513');
  });

  it('drops blockquotes holding the earlier conversation', () => {
    expect(cleanCustomerText('<div>Оператора!</div><blockquote>Здравствуйте! Чем могу помочь?</blockquote>')).toBe('Оператора!');
  });

  it('drops quoted "> " lines and everything after an "On … wrote:" header', () => {
    const text = 'Still broken\n\nOn Mon, 5 May 2025 at 10:00, Support <s@x.ru> wrote:\n> Try again\n> please';
    expect(cleanCustomerText(text)).toBe('Still broken');
  });

  it('drops a Russian "… пишет:" quote header and what follows', () => {
    expect(cleanCustomerText('Спасибо\n\n12.05.2025 14:03, Служба поддержки пишет:\n> Могу помочь')).toBe('Спасибо');
  });

  it('drops an Outlook original message block', () => {
    expect(cleanCustomerText('Как оплатить?\n\n-----Original Message-----\nFrom: Support\nHello')).toBe('Как оплатить?');
  });

  it('drops a Gmail-in-Russian quote header written in HTML', () => {
    const html = 'Где заказ?<br><br>Пн, 12 мая 2025 г. в 14:03, Поддержка &lt;help@shop.ru&gt;:<br>&gt; Позову оператора';
    expect(cleanCustomerText(html)).toBe('Где заказ?');
  });

  it('drops e-mail signatures: "--", "С уважением", "Best regards", "Отправлено с iPhone"', () => {
    expect(cleanCustomerText('Мне нужен счёт\n-- \nАнна, бухгалтер')).toBe('Мне нужен счёт');
    expect(cleanCustomerText('Мне нужен счёт\n\nС уважением,\nИван')).toBe('Мне нужен счёт');
    expect(cleanCustomerText('<p>Need an invoice</p><p>Best regards,<br>John</p>')).toBe('Need an invoice');
    expect(cleanCustomerText('Где заказ\n\nОтправлено с iPhone')).toBe('Где заказ');
  });

  it('normalises whitespace and tolerates empty input', () => {
    expect(cleanCustomerText('  много    пробелов \n\n\n\n и строк  ')).toBe('много пробелов\n\nи строк');
    expect(cleanCustomerText('')).toBe('');
    expect(cleanCustomerText(undefined)).toBe('');
    expect(cleanCustomerText('<p><br></p>')).toBe('');
  });
});

describe('cleanCustomerText, a quote before the answer', () => {
  it('keeps what follows a quote the customer put first ("Бот написал:" and `>` lines)', () => {
    expect(cleanCustomerText('Бот написал:\n> Заказ отменён.\nНо я его не отменял!')).toBe('Но я его не отменял!');
    expect(cleanCustomerText('Ответ ниже\n\nСлужба поддержки написала:\n> Могу помочь\nстарое')).toBe('Ответ ниже');
  });
});
