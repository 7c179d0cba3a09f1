import { detectLanguage } from './detect-language';

describe('detectLanguage', () => {
  it.each([
    ['Здравствуйте, где мой заказ?', 'ru'],
    ['оператор', 'ru'],
    ['Доброго дня, підкажіть будь ласка чи є доставка у Львів', 'uk'],
    ['з оператором', 'uk'],
    ["з'єднайте з менеджером", 'uk'],
    ['як змінити пароль', 'uk'],
    ['How do I change my password?', 'en'],
    ['agent', 'en'],
    ['kak oplatit zakaz', 'ru'],
    ['12345 ???', 'other'],
  ])('reads %s as %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
});
