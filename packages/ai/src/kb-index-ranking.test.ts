import { KbIndex, type IndexedArticle } from './kb-index';
import { KB_TUNING, type KbTuning } from './kb-search-tuning';

let nextPassage = 1;
function article(id: number, title: string, text: string): IndexedArticle {
  return { id, title, passages: [{ id: nextPassage++, heading: '', text }] };
}

describe('KbIndex ranking: near-duplicate groups', () => {
  // Three answers of one thread share its title; two other threads are about something close.
  const articles = [
    article(1, 'How do I delete my account?', 'Open settings, choose Account, then Delete account and confirm.'),
    article(2, 'How do I delete my account?', 'Settings → Account → Delete. The account is gone after 30 days.'),
    article(3, 'How do I delete my account?', 'You can delete the account from the settings page of the account.'),
    article(4, 'What happens to my account when I stop paying?', 'The account stays, read only, until you pay again.'),
    article(5, 'How do I remove a device from my account?', 'Devices are listed in settings; remove the one you lost.'),
  ];
  const ids = (tuning: KbTuning = KB_TUNING) =>
    new KbIndex({ version: '1', articles }, tuning).search('delete my account settings', { tuning }).map((h) => h.articleId);

  it('puts the best answer of each thread before the second answer of a thread already listed', () => {
    const diversified = ids();
    expect(diversified[0]).toBe(1);
    // The leading places hold three different threads; the twins of the top hit follow them.
    const leading = diversified.slice(0, 3);
    expect(leading.filter((id) => id <= 3)).toHaveLength(1);
    expect(diversified.slice(3).sort()).toEqual(expect.arrayContaining([2, 3]));
  });

  it('keeps plain score order with groupDiversity 0 (the twins of the top hit score alike and lead)', () => {
    const plain = ids({ ...KB_TUNING, groupDiversity: 0 });
    expect(plain.slice(0, 3).sort()).toEqual([1, 2, 3]);
  });

  it('never changes the top hit', () => {
    expect(ids()[0]).toBe(ids({ ...KB_TUNING, groupDiversity: 0 })[0]);
  });
});

describe('KbIndex ranking: a term reached by several question words', () => {
  // «регистрации» and «регистрационные» both reach the stem регистрац: counted twice, a short
  // article with nothing but that word outranks those with the question's «поменять».
  const articles = [
    article(1, '', 'Ограничений по регистрации нет.'),
    article(
      2,
      '',
      'Данные анкеты можно поменять в личном кабинете после регистрации: откройте раздел анкеты, нажмите кнопку и сохраните изменения, они вступят в силу сразу.',
    ),
    article(3, '', 'Расписание занятий публикуется в начале месяца.'),
    article(4, '', 'Оплата занятий картой или наличными.'),
    article(5, '', 'Поменять расписание нельзя.'),
  ];
  const query = 'При регистрации ошибка, как поменять регистрационные сведения?';
  const top = (tuning: KbTuning = KB_TUNING) => new KbIndex({ version: '1', articles }, tuning).search(query, { tuning })[0]?.articleId;

  it('counts the shared term once (scoreTermOnce 1): the article with nothing but that word does not lead', () => {
    expect(top({ ...KB_TUNING, scoreTermOnce: 1 })).not.toBe(1);
  });

  it('counted once per word (scoreTermOnce 0), the repeated term lets that short article lead', () => {
    expect(top({ ...KB_TUNING, scoreTermOnce: 0 })).toBe(1);
  });
});

describe('KbIndex ranking: two question words the knowledge base writes as one', () => {
  const articles = [
    article(1, 'How can I backup my tweets?', 'Request your archive in the settings; the backup arrives by e-mail.'),
    article(2, 'How can I move my photos?', 'Photos can be moved to another album, back to the camera roll, or up a level.'),
    article(3, 'Where is GitHub support?', 'Write to the GitHub support team from the contact page.'),
  ];
  const index = new KbIndex({ version: '1', articles });

  it('matches a phrasal verb to its one-word noun («back up» → backup)', () => {
    expect(index.search('back up my tweets')[0]?.articleId).toBe(1);
    expect(index.search('how do I back up everything', { tuning: KB_TUNING }).map((h) => h.articleId)[0]).toBe(1);
  });

  it('joins a word the knowledge base does not know with its neighbour («git hub» → github)', () => {
    expect(index.search('git hub support')[0]?.articleId).toBe(3);
    const off = { ...KB_TUNING, joinWords: 0 };
    // Without joining, «git hub» shares no word with the knowledge base.
    const offHits = index.search('git hub', { tuning: off });
    expect(offHits).toEqual([]);
    expect(index.search('git hub')[0]?.articleId).toBe(3);
  });
});

describe('KbIndex ranking: IDF over near-duplicate groups', () => {
  // Three answers of one thread share the title «Export»; «Sync» is the title of one article.
  const articles = [
    article(1, 'Export', 'Answer one.'),
    article(2, 'Export', 'Answer two.'),
    article(3, 'Export', 'Answer three.'),
    article(4, 'Sync', 'Answer four.'),
    article(5, 'Alpha', 'Answer five.'),
    article(6, 'Beta', 'Answer six.'),
    article(7, 'Gamma', 'Answer seven.'),
  ];
  const topRank = (query: string, groupIdfTwinShare: number, kb = articles) => {
    const tuning = { ...KB_TUNING, groupIdfTwinShare, feedbackWeight: 0 };
    return new KbIndex({ version: '1', articles: kb }, tuning).search(query, { tuning })[0]?.rank ?? 0;
  };

  it('weighs a word of a thread title like a word of one article (the twins are one answer)', () => {
    expect(topRank('export', 0)).toBeCloseTo(topRank('sync', 0), 6);
  });

  it('counted over articles, the thread title word looks three times as common', () => {
    expect(topRank('export', 2)).toBeLessThan(topRank('sync', 2));
  });

  it('counts groups by default when the twins are a large share of the knowledge base (3 of 7)', () => {
    expect(topRank('export', KB_TUNING.groupIdfTwinShare)).toBeCloseTo(topRank('sync', KB_TUNING.groupIdfTwinShare), 6);
  });

  it('keeps article counts by default when a lone twin pair is a small share', () => {
    const distinct = [
      article(1, 'Export', 'Answer one.'),
      article(2, 'Export', 'Answer two.'),
      ...Array.from({ length: 10 }, (_, i) => article(3 + i, `Topic${i} sync`, `Answer ${i}.`)),
    ];
    const byArticles = topRank('export', 2, distinct);
    expect(topRank('export', KB_TUNING.groupIdfTwinShare, distinct)).toBeCloseTo(byArticles, 6);
    expect(topRank('export', 0, distinct)).toBeGreaterThan(byArticles);
  });
});
