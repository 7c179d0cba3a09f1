import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KbIndex, type IndexedArticle } from './kb-index';
import { KB_TUNING } from './kb-search-tuning';

let nextPassage = 1;
function article(id: number, title: string, ...texts: Array<string | { heading: string; text: string }>): IndexedArticle {
  return {
    id,
    title,
    passages: texts.map((t) => ({ id: nextPassage++, ...(typeof t === 'string' ? { heading: '', text: t } : t) })),
  };
}

const titled = [
  article(1, 'Сроки доставки', 'Курьер привозит заказ по Москве за 1–2 дня, в регионы за 3–7 дней.'),
  article(2, 'Возврат товара', 'Вернуть товар надлежащего качества можно в течение 14 дней после получения.'),
  article(3, 'Способы оплаты', 'Оплатить заказ можно картой, через СБП или наличными курьеру.'),
  article(
    4,
    'Гарантийный ремонт',
    { heading: 'Гарантийный срок', text: 'Гарантия на смартфоны действует 12 месяцев с даты получения.' },
    {
      heading: 'Когда гарантия не действует',
      text: 'Механические повреждения и следы жидкости не являются гарантийным случаем.',
    },
  ),
  article(5, 'Change your password', 'Open the account page and choose Reset password; a link arrives by e-mail.'),
];

