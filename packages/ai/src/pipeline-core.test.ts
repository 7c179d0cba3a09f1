import { parseSkillSettings, type KbHit } from '@repo/domain';
import { createKbSearch } from './kb-search-service';
import { classify } from './classify';
import { classifyStoredTurn, runTurn, searchTurn, type Classifier } from './pipeline-core';
import type { RefineInput } from './reply-composer';
import type { IndexedArticle } from './kb-index';

const topics = [
  ['Сроки доставки', 'Курьер привозит заказ по Москве за 1–2 дня, в регионы за 3–7 дней.'],
  ['Возврат товара', 'Вернуть товар надлежащего качества можно в течение 14 дней после получения.'],
  ['Способы оплаты', 'Оплатить заказ можно банковской картой, через СБП или наличными курьеру.'],
  ['Гарантийный ремонт', 'Гарантия на смартфоны действует 12 месяцев, ремонт в сервисном центре.'],
  ['Пункты выдачи', 'Заказ хранится в пункте выдачи 7 дней, срок хранения можно продлить.'],
  ['Подарочные карты', 'Подарочную карту можно купить на сайте, номинал от 500 рублей.'],
  ['Смена пароля', 'Пароль меняется в личном кабинете, ссылка придёт на электронную почту.'],
  ['Рассрочка', 'Рассрочка без переплаты на 6 месяцев оформляется при заказе от 3000 рублей.'],
];
const articles: IndexedArticle[] = topics.map(([title, text], i) => ({
  id: i + 1,
  title: title!,
  passages: [{ id: 100 + i, heading: '', text: text! }],
}));

