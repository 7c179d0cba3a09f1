import { asLetter } from '../src/eval/as-letters';

describe('asLetter', () => {
  it('puts the question between a greeting and a signature in its own alphabet, the same every run', () => {
    const ru = asLetter({ query: 'Где мой заказ?', relevant_article_ids: ['a'] }, 0);
    expect(ru.query).toBe('Здравствуйте!\n\nГде мой заказ?\n\nС уважением,\nАндрей Ким');
    expect(ru.relevant_article_ids).toEqual(['a']);
    const en = asLetter({ query: 'where is my order', relevant_article_ids: [] }, 1);
    expect(en.query).toBe('Hi there,\n\nwhere is my order\n\nThanks,\nPaul Henderson\nRegional Sales Manager\nNorwick Storage Ltd');
    expect(asLetter({ query: 'x', relevant_article_ids: [] }, 8)).toEqual(asLetter({ query: 'x', relevant_article_ids: [] }, 8));
  });

  it('meets every closing with every opening over a set', () => {
    const letters = new Set(Array.from({ length: 49 }, (_, i) => asLetter({ query: 'q', relevant_article_ids: [] }, i).query));
    expect(letters.size).toBe(49);
  });
});