describe('KbIndex', () => {
  const index = new KbIndex({ version: '1', articles: titled });
  const top = (q: string) => index.search(q)[0]?.articleId;

  it('ranks the article that answers the question first, in Russian and English', () => {
    expect(top('сколько дней идёт доставка в регионы')).toBe(1);
    expect(top('как вернуть товар')).toBe(2);
    expect(top('можно ли оплатить через сбп')).toBe(3);
    expect(top('how do I reset my password')).toBe(5);
  });

  it('joins related word forms and corrects typos of words the knowledge base uses', () => {
    // «гарантия» and «гарантийный» have different Snowball stems.
    expect(top('гарантийный смартфон')).toBe(4);
    expect(top('доставкаа курьером')).toBe(1);
    expect(top('вазврат товара')).toBe(2);
  });

  it('corrects a letter typed three times when that changes the stem, and leaves correct words alone', () => {
    const kb = new KbIndex({
      version: 'typos',
      articles: [
        article(1, '', 'Некоторые данные можно поменять в личном кабинете.'),
        article(2, '', 'The app stated the total before payment. We hope to vote soon.'),
        article(3, '', 'Как вести учёт заказов.'),
      ],
    });
    // «даннные» stems to данн, «данные» to дан: the stem's own one-edit neighbourhood misses it.
    expect(kb.search('исправить даннные')[0]?.articleId).toBe(1);
    expect(kb.search('исправить даннные', { tuning: { ...KB_TUNING, surfaceTypos: 0 } })).toEqual([]);
    // Correct words the knowledge base lacks are not typos of others: «started» is not «stated»,
    // «hopping» not «hoping», «ввести» not «вести».
    const off = { tuning: { ...KB_TUNING, surfaceTypos: 0 } };
    for (const q of ['when was it started', 'hopping between pages', 'как ввести код']) {
      expect(kb.search(q)).toEqual(kb.search(q, off));
    }
    expect(kb.search('hopping between pages')).toEqual([]);
    // A run cut to one letter as well as to two: «voooting» is «voting».
    expect(kb.search('voooting')[0]?.articleId).toBe(2);
  });

  it('indexes an article holding a long pasted token (no typo variants of it) and finds it by its words', () => {
    const kb = new KbIndex({
      version: 'long-token',
      articles: [article(1, '', `Код доступа к личному кабинету: ${'qz'.repeat(10_000)}`), article(2, '', 'Доставка курьером по городу.')],
    });
    expect(kb.search('код доступа к кабинету')[0]?.articleId).toBe(1);
    expect(kb.search('доставкаа')[0]?.articleId).toBe(2);
  });

  it('quotes the passage that answers the question, not another passage of the same article', () => {
    expect(index.search('Сколько действует гарантия на смартфон?')[0]?.passage.heading).toBe('Гарантийный срок');
    expect(index.search('когда гарантия не действует, если залил жидкостью')[0]?.passage.heading).toBe('Когда гарантия не действует');
  });

  it('returns nothing for a question that shares no word with the knowledge base', () => {
    // Stop words are indexed (low weight), so such a question may touch articles, but covers none of them.
    expect(index.search('погода на марсе').every((h) => h.coverage < 0.2)).toBe(true);
    expect(index.search('квантовая телепортация')).toEqual([]);
  });

  it('leaves excluded articles out as if they were not there', () => {
    const hits = index.search('как вернуть товар', { exclude: new Set([2]) });
    expect(hits.map((h) => h.articleId)).not.toContain(2);
  });

  it('matches through the skill synonyms', () => {
    expect(top('как расплатиться')).not.toBe(3);
    expect(index.search('как расплатиться', { synonyms: [['расплатиться', 'оплатить']] })[0]?.articleId).toBe(3);
  });

  it('covers more of the question in a better answer', () => {
    const [best] = index.search('вернуть товар через 14 дней');
    expect(best?.articleId).toBe(2);
    expect(best?.coverage).toBeGreaterThan(0.7);
    const [partial] = index.search('вернуть подарочный сертификат');
    expect(partial?.coverage ?? 0).toBeLessThan(0.6);
  });

  it('works on answers-only articles (no titles)', () => {
    const answersOnly = new KbIndex({ version: '1', articles: titled.map((a) => ({ ...a, title: '' })) });
    expect(answersOnly.search('сколько дней идёт доставка в регионы')[0]?.articleId).toBe(1);
    expect(answersOnly.search('как вернуть товар')[0]?.articleId).toBe(2);
  });

  it('groups near-duplicates (same title or same text) so they are not rivals', () => {
    const dup = new KbIndex({
      version: '1',
      articles: [
        article(10, 'How to strike through text?', 'Use ~~tildes~~.'),
        article(11, 'How to strike through text?', 'Use <del> tags.'),
        article(12, '', 'Same answer text.'),
        article(13, '', 'Same  answer TEXT!'),
        article(14, 'Other', 'Other text.'),
      ],
    });
    expect(dup.groupOf(11)).toBe(dup.groupOf(10));
    expect(dup.groupOf(13)).toBe(dup.groupOf(12));
    expect(dup.groupOf(14)).not.toBe(dup.groupOf(10));
    expect(dup.groupMembers(10).sort()).toEqual([10, 11]);
  });

  it('bounds a pasted wall of text to a fixed number of query words', () => {
    const wall = Array.from({ length: 5000 }, (_, i) => `слово${i}`).join(' ');
    expect(() => index.search(`${wall} доставка`)).not.toThrow();
  });

  it('finds the demo knowledge base articles for their own titles', () => {
    const dir = path.join(__dirname, '..', '..', '..', 'apps', 'demo', 'kb');
    const file = readFileSync(path.join(dir, '11-warranty-repair.md'), 'utf8');
    const sections = file
      .split(/\n(?=## )/)
      .slice(1)
      .map((s) => {
        const [head, ...rest] = s.split('\n');
        return { heading: head!.replace(/^## /, ''), text: rest.join('\n').trim() };
      });
    const demo = new KbIndex({
      version: '1',
      articles: [article(20, 'Гарантийный ремонт', ...sections), ...titled.filter((a) => a.id !== 4)],
    });
    const [hit] = demo.search('Сколько действует гарантия на смартфон?');
    expect(hit?.articleId).toBe(20);
    expect(hit?.passage.heading).toBe('Гарантийный срок');
  });

  it('builds in slices the same index the constructor builds, giving the event loop turns meanwhile', async () => {
    const many = Array.from({ length: 300 }, (_, i) => {
      const base = titled[i % titled.length]!;
      return { ...base, id: 1000 + i, title: `${base.title} ${i}` };
    });
    let turns = 0;
    let running = true;
    const tick = (): void => {
      turns += 1;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    // sliceMs 0: a turn after every step, so the other work on the loop runs all through the build.
    const sliced = await KbIndex.build({ version: '2', articles: many }, undefined, 0);
    running = false;
    const whole = new KbIndex({ version: '2', articles: many });
    expect(turns).toBeGreaterThan(100);
    for (const q of ['сколько дней идёт доставка', 'гарантия на смартфон', 'reset password', 'оплата картой 17']) {
      expect(sliced.search(q, { limit: 5 })).toEqual(whole.search(q, { limit: 5 }));
    }
  });
});
