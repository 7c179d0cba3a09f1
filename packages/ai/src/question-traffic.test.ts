import { KbIndex, type IndexedArticle } from './kb-index';
import { stemWord } from './kb-analyzer';
import { createKbSearch } from './kb-search-service';
import { KB_TUNING, type KbTuning } from './kb-search-tuning';
import { learnQuestionTraffic, NO_TRAFFIC } from './question-traffic';
import { runAtOnce } from './sliced-work';

const learn = (texts: string[], tuning: KbTuning = KB_TUNING) => runAtOnce(learnQuestionTraffic(texts, tuning));

/** `n` conversations: `share` of them mention the virus by its everyday name, each asks something of its own. */
function conversations(n: number, share: number): string[] {
  return Array.from({ length: n }, (_, i) => (i < n * share ? `coronavirus question number${i}` : `question number${i}`));
}

describe('question traffic', () => {
  it('learns nothing from fewer conversations than trafficMinQuestions', () => {
    const traffic = learn(conversations(KB_TUNING.trafficMinQuestions - 1, 1));
    expect(traffic.weightOf(stemWord('coronavirus'))).toBe(1);
  });

  it('weighs a word most conversations use down as the log of its share, never below the floor', () => {
    const traffic = learn(conversations(200, 0.5));
    const expected = Math.log(1 / 0.5) / Math.log(1 / KB_TUNING.trafficCommonShare);
    expect(traffic.questions).toBe(200);
    expect(traffic.weightOf(stemWord('coronavirus'))).toBeCloseTo(expected, 6);
    // In every conversation: the floor.
    expect(traffic.weightOf(stemWord('question'))).toBe(KB_TUNING.trafficMinWeight);
    // A word of one conversation, and one never seen, count fully.
    expect(traffic.weightOf(stemWord('number7'))).toBe(1);
    expect(traffic.weightOf('unseen')).toBe(1);
  });

  it('leaves a word at or under the common share at full weight', () => {
    const traffic = learn(conversations(200, KB_TUNING.trafficCommonShare));
    expect(traffic.weightOf(stemWord('coronavirus'))).toBe(1);
  });

  it('counts a word once per conversation, however often it is repeated there', () => {
    const texts = [...Array.from({ length: 9 }, () => 'refund refund refund refund'), ...conversations(91, 0)];
    // 9 of 100 conversations: under the common share.
    expect(learn(texts).weightOf(stemWord('refund'))).toBe(1);
  });

  it('reads at most trafficMaxQuestions conversations, and of each at most maxQueryChars characters', () => {
    const tuning = { ...KB_TUNING, trafficMaxQuestions: 60, maxQueryChars: 20 };
    const texts = [...conversations(60, 0), ...Array.from({ length: 500 }, () => 'coronavirus')];
    expect(learn(texts, tuning).questions).toBe(60);
    expect(learn(texts, tuning).weightOf(stemWord('coronavirus'))).toBe(1);
    const long = Array.from({ length: 60 }, (_, i) => `question${i} ${'x'.repeat(30)} coronavirus`);
    expect(learn(long, tuning).weightOf(stemWord('coronavirus'))).toBe(1);
  });
});

describe('question traffic in ranking', () => {
  // The articles say COVID-19; a few also say coronavirus. Customers say coronavirus almost always.
  const articles: IndexedArticle[] = [
    { id: 1, title: 'Coronavirus and pets', passages: [{ id: 1, heading: '', text: 'Pets rarely catch the coronavirus from people.' }] },
    { id: 2, title: 'Vaccines against COVID-19', passages: [{ id: 2, heading: '', text: 'The vaccine is free in every clinic.' }] },
    { id: 3, title: 'COVID-19 testing', passages: [{ id: 3, heading: '', text: 'A test takes fifteen minutes.' }] },
    { id: 4, title: 'COVID-19 symptoms', passages: [{ id: 4, heading: '', text: 'Fever, cough and tiredness.' }] },
    { id: 5, title: 'COVID-19 at school', passages: [{ id: 5, heading: '', text: 'Schools stay open with masks.' }] },
  ];
  const tuning = { ...KB_TUNING, feedbackWeight: 0 };
  const index = new KbIndex({ version: '1', articles }, tuning);
  const traffic = learn(conversations(100, 0.9));
  const top = (weightOf?: (stem: string) => number) =>
    index.search('coronavirus vaccine', { tuning, ...(weightOf ? { wordWeight: weightOf } : {}) })[0]?.articleId;

  it('lets a word the articles seldom use pull its few articles up without traffic', () => {
    expect(top()).toBe(1);
  });

  it('ranks by the words that tell questions apart once the traffic shows the common one', () => {
    expect(top(traffic.weightOf)).toBe(2);
  });

  it('changes nothing with no traffic', () => {
    expect(top(NO_TRAFFIC.weightOf)).toBe(top());
  });

  it('is learnt by the search service from the source, refreshed when due, and optional when it fails', async () => {
    let clock = 0;
    let calls = 0;
    let failing = false;
    let texts = conversations(100, 0);
    const search = createKbSearch(
      {
        version: async () => '1',
        snapshot: async () => ({ version: '1', articles, synonyms: [] }),
        recentQuestions: async (_skill, limit) => {
          calls += 1;
          if (failing) throw new Error('database unreachable');
          return texts.slice(0, limit);
        },
      },
      { revalidateMs: 0, trafficRefreshMs: 1000, now: () => clock },
    );
    const first = async () => (await search.search('s', 'coronavirus vaccine'))[0]?.articleId;
    // No common word in the traffic yet: the article that says coronavirus leads.
    expect(await first()).toBe(1);
    expect(calls).toBe(1);
    texts = conversations(100, 0.9);
    clock = 500;
    await first();
    await search.settled('s');
    expect(calls).toBe(1); // not due yet
    clock = 1500;
    await first(); // the background check learns the traffic again
    await search.settled('s');
    expect(calls).toBe(2);
    expect(await first()).toBe(2);
    // A failing source keeps what was learnt.
    failing = true;
    clock = 3000;
    await first();
    await search.settled('s');
    expect(await first()).toBe(2);
  });

  it('searches without traffic when the source fails at the first build', async () => {
    const search = createKbSearch({
      version: async () => '1',
      snapshot: async () => ({ version: '1', articles, synonyms: [] }),
      recentQuestions: async () => {
        throw new Error('database unreachable');
      },
    });
    expect((await search.search('s', 'coronavirus vaccine'))[0]?.articleId).toBe(1);
  });
});