describe('pipeline core', () => {
  const search = createKbSearch({ version: async () => 'v1', snapshot: async () => ({ version: 'v1', articles, synonyms: [] }) });
  const skill = parseSkillSettings(undefined);

  it('answers a question the knowledge base covers, quoting and citing the article', async () => {
    const out = await runTurn({ search }, { skillId: 's', skill, text: 'Сколько дней хранится заказ в пункте выдачи?' });
    expect(out.classification.intent).toBe('question');
    expect(out.hits[0]?.articleId).toBe(5);
    expect(out.decision.action).toBe('answer');
    expect(out.decision.citations).toEqual([5]);
    expect(out.decision.replyHtml).toContain('7 дней');
  });

  it('answers a question wrapped in a letter as it answers the bare question', async () => {
    const bare = await runTurn({ search }, { skillId: 's', skill, text: 'Сколько дней хранится заказ в пункте выдачи?' });
    const letter = await runTurn(
      { search },
      {
        skillId: 's',
        skill,
        text: 'Доброго времени суток!\n\nСколько дней хранится заказ в пункте выдачи?\n\nЗаранее спасибо!\nИрина Соколова\nменеджер по закупкам, ООО «Север»\n+7 912 000-11-22',
      },
    );
    expect(letter.decision.action).toBe('answer');
    expect(letter.hits.map((h) => [h.articleId, h.score])).toEqual(bare.hits.map((h) => [h.articleId, h.score]));
  });

  it('ends with the composer, given the decision, the turn, its history and its clock', async () => {
    const seen: RefineInput[] = [];
    const composer = {
      refine: async (input: RefineInput) => {
        seen.push(input);
        return { ...input.decision, replyHtml: '<p>refined</p>' };
      },
    };
    const now = new Date('2026-03-02T10:00:00Z');
    const history = [{ authorKind: 'customer' as const, text: 'Здравствуйте', html: null }];
    const out = await runTurn(
      { search, composer },
      { skillId: 's', skill, text: 'Сколько дней хранится заказ в пункте выдачи?', history, now },
    );
    expect(out.decision.replyHtml).toBe('<p>refined</p>');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.decision.action).toBe('answer');
    expect(seen[0]!.decision.replyHtml).toContain('7 дней');
    expect(seen[0]!.hits).toBe(out.hits);
    expect(seen[0]!.classification).toBe(out.classification);
    expect(seen[0]!.history).toBe(history);
    expect(seen[0]!.now).toBe(now);
  });

  it('hands off a question the knowledge base does not cover', async () => {
    const out = await runTurn({ search }, { skillId: 's', skill, text: 'Вы продаёте запчасти для тракторов в Якутии?' });
    expect(out.decision.action).toBe('handoff');
  });

  it('hands off an operator request whatever the knowledge base holds', async () => {
    const out = await runTurn({ search }, { skillId: 's', skill, text: 'Соедините с оператором, пожалуйста' });
    expect(out.decision.action).toBe('handoff');
    expect(out.decision.reasons).toContain('operator_requested');
  });

  it('searches a short follow-up together with the previous question when alone it finds too little', async () => {
    const calls: string[] = [];
    const hit = (score: number): KbHit => ({ articleId: 1, passageId: 1, title: 't', passage: 'p', score });
    const fake = { search: async (_s: string, q: string) => (calls.push(q), q.includes('доставка') ? [hit(0.8)] : [hit(0.1)]) };
    const hits = await searchTurn(fake, { skillId: 's', text: 'а сколько стоит?', previous: 'доставка в Казань', threshold: 0.3 });
    expect(calls).toEqual(['а сколько стоит?', 'доставка в Казань а сколько стоит?']);
    expect(hits[0]?.score).toBe(0.8);
  });

  it('rebuilds the index when the knowledge base version changes', async () => {
    let version = 'a';
    let current: IndexedArticle[] = articles.slice(0, 4);
    let clock = 0;
    const changing = createKbSearch(
      { version: async () => version, snapshot: async () => ({ version, articles: current, synonyms: [] }) },
      { revalidateMs: 10, now: () => clock },
    );
    expect((await changing.search('s', 'подарочная карта номинал')).map((h) => h.articleId)).not.toContain(6);
    version = 'b';
    current = articles;
    clock = 100;
    // The search that notices the change still answers from the index it has; the next one uses the new index.
    await changing.search('s', 'подарочная карта номинал');
    await changing.settled('s');
    expect((await changing.search('s', 'подарочная карта номинал'))[0]?.articleId).toBe(6);
  });

  it('waits for the check of an empty knowledge base rather than answer from it', async () => {
    let version = 'empty';
    let current: IndexedArticle[] = [];
    let clock = 0;
    const first = createKbSearch(
      { version: async () => version, snapshot: async () => ({ version, articles: current, synonyms: [] }) },
      { revalidateMs: 10, now: () => clock },
    );
    expect(await first.search('s', 'подарочная карта номинал')).toEqual([]);
    // The skill's first import: the very next search finds it.
    version = 'imported';
    current = articles;
    clock = 100;
    expect((await first.search('s', 'подарочная карта номинал'))[0]?.articleId).toBe(6);
  });

  it('answers from the cached index while the version check fails', async () => {
    let fail = false;
    let clock = 0;
    const flaky = createKbSearch(
      {
        version: async () => {
          if (fail) throw new Error('database down');
          return 'v';
        },
        snapshot: async () => ({ version: 'v', articles, synonyms: [] }),
      },
      { revalidateMs: 10, now: () => clock },
    );
    expect((await flaky.search('s', 'подарочная карта номинал'))[0]?.articleId).toBe(6);
    fail = true;
    clock = 100;
    expect((await flaky.search('s', 'подарочная карта номинал'))[0]?.articleId).toBe(6);
    await flaky.settled('s');
    expect((await flaky.search('s', 'подарочная карта номинал'))[0]?.articleId).toBe(6);
  });

  it('keeps the arrival classification of a one-message turn and classifies a burst as one text', async () => {
    const inputs: Parameters<Classifier>[0][] = [];
    const counting: Classifier = (input) => (inputs.push(input), classify(input));
    const first = { html: '<p>Как сменить пароль?</p>', text: 'Как сменить пароль?' };
    const arrived = classify({ html: first.html, skill });
    expect(await classifyStoredTurn([{ ...first, classification: arrived }], skill, counting)).toBe(arrived);
    expect(inputs).toHaveLength(0);
    // A message stored without a classification is classified as a turn is.
    expect(await classifyStoredTurn([{ ...first, classification: null }], skill, counting)).toEqual(arrived);
    const second = { html: null, text: 'И где это сделать?', classification: classify({ text: 'И где это сделать?', skill }) };
    const burst = await classifyStoredTurn([{ ...first, classification: arrived }, second], skill, counting);
    expect(inputs.at(-1)).toEqual({ html: '<p>Как сменить пароль?</p><br>\nИ где это сделать?', skill });
    expect(burst.cleanText).toContain('И где это сделать?');
    // A photo without text keeps the turn attachment-only.
    const photo = { html: null, text: '', classification: classify({ html: '', skill, hasAttachments: true }) };
    expect((await classifyStoredTurn([photo, { ...photo }], skill, counting)).attachmentOnly).toBe(true);
  });
});
