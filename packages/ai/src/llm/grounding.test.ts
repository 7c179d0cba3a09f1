import { checkGrounding, splitSentences } from './grounding';

const passages = [
  'Доставка по Москве стоит 300 рублей и занимает 1–2 рабочих дня. Курьер звонит за час до приезда.',
  'Вернуть товар можно в течение 14 дней с момента получения, сохранив чек и упаковку.',
];

describe('checkGrounding', () => {
  it('accepts sentences supported by the passages they cite', () => {
    const r = checkGrounding('Доставка по Москве стоит 300 рублей [1]. Вернуть товар можно в течение 14 дней [2].', passages);
    expect(r).toEqual({ grounded: true, citedPassages: [1, 2], unsupported: [] });
  });

  it('lets a sentence borrow the citation of the next one in its paragraph', () => {
    const r = checkGrounding('Курьер звонит за час до приезда. Доставка занимает 1–2 рабочих дня [1].', passages);
    expect(r.grounded).toBe(true);
  });

  it('rejects an answer that cites nothing', () => {
    expect(checkGrounding('Доставка по Москве стоит 300 рублей.', passages)).toMatchObject({ grounded: false, citedPassages: [] });
  });

  it('rejects a sentence whose words are not in the cited passage', () => {
    const r = checkGrounding('Доставка стоит 300 рублей [1]. Также мы дарим подарочный сертификат каждому покупателю [1].', passages);
    expect(r.grounded).toBe(false);
    expect(r.unsupported).toEqual([{ sentence: expect.stringContaining('сертификат') as unknown as string, reason: 'low_overlap' }]);
  });

  it('rejects numbers and prices that are not in the cited passages', () => {
    const r = checkGrounding('Доставка по Москве стоит 500 рублей [1].', passages);
    expect(r.unsupported[0]?.reason).toBe('number_not_in_passages');
    expect(checkGrounding('Вернуть товар можно в течение 14 дней [1].', passages).grounded).toBe(false);
  });

  it('rejects a citation of a passage that does not exist', () => {
    expect(checkGrounding('Доставка стоит 300 рублей [3].', passages).unsupported[0]?.reason).toBe('bad_citation');
  });

  it('does not check courtesy phrases and one-word sentences', () => {
    expect(checkGrounding('Здравствуйте! Доставка стоит 300 рублей [1]. Надеюсь, это поможет.', passages).grounded).toBe(true);
  });

  it('splits paragraphs into sentences', () => {
    expect(splitSentences('Один. Два! Три?\n\nЧетыре')).toEqual([['Один.', 'Два!', 'Три?'], ['Четыре']]);
  });
});
