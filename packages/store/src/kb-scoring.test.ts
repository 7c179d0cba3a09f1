import { allowedEdits, editDistance, scoreArticles, type PassageMatch, type QueryTerm, type ScoringWeights } from './kb-scoring';

const weights: ScoringWeights = { passage: 0.4, article: 0.2, title: 0.2, heading: 0.2, marginRatio: 0, marginPenalty: 0 };

function term(weight: number, ...alternatives: Array<[string, number]>): QueryTerm {
  return { weight, alternatives: new Map(alternatives) };
}

function passage(passageId: number, articleId: number, lexemes: Record<string, string>, rank = 0.1): PassageMatch {
  return { passageId, articleId, rank, lexemes: new Map(Object.entries(lexemes)) };
}

describe('scoreArticles', () => {
  it('gives an article that covers every word in its title, heading and text the full score', () => {
    const terms = [term(0.5, ['доставк', 1]), term(0.5, ['москв', 1])];
    const [hit] = scoreArticles(terms, [passage(1, 10, { доставк: 'AC', москв: 'AC' })], weights);
    expect(hit).toEqual({ articleId: 10, passageId: 1, score: 1, rank: 0.1 });
  });

  it('scores one hit per article, quoting its best passage, and counts words spread over passages', () => {
    const terms = [term(0.5, ['гарант', 1]), term(0.5, ['ремонт', 1])];
    const hits = scoreArticles(
      terms,
      [passage(1, 10, { гарант: 'C' }), passage(2, 10, { ремонт: 'C', гарант: 'C' }), passage(3, 20, { ремонт: 'C' })],
      weights,
    );
    expect(hits.map((h) => [h.articleId, h.passageId])).toEqual([
      [10, 2],
      [20, 3],
    ]);
    // Article 10: passage and article cover both words, no title or heading: 0.4 + 0.2.
    expect(hits[0]?.score).toBeCloseTo(0.6);
    expect(hits[1]?.score).toBeCloseTo(0.3);
  });

  it('ranks a heading match above the same words in the text, and title above heading', () => {
    const terms = [term(1, ['рассрочк', 1])];
    const hits = scoreArticles(
      terms,
      [passage(1, 10, { рассрочк: 'C' }), passage(2, 20, { рассрочк: 'BC' }), passage(3, 30, { рассрочк: 'AC' })],
      weights,
    );
    expect(hits.map((h) => h.articleId)).toEqual([30, 20, 10]);
  });

  it('counts a match through an alternative by its factor', () => {
    const terms = [term(1, ['доставкаа', 1], ['доставк', 0.9])];
    expect(scoreArticles(terms, [passage(1, 10, { доставк: 'AC' })], weights)[0]?.score).toBeCloseTo(0.9);
  });

  it('breaks ties by ts_rank_cd', () => {
    const terms = [term(1, ['заказ', 1])];
    const hits = scoreArticles(terms, [passage(1, 10, { заказ: 'C' }, 0.1), passage(2, 20, { заказ: 'C' }, 0.3)], weights);
    expect(hits.map((h) => h.articleId)).toEqual([20, 10]);
  });

  it('lowers the scores when the runner-up is nearly as good, keeping the order', () => {
    const terms = [term(0.5, ['возврат', 1]), term(0.5, ['деньг', 1])];
    const passages = [passage(1, 10, { возврат: 'AC', деньг: 'C' }), passage(2, 20, { возврат: 'AC' })];
    const plain = scoreArticles(terms, passages, weights);
    const withMargin = scoreArticles(terms, passages, { ...weights, marginRatio: 0.5, marginPenalty: 0.5 });
    expect(withMargin.map((h) => h.articleId)).toEqual(plain.map((h) => h.articleId));
    expect(withMargin[0]!.score).toBeLessThan(plain[0]!.score);
    // A clear winner keeps its score.
    const clear = scoreArticles(terms, passages, { ...weights, marginRatio: 0.1, marginPenalty: 0.5 });
    expect(clear[0]!.score).toBeCloseTo(plain[0]!.score);
  });

  it('returns nothing for no passages', () => {
    expect(scoreArticles([term(1, ['x', 1])], [], weights)).toEqual([]);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours', () => {
    expect(editDistance('удолен', 'удален')).toBe(1);
    expect(editDistance('доставк', 'доставкаа')).toBe(2);
    expect(editDistance('рассрочк', 'расрочк')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('allows more edits in longer words and none in short ones', () => {
    expect(allowedEdits(4)).toBe(0);
    expect(allowedEdits(5)).toBe(1);
    expect(allowedEdits(8)).toBe(2);
  });
});
