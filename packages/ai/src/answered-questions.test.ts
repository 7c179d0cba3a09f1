import * as answeredQuestions from './answered-questions';
import { learnAnsweredQuestions, NO_ANSWERED, type AnsweredConversation } from './answered-questions';
import { KbIndex, type IndexedArticle } from './kb-index';
import { createKbSearch, LEARN_RETRY_MS, loadAnswered, searchLoaded, toKbHits } from './kb-search-service';
import { KB_TUNING, type KbTuning } from './kb-search-tuning';
import { runAtOnce } from './sliced-work';

/** Six answers that are only a link, as some real knowledge bases keep them, and two with text. */
const linkOnly = (id: number, doc: number): IndexedArticle => ({
  id,
  title: '',
  passages: [{ id, heading: '', text: `Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=${doc}` }],
});
const articles: IndexedArticle[] = [
  linkOnly(1, 112010),
  linkOnly(2, 75248),
  linkOnly(3, 127373),
  linkOnly(4, 75251),
  linkOnly(5, 75252),
  linkOnly(6, 112009),
  {
    id: 7,
    title: '',
    passages: [
      {
        id: 7,
        heading: '',
        text: 'Электронные документы об окончании учебной программы находятся на сайте школы, где ранее вы проходили обучение. Вкладка «Дипломы» поможет скачать или распечатать документ.',
      },
    ],
  },
  {
    id: 8,
    title: '',
    passages: [
      {
        id: 8,
        heading: '',
        text: 'Если после вебинара вам полагается сертификат, скачайте его на сайте, где смотрели вебинар. Перейти на сайт можно из письма о регистрации на вебинар.',
      },
    ],
  },
];
const index = new KbIndex({ version: 'v1', articles });
/** What `kb` learns from `conversations`, all at once. */
const learnOn = (kb: KbIndex, conversations: AnsweredConversation[], tuning: KbTuning = KB_TUNING) =>
  runAtOnce(learnAnsweredQuestions(kb.articles, (id) => kb.groupOf(id), conversations, tuning));
const learn = (conversations: AnsweredConversation[], tuning: KbTuning = KB_TUNING) => learnOn(index, conversations, tuning);
const top = (query: string, answered = learn([])) => index.search(query, { answered: answered.evidence(query) }).map((h) => h.articleId)[0];

