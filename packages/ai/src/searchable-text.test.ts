import { searchableText } from './searchable-text';

describe('searchableText', () => {
  it("drops a letter's greeting and salutation lines, and the thanks that close it", () => {
    expect(searchableText('Здравствуйте!\n\nскока дней везти в новосибирск')).toBe('скока дней везти в новосибирск');
    expect(searchableText('Доброго времени суток!\n\nГде мой заказ?')).toBe('Где мой заказ?');
    expect(searchableText('Hello,\n\nwhere is my order?\n\nThanks in advance!')).toBe('where is my order?');
    expect(searchableText('Dear support,\nHow do I reset my password? Thank you.')).toBe('How do I reset my password?');
    expect(searchableText('Уважаемые коллеги!\nКак продлить абонемент?')).toBe('Как продлить абонемент?');
    expect(searchableText('Заказ не пришёл. Заранее спасибо!')).toBe('Заказ не пришёл.');
  });

  it('drops a greeting that opens the first sentence', () => {
    expect(searchableText('Добрый день, подскажите как вернуть товар?')).toBe('подскажите как вернуть товар?');
    expect(searchableText('Hi team, how do I export my invoices?')).toBe('how do I export my invoices?');
  });

  it('keeps a message that is only a greeting or thanks, and words that only look like one', () => {
    expect(searchableText('Hello')).toBe('Hello');
    expect(searchableText('Спасибо!')).toBe('Спасибо!');
    expect(searchableText('Добрый день')).toBe('Добрый день');
    expect(searchableText('Спасибо, но заказ так и не пришёл')).toBe('Спасибо, но заказ так и не пришёл');
    expect(searchableText('Доброе утро — это ваш кофе на завтрак? Сколько стоит?')).toBe(
      'Доброе утро — это ваш кофе на завтрак? Сколько стоит?',
    );
    expect(searchableText('')).toBe('');
  });

  it('reads a long text in one pass', () => {
    const text = `${'Здравствуйте!\n'.repeat(2_000)}Где заказ?${' Спасибо!'.repeat(2_000)}`;
    expect(searchableText(text)).toBe('Где заказ?');
  });
});
