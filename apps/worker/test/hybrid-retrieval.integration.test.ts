import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAiEmbedder, createTurnProviders, searchTurn } from '@repo/ai';
import { parseSkillSettings } from '@repo/domain';
import type { Logger } from '@repo/logger';
import { createStore, migrate, type Store } from '@repo/store';
import { createTestDatabase, type TestDatabase } from '@repo/testing';
import { embedMissingPassages, startEmbeddingBackfill } from '../src/kb/embeddings';
import { createWorkerKbSearch } from '../src/kb/kb-search';

const API_KEY = 'sk-test-HYBRID-SECRET-789';
const MODEL = 'fake-concepts-1';

/**
 * The fake provider's "model": a bag of concepts. An English word and its Russian translation map
 * to the same dimension (by stem prefix), so translations embed alike; any other word lands, lightly,
 * on one of 32 hashed dimensions, so unrelated texts are not exactly orthogonal.
 */
const CONCEPTS: string[][] = [
  ['deliver', 'shipping', 'ship', 'courier', 'достав', 'курьер'],
  ['moscow', 'москв'],
  ['long', 'days', 'day', 'time', 'дн', 'дня', 'срок', 'занима'],
  ['installment', 'instalment', 'credit', 'рассрочк', 'кредит'],
  ['month', 'месяц'],
  ['parrot', 'bird', 'попуга', 'птиц'],
  ['eat', 'feed', 'seed', 'корм', 'зерн'],
  ['cage', 'клетк'],
  ['clean', 'wash', 'чист', 'моет', 'моют'],
];
const DIMS = CONCEPTS.length + 32;

function fakeEmbedding(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}]+/gu) ?? []) {
    const concept = CONCEPTS.findIndex((stems) => stems.some((s) => word.startsWith(s)));
    if (concept >= 0) v[concept]! += 1;
    else v[CONCEPTS.length + (createHash('md5').update(word).digest()[0]! % 32)]! += 0.15;
  }
  return v;
}

type Mode = 'ok' | 'status500' | 'slow';