describe('questions agents answered', () => {
  it("ties an agent's reply to the article whose link it gives, among answers that differ only by their links", () => {
    const answered = learn([
      {
        question: 'Я так и не получил удостоверение',
        reply: 'Здравствуйте! Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=75248. С уважением, Анна',
      },
    ]);
    expect(answered.questions).toBe(1);
    const evidence = answered.evidence('до сих пор не получил удостоверение');
    expect([...evidence.keys()]).toEqual([2]);
  });

  it("ties a reply to the article whose text it pastes (two eight-word runs), with the agent's own greeting around it", () => {
    const answered = learn([
      {
        question: 'где взять сертификат за семинар',
        reply:
          'Добрый день! Если после вебинара вам полагается сертификат, скачайте его на сайте, где смотрели вебинар. Перейти на сайт можно из письма о регистрации на вебинар. Хорошего дня!',
      },
    ]);
    expect([...answered.evidence('сертификат за семинар где').keys()]).toEqual([8]);
  });

  it("reads an agent's reply as HDE sends it: a link from an href, pasted text across paragraphs, the signature left out", () => {
    const answered = learn([
      {
        question: 'удостоверение где',
        reply: '<p>Здравствуйте!</p><p>Посмотрите <a href="https://help.example.com/Feedback/108?docId=75251">здесь</a>.</p>',
      },
      {
        question: 'сертификат после семинара',
        reply:
          '<p>Добрый день!</p><p>Если после вебинара вам полагается сертификат, скачайте его на сайте, где смотрели вебинар.</p>' +
          '<p>Перейти на сайт можно из письма о регистрации на вебинар.</p><p>С уважением,<br>Анна</p>',
      },
    ]);
    expect(answered.learnt.map((q) => q.articleId)).toEqual([4, 8]);
  });

  it('ties a reply to a short passage (four to seven words) only when it holds the passage whole', () => {
    const short: IndexedArticle[] = [
      { id: 1, title: 'Оплата', passages: [{ id: 1, heading: '', text: 'Оплата картой онлайн без комиссии.' }] },
      { id: 2, title: 'Доставка', passages: [{ id: 2, heading: '', text: 'Доставка по городу бесплатно от 3000 рублей.' }] },
    ];
    const kb = new KbIndex({ version: 's', articles: short });
    const tie = (reply: string) => learnOn(kb, [{ question: 'вопрос', reply }]).learnt.map((q) => q.articleId);
    expect(tie('Здравствуйте! Оплата картой онлайн без комиссии. Хорошего дня')).toEqual([1]);
    expect(tie('Здравствуйте! Оплата картой онлайн возможна')).toEqual([]);
  });

  it("reads a reply's links where the customer sees them: not in the agent's signature, not in a quoted earlier message", () => {
    const link = (doc: number, text: string) => `<a href="https://help.example.com/Feedback/108?docId=${doc}">${text}</a>`;
    const answered = learn([
      {
        question: 'где удостоверение',
        reply: `<p>Вот ответ: ${link(75248, 'ссылка')}</p><p>С уважением,<br>Анна<br>${link(112010, 'Частые вопросы')}</p>`,
      },
      {
        question: 'так где же документ',
        reply: `<p>Посмотрите ${link(75251, 'здесь')}</p><blockquote>Бот: попробуйте ${link(112010, 'эту статью')}</blockquote>`,
      },
    ]);
    expect(answered.learnt.map((q) => q.articleId)).toEqual([2, 4]);
  });

  it("ties a link to the article whose own address it is, though another article's text cites it", () => {
    const cited: IndexedArticle[] = [
      { id: 1, title: 'Тарифы', url: 'https://help.example.com/tariffs', passages: [{ id: 1, heading: '', text: 'Тарифы на обучение.' }] },
      {
        id: 2,
        title: 'Скидки',
        passages: [{ id: 2, heading: '', text: 'Скидки действуют на тарифы, см. https://help.example.com/tariffs' }],
      },
    ];
    const kb = new KbIndex({ version: 'c', articles: cited });
    const learnt = learnOn(kb, [{ question: 'сколько стоит', reply: 'Смотрите https://help.example.com/tariffs' }]).learnt;
    expect(learnt.map((q) => q.articleId)).toEqual([1]);
  });

  it('counts a quote per near-duplicate group and a repeated run once', () => {
    const shared = 'Вернуть товар надлежащего качества можно в течение четырнадцати дней после покупки при сохранённом чеке.';
    const twins: IndexedArticle[] = [
      { id: 1, title: 'Возврат', passages: [{ id: 1, heading: '', text: shared }] },
      {
        id: 2,
        title: 'Возврат',
        passages: [
          { id: 2, heading: '', text: shared },
          { id: 3, heading: '', text: 'Деньги вернутся на карту в течение десяти рабочих дней после того, как мы получим товар на склад.' },
        ],
      },
      {
        id: 3,
        title: 'Доставка',
        passages: [{ id: 4, heading: '', text: 'Доставка по городу занимает один или два дня, курьер позвонит заранее.' }],
      },
    ];
    const kb = new KbIndex({ version: 't', articles: twins });
    const tie = (reply: string) => learnOn(kb, [{ question: 'вопрос', reply }]).learnt.map((q) => q.articleId);
    // The whole of the longer twin: its group, and in it the twin most quoted.
    expect(tie(`${shared} Деньги вернутся на карту в течение десяти рабочих дней после того, как мы получим товар на склад.`)).toEqual([2]);
    // One eight-word run pasted three times is one fingerprint, not enough.
    const run = 'курьер позвонит заранее доставка по городу занимает один';
    expect(tie(`${run}. ${run}. ${run}.`)).toEqual([]);
  });

  it('does not tie a long pasted text to an article that shares only two runs of it (its own article gone, say)', () => {
    const common = 'Для поступления нужно подать заявление и документы в приёмную комиссию до начала учебного года.';
    const kept: IndexedArticle[] = [
      { id: 1, title: '', passages: [{ id: 1, heading: '', text: `${common} Вступительные испытания проходят в июле.` }] },
      {
        id: 2,
        title: '',
        passages: [
          { id: 2, heading: '', text: 'Общежитие предоставляется иногородним студентам по заявлению после зачисления на первый курс.' },
        ],
      },
    ];
    const kb = new KbIndex({ version: 'g', articles: kept });
    const gone =
      `${common} Перевод из другого вуза возможен на свободные бюджетные места по результатам аттестации, которую проводит ` +
      'кафедра в начале каждого семестра; для этого нужна справка об обучении, зачётная книжка и заявление на имя ректора, ' +
      'а решение сообщают в течение двух недель после аттестации по электронной почте или по телефону.';
    const tie = (reply: string) => learnOn(kb, [{ question: 'вопрос', reply }]).learnt.map((q) => q.articleId);
    expect(tie(gone)).toEqual([]);
    // The same shared sentence with the kept article's own words is its quote.
    expect(tie(`Добрый день! ${common} Вступительные испытания проходят в июле.`)).toEqual([1]);
  });

  it('learns nothing from a reply that quotes no article, one short run, or two articles at once', () => {
    const answered = learn([
      { question: 'когда будет диплом', reply: 'Уточню у коллег и вернусь с ответом.' },
      { question: 'где сертификат', reply: 'Вот ссылка по вашему вопросу, посмотрите.' },
      {
        question: 'где документы',
        reply:
          'Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=75248 и ещё https://help.example.com/Feedback/108?docId=75251',
      },
      { question: '', reply: 'Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=75248' },
    ]);
    expect(answered.questions).toBe(0);
    expect(answered).toBe(NO_ANSWERED);
  });

  it("learns nothing when a reply's link and its pasted text name different articles, or it pastes two articles", () => {
    const diplomas = articles[6]!.passages[0]!.text;
    const webinar = articles[7]!.passages[0]!.text;
    const answered = learn([
      // The link names article 2, the pasted text article 8.
      { question: 'где документ', reply: `Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=75248 ${webinar}` },
      // Two whole articles pasted, of different lengths: neither is the answer.
      { question: 'где всё найти', reply: `${diplomas} ${webinar}` },
    ]);
    expect(answered.questions).toBe(0);
  });

  it('ties a reply to a long passage pasted whole or in part, though only a few of its runs are kept', () => {
    // Eight hundred distinct words in one passage (no blank line: HDE's HTML without paragraphs).
    const long = Array.from({ length: 800 }, (_, i) => `слово${i}`).join(' ');
    const kb = new KbIndex({
      version: 'long',
      articles: [
        { id: 1, title: '', passages: [{ id: 1, heading: '', text: long }] },
        { id: 2, title: '', passages: [{ id: 2, heading: '', text: articles[7]!.passages[0]!.text }] },
      ],
    });
    const learnLong = (reply: string) => learnOn(kb, [{ question: 'вопрос', reply }]).learnt.map((q) => q.articleId);
    const words = long.split(' ');
    expect(learnLong(`Добрый день! ${long}`)).toEqual([1]);
    expect(learnLong(`Добрый день! ${words.slice(300, 460).join(' ')} Хорошего дня!`)).toEqual([1]);
    // Two runs of it inside a long text of something else are still not its quote.
    const other = Array.from({ length: 200 }, (_, i) => `иное${i}`).join(' ');
    expect(learnLong(`${other} ${words.slice(0, 9).join(' ')} ${other.replaceAll('иное', 'прочее')}`)).toEqual([]);
  });

  it("ties a reply to the article whose body links the address the agent gave (an HTML link's href)", () => {
    const kb = new KbIndex({
      version: 'href',
      articles: [
        {
          id: 1,
          title: 'Возврат',
          links: ['https://forms.example.com/return?utm_source=kb'],
          passages: [{ id: 1, heading: '', text: 'Заполните форму возврата, и мы свяжемся с вами.' }],
        },
        { id: 2, title: 'Оплата', passages: [{ id: 2, heading: '', text: 'Оплатить можно картой или по счёту.' }] },
      ],
    });
    const learnt = learnOn(kb, [
      { question: 'хочу вернуть куртку', reply: '<p>Вот форма: <a href="https://forms.example.com/return">ссылка</a></p>' },
    ]).learnt;
    expect(learnt.map((q) => q.articleId)).toEqual([1]);
  });

  it("reads no answer from a link to the site's home page, which an article's body and every footer may hold", () => {
    const kb = new KbIndex({
      version: 'home',
      articles: [
        {
          id: 1,
          title: 'Возврат товара',
          links: ['https://shop.example/'],
          passages: [{ id: 1, heading: '', text: 'Вернуть товар можно в течение 14 дней, оформив заявку на нашем сайте.' }],
        },
        { id: 2, title: 'Где мой заказ', passages: [{ id: 2, heading: '', text: 'Статус заказа виден в личном кабинете.' }] },
      ],
    });
    const footer = '<p>Команда магазина <a href="https://shop.example/">shop.example</a></p>';
    const learnt = runAtOnce(
      learnAnsweredQuestions(
        kb.articles,
        (id) => kb.groupOf(id),
        ['когда приедет мой заказ', 'где посылка?', 'трек номер заказа'].map((question) => ({
          question,
          reply: `<p>Посылка уже в пути, завтра будет у вас.</p>${footer}`,
        })),
      ),
    ).learnt;
    expect(learnt).toEqual([]);
  });

  it('reads a link with a section anchor or tracking parameters as the article it points at', () => {
    const answered = learn([
      {
        question: 'удостоверение так и не пришло',
        reply: 'Смотрите «https://help.example.com/Feedback/108?docId=75248&utm_source=hde&utm_medium=mail#razdel»',
      },
    ]);
    expect([...answered.evidence('не пришло удостоверение').keys()]).toEqual([2]);
  });

  it("reads no answer from a link an agent adds to every reply (a signature), and keeps a popular answer's link", () => {
    const signature = '<p>Команда поддержки</p><a href="https://help.example.com/Feedback/108?docId=112009">Частые вопросы</a>';
    const diplomas = articles[6]!.passages[0]!.text;
    const webinar = articles[7]!.passages[0]!.text;
    const conversations: AnsweredConversation[] = [];
    for (let i = 0; i < 6; i += 1) {
      // The signature beside real answers of two other articles.
      conversations.push({ question: `диплом где ${i}`, reply: `<p>${diplomas}</p>${signature}` });
      conversations.push({ question: `сертификат вебинара ${i}`, reply: `<p>${webinar}</p>${signature}` });
      // A popular link-only answer, given alone many times.
      conversations.push({
        question: `удостоверение не пришло ${i}`,
        reply: 'Вот ссылка https://help.example.com/Feedback/108?docId=75248',
      });
    }
    conversations.push({ question: 'можно ли перенести обучение', reply: `<p>Уточню у коллег и вернусь.</p>${signature}` });
    const answered = learn(conversations);
    const tied = new Map<number, number>();
    for (const q of answered.learnt) tied.set(q.articleId, (tied.get(q.articleId) ?? 0) + 1);
    // The signature's article (6) learns nothing; the answers beside it and the popular link do.
    expect(tied.get(6)).toBeUndefined();
    expect(tied.get(7)).toBe(6);
    expect(tied.get(8)).toBe(6);
    expect(tied.get(2)).toBe(6);
  });

  it('does not tie a reply through text several articles share (a common footer), only through what is their own', () => {
    const footer = 'Если у вас остались вопросы, напишите нам в чат поддержки на сайте в любое время суток, мы ответим.';
    const own: IndexedArticle[] = [
      {
        id: 1,
        title: '',
        passages: [{ id: 1, heading: '', text: `Оплатить обучение можно картой или по счёту для организаций. ${footer}` }],
      },
      {
        id: 2,
        title: '',
        passages: [
          {
            id: 2,
            heading: '',
            text: `Перенести начало обучения можно один раз по заявлению, отправленному не позднее чем за три дня до старта курса. ${footer}`,
          },
        ],
      },
    ];
    const footers = new KbIndex({ version: 'f', articles: own });
    const learnOwn = (reply: string) => learnOn(footers, [{ question: 'вопрос', reply }]).questions;
    expect(learnOwn(`Добрый день. ${footer}`)).toBe(0);
    // What is an article's own ties a reply to it, though it shares the footer.
    expect(
      learnOwn(
        `Добрый день. Перенести начало обучения можно один раз по заявлению, отправленному не позднее чем за три дня до старта курса. ${footer}`,
      ),
    ).toBe(1);
    // Six link-only answers open with the same words: without a link of one of them, none is named.
    expect(
      learn([{ question: 'где документ', reply: 'Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=1' }]).questions,
    ).toBe(0);
  });

  it('ranks a link-only answer first for a question like one agents answered with it, and raises its confidence', () => {
    const query = 'диплом так и не пришёл';
    const cold = index.search(query);
    expect(cold[0]?.articleId).not.toBe(1);
    const answered = learn([
      {
        question: 'Я все еще не получила диплом',
        reply: 'Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=112010',
      },
      { question: 'Не поступил мой диплом', reply: 'Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=112010' },
    ]);
    expect(answered.questions).toBe(2);
    const hits = index.search(query, { answered: answered.evidence(query) });
    expect(hits[0]?.articleId).toBe(1);
    // Confidence reads the answered question's coverage and restatement, not only the link's text.
    expect(hits[0]!.coverage).toBeGreaterThan(cold.find((h) => h.articleId === 1)?.coverage ?? 0);
    // Without the weight the same evidence changes nothing.
    const off = index.search(query, { answered: answered.evidence(query), tuning: { ...KB_TUNING, answeredWeight: 0 } });
    expect(off.map((h) => h.articleId)).toEqual(cold.map((h) => h.articleId));
  });

  it('finds the answered article even when no word of the question is in the knowledge base', () => {
    const answered = learn([
      { question: 'корочку выслали?', reply: 'Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=127373' },
    ]);
    expect(index.search('корочку выслали')).toEqual([]);
    expect(top('корочку уже выслали?', answered)).toBe(3);
  });

  it("keeps a neighbour's evidence when an article with many like questions is left out", () => {
    const link = (doc: number) => `Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=${doc}`;
    const many = Array.from({ length: 25 }, (_, i) => ({ question: `не пришла посылка ${i}`, reply: link(112010) }));
    const answered = learn([...many, { question: 'не пришла посылка с документами вовремя', reply: link(75248) }]);
    expect([...answered.evidence('не пришла посылка', { exclude: new Set([1]) }).keys()]).toEqual([2]);
  });

  it('gives the event loop a turn every few articles and conversations, whether or not a reply matches', () => {
    const big: IndexedArticle[] = Array.from({ length: 200 }, (_, i) => ({
      id: i + 1,
      title: `Статья ${i}`,
      passages: [{ id: i + 1, heading: '', text: `Текст статьи номер ${i} о том, как устроена работа сервиса и что делать клиенту.` }],
    }));
    const kb = new KbIndex({ version: 'b', articles: big });
    const unmatched = Array.from({ length: 400 }, (_, i) => ({ question: `вопрос ${i}`, reply: `<p>Уточню и вернусь, ${i}</p>` }));
    const steps = learnAnsweredQuestions(kb.articles, (id) => kb.groupOf(id), unmatched);
    let turns = 0;
    while (!steps.next().done) turns += 1;
    // 200 articles and 400 conversations, sixteen at a time.
    expect(turns).toBeGreaterThanOrEqual(200 / 16 + 400 / 16 - 1);
  });

  it('leaves out the evidence of excluded articles (calibration probes, a reduced knowledge base)', () => {
    const answered = learn([
      {
        question: 'Я все еще не получила диплом',
        reply: 'Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=112010',
      },
    ]);
    expect(answered.evidence('не получила диплом', { exclude: new Set([1]) }).size).toBe(0);
  });

  it('reads at most trafficMaxQuestions conversations and only the start of a long reply', () => {
    const link = 'https://help.example.com/Feedback/108?docId=75252';
    const many = Array.from({ length: 30 }, (_, i) => ({ question: `вопрос номер${i}`, reply: `Вот ссылка по вашему вопросу ${link}` }));
    expect(learn(many, { ...KB_TUNING, trafficMaxQuestions: 10 }).questions).toBe(10);
    // A link past the first 4,000 characters of a pasted log's text is not read, one before them is.
    expect(learn([{ question: 'лог', reply: `${'x '.repeat(2500)} ${link}` }]).questions).toBe(0);
    expect(learn([{ question: 'лог', reply: `${'x '.repeat(1500)} ${link}` }]).questions).toBe(1);
  });
});

