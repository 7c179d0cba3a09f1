import { KbIndex, type IndexedArticle } from './kb-index';
import { calibrate, calibratedScore, DEFAULT_ANSWER_THRESHOLD, probeOf, rawConfidence, UNCALIBRATED } from './kb-confidence';

const topics = [
  ['Сроки доставки', 'Курьер привозит заказ по Москве за один-два дня, в регионы за три-семь дней.'],
  ['Возврат товара', 'Вернуть товар надлежащего качества можно в течение четырнадцати дней после получения.'],
  ['Способы оплаты', 'Оплатить заказ можно банковской картой, через СБП или наличными курьеру.'],
  ['Гарантийный ремонт', 'Гарантия на смартфоны действует двенадцать месяцев, ремонт в сервисном центре.'],
  ['Пункты выдачи', 'Заказ хранится в пункте выдачи семь дней, срок хранения можно продлить.'],
  ['Подарочные карты', 'Подарочную карту можно купить на сайте, номинал от пятисот рублей.'],
  ['Смена пароля', 'Пароль меняется в личном кабинете, ссылка придёт на электронную почту.'],
  ['Рассрочка', 'Рассрочка без переплаты на шесть месяцев оформляется при заказе от трёх тысяч.'],
];
let passage = 1;
const articles: IndexedArticle[] = topics.map(([title, text], i) => ({
  id: i + 1,
  title: title!,
  passages: [{ id: passage++, heading: '', text: text! }],
}));

describe('answer confidence and its calibration', () => {
  const index = new KbIndex({ version: '1', articles });
  const search = (q: string, exclude?: ReadonlySet<number>) => index.search(q, { limit: 10, ...(exclude ? { exclude } : {}) });

  it('is higher for a question the knowledge base answers than for the same question with its article left out', () => {
    const q = 'сколько дней хранится заказ в пункте выдачи';
    const inside = rawConfidence(index, search(q));
    const outside = rawConfidence(index, search(q, new Set([5])));
    expect(inside.raw).toBeGreaterThan(outside.raw);
    expect(inside.raw).toBeGreaterThan(0);
    expect(inside.raw).toBeLessThan(1);
  });

  it('takes confidence away at a near-tie between two different articles', () => {
    const twins = new KbIndex({
      version: '1',
      articles: [
        { id: 1, title: 'Возврат товара', passages: [{ id: 1, heading: '', text: 'Вернуть товар можно в течение 14 дней.' }] },
        { id: 2, title: 'Возврат техники', passages: [{ id: 2, heading: '', text: 'Вернуть технику можно в течение 14 дней.' }] },
        { id: 3, title: 'Доставка', passages: [{ id: 3, heading: '', text: 'Курьер привозит заказ за день.' }] },
      ],
    });
    const c = rawConfidence(twins, twins.search('вернуть в течение 14 дней', { limit: 10 }));
    expect(c.gap).toBeLessThan(0.35);
    expect(c.raw).toBeLessThan(c.coverage);
  });

  it('learns a boundary from probes that left-out probes seldom reach, and right probes usually do', () => {
    const c = calibrate(index, search);
    expect(c.probes).toBe(articles.length);
    expect(c.leftOutAnswered).toBeLessThanOrEqual(Math.ceil(c.probes * 0.2));
    expect(c.answeredRight).toBeGreaterThan(c.probes / 2);
    expect(c.typical).toBeGreaterThan(c.boundary);
  });

  it('maps the calibrated boundary onto the default threshold, monotonically', () => {
    const c = { ...UNCALIBRATED, boundary: 0.4, typical: 0.7 };
    expect(calibratedScore(0.4, c)).toBeCloseTo(DEFAULT_ANSWER_THRESHOLD, 6);
    expect(calibratedScore(0.7, c)).toBeCloseTo(0.9, 6);
    let last = -1;
    for (let raw = 0; raw <= 1.0001; raw += 0.05) {
      const s = calibratedScore(raw, c);
      expect(s).toBeGreaterThanOrEqual(last);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      last = s;
    }
  });

  it('does not calibrate a knowledge base too small to learn from', () => {
    const tiny = new KbIndex({ version: '1', articles: articles.slice(0, 2) });
    expect(calibrate(tiny, (q, e) => tiny.search(q, { ...(e ? { exclude: e } : {}) }))).toEqual(UNCALIBRATED);
  });

  it('makes probes of titles, or of the first sentence of answers-only articles', () => {
    expect(probeOf(articles[0]!)).toBe('Сроки доставки');
    expect(probeOf({ title: '', passages: [{ text: 'Да. Курьер привозит заказ за один день. Потом ещё.' }] })).toBe(
      'Курьер привозит заказ за один день.',
    );
  });
});