describe('hybrid retrieval (lexical + embeddings) against real PostgreSQL and a fake provider', () => {
  let database: TestDatabase;
  let store: Store;
  let skillId: string;
  let server: Server;
  let baseUrl: string;
  let mode: Mode = 'ok';
  const requests: Array<{ auth: string | undefined; inputs: number }> = [];
  const threshold = parseSkillSettings({}).confidenceThreshold;
  const warnings: unknown[][] = [];
  const logger = {
    warn: (...args: unknown[]) => warnings.push(args),
    info: () => undefined,
  } as unknown as Logger;

  const embedder = () => createOpenAiEmbedder({ baseUrl, apiKey: API_KEY, model: MODEL, timeoutMs: 300, batchSize: 2 });
  // The worker's in-process lexical search; checked against the store on every search, since tests import mid-way.
  const lexicalSearch = () => createWorkerKbSearch(store.kb, { revalidateMs: 0 });
  // The worker's (and the admin test box's) wiring of the EMBEDDINGS_* settings.
  // With embeddings configured the turn's search is the hybrid retriever (which can drop a skill's vectors).
  const retriever = () =>
    createTurnProviders(
      { embeddings: { baseUrl, apiKey: API_KEY, model: MODEL, timeoutMs: 300, batchSize: 2, cosineFloor: 0.3, cosineCeiling: 0.7 } },
      { lexical: lexicalSearch(), vectors: store.kbEmbeddings, logger },
    ).hybrid!;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as { model: string; input: string[] };
        requests.push({ auth: req.headers.authorization, inputs: body.input.length });
        const reply = (status: number, payload: unknown) => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        if (mode === 'status500') return reply(500, { error: { message: 'model overloaded' } });
        const payload = {
          object: 'list',
          model: body.model,
          data: body.input.map((t, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(t) })),
        };
        if (mode === 'slow') return void setTimeout(() => reply(200, payload), 1000);
        return reply(200, payload);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

    database = await createTestDatabase('hybrid');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    const org = await store.organizations.createOrganization('Acme');
    const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
    skillId = (await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' })).id;
    // Words of an unusual domain (parrots) on purpose: the lexical search's own English→Russian
    // lexicon covers common shop words, and this test needs a question only the vectors can answer.
    const articles: [string, string, string][] = [
      ['delivery', 'Доставка', 'Доставка по Москве занимает 1–2 дня. Курьер привозит заказ до двери.'],
      ['parrots', 'Корм для попугаев', 'Попугаев кормят зерновой смесью дважды в сутки.'],
      ['cages', 'Клетки', 'Клетку для птицы чистят раз в неделю, поддон моют тёплой водой.'],
      ['installments', 'Рассрочка', 'Рассрочка на 6 месяцев без переплаты через банк-партнёр.'],
    ];
    for (const [externalId, title, body] of articles) await store.kb.upsertArticle({ skillId, externalId, title, body });
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    mode = 'ok';
    warnings.length = 0;
  });

  it('embeds every passage in batches, once, and only one process at a time', async () => {
    expect(await store.kbEmbeddings.version(skillId, MODEL)).toBe('0:0:0');
    const total = (await store.kbEmbeddings.missing(skillId, MODEL, 100)).length;
    expect(total).toBeGreaterThanOrEqual(3);
    // Another process holding the lock: this run does nothing.
    const blocked = await store.kbEmbeddings.exclusive(() =>
      embedMissingPassages({ kbEmbeddings: store.kbEmbeddings, embedder: embedder(), batchSize: 2 }),
    );
    expect(blocked).toEqual({ ran: true, value: undefined });

    const report = await embedMissingPassages({ kbEmbeddings: store.kbEmbeddings, embedder: embedder(), batchSize: 2 });
    expect(report).toEqual({ embedded: total, rejected: 0, done: true });
    expect(requests.every((r) => r.auth === `Bearer ${API_KEY}` && r.inputs <= 2)).toBe(true);
    expect(await store.kbEmbeddings.missing(undefined, MODEL, 100)).toEqual([]);
    // Another model's vectors are separate: everything is missing for it.
    expect((await store.kbEmbeddings.missing(skillId, 'other-model', 100)).length).toBe(total);

    const loaded = await store.kbEmbeddings.load(skillId, MODEL);
    expect(loaded.passages).toHaveLength(total);
    expect(loaded.version).toBe(await store.kbEmbeddings.version(skillId, MODEL));
    for (const v of loaded.vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
  });

  it('finds a Russian article for an English question through vectors when the lexical search finds nothing', async () => {
    for (const [question, title] of [
      ['What seeds do parrots eat?', 'Корм для попугаев'],
      ['How do I clean the cage?', 'Клетки'],
    ] as const) {
      const lexical = await searchTurn(lexicalSearch(), { skillId, text: question, threshold });
      expect(lexical.filter((h) => h.score >= threshold)).toEqual([]);

      const hits = await searchTurn(retriever(), { skillId, text: question, threshold });
      expect(hits[0]?.title).toBe(title);
      expect(hits[0]!.score).toBeGreaterThanOrEqual(threshold);
      expect(hits[0]!.score).toBeLessThanOrEqual(1);
    }
    const hits = await searchTurn(retriever(), { skillId, text: 'What seeds do parrots eat?', threshold });
    expect(hits[0]?.passage).toBe('Попугаев кормят зерновой смесью дважды в сутки.');
    // An English question about nothing in the KB stays below the threshold.
    const unrelated = await searchTurn(retriever(), { skillId, text: 'Is the weather nice on Mars?', threshold });
    expect(unrelated.filter((h) => h.score >= threshold)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('keeps a good lexical hit on top and its score unchanged', async () => {
    const question = 'рассрочка на 6 месяцев';
    const lexical = await lexicalSearch().search(skillId, question);
    const hybrid = await retriever().search(skillId, question);
    expect(hybrid[0]?.title).toBe('Рассрочка');
    expect(hybrid[0]!.score).toBeGreaterThanOrEqual(lexical[0]!.score);
  });

  it.each<Mode>(['status500', 'slow'])(
    'falls back to the lexical hits when the provider answers %s, without the key in any log',
    async (m) => {
      mode = m;
      const question = 'Сколько дней идёт доставка по Москве?';
      const lexical = await searchTurn(lexicalSearch(), { skillId, text: question, threshold });
      expect(lexical[0]?.title).toBe('Доставка');
      const hybrid = await searchTurn(retriever(), { skillId, text: question, threshold });
      expect(hybrid).toEqual(lexical);
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      const logged = JSON.stringify(warnings);
      expect(logged).toContain(m === 'slow' ? 'timeout' : 'HTTP 500');
      expect(logged).not.toContain(API_KEY);
      expect(logged).not.toContain('Bearer');

      // The English question finds nothing lexically, so the turn goes on with no hits rather than failing.
      expect(await searchTurn(retriever(), { skillId, text: 'What seeds do parrots eat?', threshold })).toEqual(
        await searchTurn(lexicalSearch(), { skillId, text: 'What seeds do parrots eat?', threshold }),
      );
    },
  );

  it('a failed backfill run is logged without the key and leaves passages for the next run', async () => {
    await store.kb.upsertArticle({ skillId, externalId: 'warranty', title: 'Гарантия', body: 'Гарантия на товар 12 месяцев.' });
    mode = 'status500';
    await expect(embedMissingPassages({ kbEmbeddings: store.kbEmbeddings, embedder: embedder(), batchSize: 2 })).rejects.toMatchObject({
      kind: 'http_error',
      status: 500,
    });
    // The periodic task logs the failure and keeps going.
    const task = startEmbeddingBackfill({
      kbEmbeddings: store.kbEmbeddings,
      embedder: embedder(),
      batchSize: 2,
      intervalMs: 3_600_000,
      logger,
    });
    await task.tick();
    await task.stop();
    expect(JSON.stringify(warnings)).toContain('HTTP 500');
    expect(JSON.stringify(warnings)).not.toContain(API_KEY);
    expect((await store.kbEmbeddings.missing(skillId, MODEL, 10)).length).toBe(1);
    mode = 'ok';
    expect(await embedMissingPassages({ kbEmbeddings: store.kbEmbeddings, embedder: embedder(), batchSize: 2 })).toEqual({
      embedded: 1,
      rejected: 0,
      done: true,
    });
  });

  it('re-indexing an article clears its vectors and changes the version; the retriever picks up the new vectors', async () => {
    const search = retriever();
    const before = await store.kbEmbeddings.version(skillId, MODEL);
    await store.kb.upsertArticle({ skillId, externalId: 'cages', title: 'Клетки', body: 'Клетку для птицы чистят раз в месяц.' });
    const missing = await store.kbEmbeddings.missing(skillId, MODEL, 10);
    expect(missing.map((p) => p.text)).toEqual(['Клетки\nКлетку для птицы чистят раз в месяц.']);
    expect(await store.kbEmbeddings.version(skillId, MODEL)).not.toBe(before);

    // Until it is re-embedded the article has no vectors, and the lexical search cannot find it.
    const question = 'How do I clean the cage?';
    expect((await search.search(skillId, question)).some((h) => h.title === 'Клетки')).toBe(false);
    await embedMissingPassages({ kbEmbeddings: store.kbEmbeddings, embedder: embedder(), batchSize: 2 });
    search.invalidate(skillId);
    const hits = await search.search(skillId, question);
    expect(hits[0]?.title).toBe('Клетки');
    expect(hits[0]?.passage).toBe('Клетку для птицы чистят раз в месяц.');
  });

  it('saves a rejected passage as tried, so it is not retried, and never loads it', async () => {
    const [first] = await store.db.query<{ id: number }>('SELECT id FROM kb_passages WHERE skill_id = $1 ORDER BY id LIMIT 1', [skillId]);
    await store.kbEmbeddings.save([{ id: first!.id, vector: null }], 'model-b');
    expect((await store.kbEmbeddings.missing(skillId, 'model-b', 100)).map((p) => p.id)).not.toContain(first!.id);
    expect((await store.kbEmbeddings.load(skillId, 'model-b')).passages).toEqual([]);
    // Saving onto an id that no longer exists is a no-op, not an error.
    await store.kbEmbeddings.save([{ id: 987654321, vector: [1, 0] }], MODEL);
  });
});