describe('questions agents answered, through the search service', () => {
  const source = {
    version: async () => 'v1',
    snapshot: async () => ({ version: 'v1', articles }),
  };

  it('fingerprints the articles once per index: a relearn reads only the conversations and learns what a first learning would', async () => {
    const fingerprint = jest.spyOn(answeredQuestions, 'fingerprintArticles');
    try {
      const kb = new KbIndex({ version: 'relearn', articles });
      const asked = (doc: number, question: string) => ({
        answeredConversations: async () => [
          { question, reply: `Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=${doc}` },
        ],
      });
      const first = await loadAnswered(asked(112010, 'Я все еще не получила диплом'), 's1', kb);
      const again = await loadAnswered(asked(75248, 'не пришло удостоверение'), 's1', kb);
      expect(fingerprint).toHaveBeenCalledTimes(1);
      expect(first.answered.learnt.map((q) => q.articleId)).toEqual([1]);
      // The kept fingerprints tie the new conversation as fresh ones do.
      const fresh = learnOn(kb, [
        { question: 'не пришло удостоверение', reply: 'Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=75248' },
      ]);
      expect(again.answered.learnt).toEqual(fresh.learnt);
      expect(again.answered.learnt.map((q) => q.articleId)).toEqual([2]);
      // A changed knowledge base is a new index, fingerprinted anew; learnings that start together share it.
      const changed = new KbIndex({ version: 'relearn-2', articles: articles.slice(1) });
      await Promise.all([loadAnswered(asked(112010, 'диплом'), 's1', changed), loadAnswered(asked(75248, 'диплом'), 's1', changed)]);
      expect(fingerprint).toHaveBeenCalledTimes(2);
    } finally {
      fingerprint.mockRestore();
    }
  });

  it("learns from the source's answered conversations when the index is built", async () => {
    const search = createKbSearch({
      ...source,
      answeredConversations: async () => [
        {
          question: 'Я все еще не получила диплом',
          reply: 'Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=112010',
        },
      ],
    });
    const hits = await search.search('s1', 'диплом не получила');
    expect(hits[0]?.articleId).toBe(1);
    expect((await search.load('s1')).answered.questions).toBe(1);
  });

  it('calibrates confidence again with the answered questions as probes once there are enough of them', async () => {
    const link = (doc: number) => `Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=${doc}`;
    const asked = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        question: i % 2 === 0 ? 'диплом так и не пришёл' : 'не пришло удостоверение',
        reply: link(i % 2 === 0 ? 112010 : 75248),
      }));
    const few = await createKbSearch({ ...source, answeredConversations: async () => asked(KB_TUNING.minAnsweredProbes - 1) }).load('s1');
    expect(few.answered.questions).toBe(KB_TUNING.minAnsweredProbes - 1);
    expect(few.answeredCalibration).toBeUndefined();
    // Uncalibrated, the answered questions rank the article first but leave its confidence as the
    // article's own text makes it (the cold search's, for the same article).
    const query = 'диплом так и не пришёл ко мне';
    const ranked = searchLoaded(few, query);
    expect(ranked[0]?.articleId).toBe(1);
    const cold = await createKbSearch(source).load('s1');
    const coldHits = cold.index.search(query, { limit: 10 });
    const coldOwn = coldHits.find((h) => h.articleId === 1);
    const expected = coldOwn ? toKbHits(cold, [coldOwn, ...coldHits.filter((h) => h !== coldOwn)])[0]!.score : 0;
    expect(ranked[0]!.score).toBe(expected);
    const raised = toKbHits(cold, few.index.search(query, { limit: 10, answered: few.answered.evidence(query) }))[0]!;
    expect(raised.score).toBeGreaterThan(ranked[0]!.score);
    const enough = await createKbSearch({ ...source, answeredConversations: async () => asked(KB_TUNING.minAnsweredProbes) }).load('s1');
    // Every article's probe and every answered question, each asked with its article in and left out.
    expect(enough.answeredCalibration?.probes).toBe(articles.length + KB_TUNING.minAnsweredProbes);
    expect(enough.answeredCalibration).not.toEqual(enough.calibration);
    // Searches read the calibration with the answered questions.
    const hit = searchLoaded(enough, 'диплом так и не пришёл ко мне')[0]!;
    expect(hit.articleId).toBe(1);
    expect(hit.score).toBe(
      toKbHits({ index: enough.index, calibration: enough.answeredCalibration! }, [
        enough.index.search('диплом так и не пришёл ко мне', {
          limit: 10,
          answered: enough.answered.evidence('диплом так и не пришёл ко мне'),
        })[0]!,
      ])[0]!.score,
    );
  });

  it("below the calibration's count, the answered questions reorder the hits but leave the top hit's confidence as without them", async () => {
    const query = 'сертификат вебинар диплом';
    const answers = Array.from({ length: KB_TUNING.minAnsweredProbes - 1 }, (_, i) => ({
      question: i % 2 ? 'диплом не пришёл, где сертификат' : 'где диплом и сертификат',
      reply: 'Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=112010',
    }));
    const cold = await createKbSearch(source).search('s1', query);
    const few = await createKbSearch({ ...source, answeredConversations: async () => answers }).search('s1', query);
    // The learnt questions raise the link-only answer among the leading hits, under the same top hit.
    expect(few[0]?.articleId).toBe(cold[0]?.articleId);
    expect(few.slice(1, 3).map((h) => h.articleId)).toContain(1);
    expect(cold.slice(0, 3).map((h) => h.articleId)).not.toContain(1);
    // Its confidence is what it was without them: the near-tie with the old second hit still counts.
    expect(few[0]!.score).toBe(cold[0]!.score);
  });

  it('searches without it when the conversations cannot be read', async () => {
    const search = createKbSearch({
      ...source,
      answeredConversations: async () => {
        throw new Error('database down');
      },
    });
    const hits = await search.search('s1', 'сертификат вебинар');
    expect(hits[0]?.articleId).toBe(8);
    expect((await search.load('s1')).answered.questions).toBe(0);
  });

  it('tries a failed learning again a minute later, not a whole interval later, keeping what it learnt', async () => {
    let clock = 0;
    let calls = 0;
    let fail = false;
    const search = createKbSearch(
      {
        ...source,
        answeredConversations: async () => {
          calls += 1;
          if (fail) throw new Error('database down');
          return [
            { question: 'диплом не пришёл', reply: 'Вот ссылка по вашему вопросу https://help.example.com/Feedback/108?docId=112010' },
          ];
        },
      },
      { revalidateMs: 1000, trafficRefreshMs: 15 * 60_000, now: () => clock },
    );
    expect((await search.load('s1')).answered.questions).toBe(1);
    fail = true;
    clock = 15 * 60_000; // the interval is due: this learning fails
    expect((await search.load('s1')).answered.questions).toBe(1);
    expect(calls).toBe(2);
    clock += 2000; // the next check: not yet tried again
    await search.load('s1');
    expect(calls).toBe(2);
    fail = false;
    clock += LEARN_RETRY_MS; // a minute on: tried again, and it works
    expect((await search.load('s1')).answered.questions).toBe(1);
    expect(calls).toBe(3);
  });

  it('runs one learning for page views and searches that find it due at once', async () => {
    let clock = 0;
    let calls = 0;
    const search = createKbSearch(
      {
        ...source,
        answeredConversations: async () => {
          calls += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
          return [];
        },
      },
      { revalidateMs: 1000, trafficRefreshMs: 60_000, now: () => clock },
    );
    await search.load('s1');
    expect(calls).toBe(1);
    clock = 60_000;
    await Promise.all([search.load('s1'), search.load('s1'), search.search('s1', 'диплом'), search.load('s1')]);
    await search.settled('s1');
    expect(calls).toBe(2);
  });
});
