/**
 * The client over real HTTP against the HDE simulator (`@repo/hde-sim`), including its injected
 * faults. Only the "connection refused" case uses no server at all (a port we closed).
 */
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { startHdeSim, type AccountInfo, type HdeSim } from '@repo/hde-sim';
import { HdeApiError } from './hde-api.error';
import { createHdeClient, type HdeClient, type HdeClientLogger, type HdeClientOptions } from './hde-client';
import type { HdeBudgetObservation } from './budget';

type LogLine = { level: string; message: string; meta?: Record<string, unknown> };

let sim: HdeSim;
let slugSeq = 0;
const clients: HdeClient[] = [];
/** Every error and log line any test produced; checked for secrets at the end. */
const seenErrors: unknown[] = [];
const logLines: LogLine[] = [];

const logger: HdeClientLogger = {
  debug: (message, meta) => logLines.push({ level: 'debug', message, meta }),
  info: (message, meta) => logLines.push({ level: 'info', message, meta }),
  warn: (message, meta) => logLines.push({ level: 'warn', message, meta }),
};

type Fixture = { account: AccountInfo; slug: string; customerId: number; ticketId: number };

function fixture(): Fixture {
  slugSeq += 1;
  const slug = `acme-${slugSeq}`;
  const account = sim.createAccount({ slug });
  const customer = sim.createCustomer(slug, { name: 'Ivan', email: `ivan${slugSeq}@example.com` });
  const ticket = sim.openTicket(slug, { customerId: customer.id, title: 'Не приходит письмо', text: '<p>Помогите</p>' });
  return { account, slug, customerId: customer.id, ticketId: ticket.id };
}

function client(account: AccountInfo, options: Partial<HdeClientOptions> = {}): HdeClient {
  const c = createHdeClient({
    baseUrl: account.baseUrl,
    email: account.adminEmail,
    apiKey: account.apiKey,
    timeoutMs: 2_000,
    connectTimeoutMs: 1_000,
    retryPolicy: { baseDelayMs: 10, maxDelayMs: 50 },
    logger,
    // The simulator listens on loopback over plain http.
    allowPrivateNetwork: true,
    ...options,
  });
  clients.push(c);
  return c;
}

async function failure(promise: Promise<unknown>): Promise<HdeApiError> {
  try {
    await promise;
  } catch (error) {
    seenErrors.push(error);
    if (error instanceof HdeApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const requestsTo = (slug: string, method: string, pathPart: RegExp) =>
  sim.apiLog(slug).filter((e) => e.method === method && pathPart.test(e.path));

beforeAll(async () => {
  sim = await startHdeSim({ port: 0 });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await sim.close();
});

describe('reads and writes against the simulator', () => {
  it('covers the calls the product uses, with typed results', async () => {
    const { account, slug, ticketId, customerId } = fixture();
    const hde = client(account);

    const ticket = await hde.getTicket(ticketId);
    expect(ticket).toMatchObject({ id: ticketId, userId: customerId, statusId: 'open' });
    expect(ticket.dateCreated).toBeInstanceOf(Date);

    const page = await hde.listTickets({
      statusList: ['open', 'process'],
      orderBy: 'date_updated{desc}',
      fromDateUpdated: new Date(Date.now() - 3_600_000),
    });
    expect(Array.isArray(page.items)).toBe(true);
    expect(page.items.map((t) => t.id)).toContain(ticketId);
    expect(page.pagination.currentPage).toBe(1);

    sim.postAsCustomer(slug, ticketId, '<p>Ещё вопрос</p>');
    const posted = await hde.createPost(ticketId, { text: '<p>Ответ бота</p>' });
    expect(posted).toMatchObject({ ticketId, userId: account.adminUserId, text: '<p>Ответ бота</p>' });
    const posts = await hde.listPosts(ticketId);
    expect(posts.items[0]?.id).toBe(posted.id); // newest first
    expect(posts.items.length).toBe(3);
    const since = await hde.listAllPostsSince(ticketId, new Date(Date.now() - 3_600_000));
    expect(since.map((p) => p.id)).toEqual(posts.items.map((p) => p.id));

    const note = await hde.createComment(ticketId, { text: 'summary for the agent' });
    expect((await hde.listComments(ticketId)).items.map((c) => c.id)).toContain(note.id);

    const agent = sim.createAgent(slug, { name: 'Olga', email: `olga${slugSeq}@example.com` });
    const updated = await hde.updateTicket(ticketId, { ownerId: agent.id, statusId: 'process' });
    expect(updated).toMatchObject({ ownerId: agent.id, statusId: 'process' });

    const me = await hde.getUser(account.adminUserId);
    expect(me.isStaff).toBe(true);
    expect(JSON.stringify(me)).not.toContain(account.apiKey);
    expect((await hde.findUserByEmail(`OLGA${slugSeq}@example.com`))?.id).toBe(agent.id);
    expect(await hde.findUserByEmail('nobody@example.com')).toBeNull();
    expect((await hde.listUsers({ page: 1 })).items.length).toBeGreaterThanOrEqual(3);

    expect((await hde.listStatuses()).map((s) => s.id)).toEqual(expect.arrayContaining(['open', 'process', 'closed']));
    expect(Array.isArray(await hde.listDepartments())).toBe(true);
    expect(Array.isArray(await hde.listCustomFields())).toBe(true);

    const category = sim.addKbCategory(slug, { title: 'Доставка' });
    const article = sim.addKbArticle(slug, { categoryId: category.id, title: 'Сроки доставки', body: '<p>3 дня</p>' });
    expect((await hde.listKbCategories()).map((c) => c.id)).toContain(category.id);
    expect((await hde.listKbArticles()).items.map((a) => a.id)).toContain(article.id);
    expect((await hde.getKbArticle(article.id)).id).toBe(article.id);

    const stats = hde.getStats();
    expect(stats.requests).toBe(sim.apiLog(slug).length);
    expect(stats.byEndpoint['POST /tickets/:id/posts/']).toBe(1);
    expect(hde.getRateLimit()).toMatchObject({ limit: 300, status: 200 });
    expect(hde.getRateLimit()?.remaining).toBeLessThan(300);
  });

  it('calls the budget before every attempt and after every response', async () => {
    const { account, slug, ticketId } = fixture();
    const events: string[] = [];
    const observed: HdeBudgetObservation[] = [];
    const hde = client(account, {
      budget: {
        acquire: async () => void events.push('acquire'),
        observe: (info) => {
          events.push('observe');
          observed.push(info);
        },
      },
    });
    sim.injectFault(slug, { method: 'GET', path: '/tickets/:id/', kind: 'status', status: 500, times: 1 });
    await hde.getTicket(ticketId);
    expect(events).toEqual(['acquire', 'observe', 'acquire', 'observe']);
    expect(observed.map((o) => o.status)).toEqual([500, 200]);
    expect(observed[1]).toMatchObject({ limit: 300 });
    expect(typeof observed[1]?.remaining).toBe('number');
  });

  it('passes a budget refusal through without a request', async () => {
    const { account, slug, ticketId } = fixture();
    const refusal = new Error('budget exhausted');
    const hde = client(account, { budget: { acquire: () => Promise.reject(refusal), observe: () => undefined } });
    await expect(hde.createPost(ticketId, { text: 'x' })).rejects.toBe(refusal);
    expect(sim.apiLog(slug)).toHaveLength(0);
    expect(hde.getStats().requests).toBe(0);
  });
});

describe('faults', () => {
  it('hang on POST: timeout, may have landed, not retried', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account, { timeoutMs: 300 });
    sim.injectFault(slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'hang', commit: true });
    const error = await failure(hde.createPost(ticketId, { text: '<p>secret reply</p>' }));
    expect(error).toMatchObject({
      reason: 'timeout',
      retryable: true,
      mayHaveLanded: true,
      endpoint: 'POST /tickets/:id/posts/',
      attempts: 1,
    });
    expect(requestsTo(slug, 'POST', /posts/)).toHaveLength(1);
    // The simulator did commit it: exactly the ambiguity mayHaveLanded warns about.
    expect(sim.posts(slug, ticketId).map((p) => p.text)).toContain('<p>secret reply</p>');
  });

  it('reset after the body was read on POST: network, may have landed, not retried', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account);
    sim.injectFault(slug, { method: 'POST', path: '/tickets/:id/comments/', kind: 'reset_after_body' });
    const error = await failure(hde.createComment(ticketId, { text: 'note' }));
    expect(error).toMatchObject({ reason: 'network', mayHaveLanded: true, attempts: 1 });
    expect(requestsTo(slug, 'POST', /comments/)).toHaveLength(1);
  });

  it('reset on GET is retried', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account);
    sim.injectFault(slug, { method: 'GET', path: '/tickets/:id/posts/', kind: 'reset_after_body', times: 1 });
    expect((await hde.listPosts(ticketId)).items).toHaveLength(1);
    expect(requestsTo(slug, 'GET', /posts/)).toHaveLength(2);
  });

  it('a response larger than maxResponseBytes: invalid_response, not downloaded again', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account, { getRetries: 2, maxResponseBytes: 4_096 });
    sim.postAsCustomer(slug, ticketId, `<p>${'ы'.repeat(5_000)}</p>`);
    const error = await failure(hde.listPosts(ticketId));
    expect(error).toMatchObject({ reason: 'invalid_response', retryable: false, attempts: 1 });
    expect(requestsTo(slug, 'GET', /posts/)).toHaveLength(1);
  });

  it('500 on GET is retried with backoff, then succeeds', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account, { getRetries: 2 });
    sim.injectFault(slug, { method: 'GET', path: '/tickets/:id/', kind: 'status', status: 500, times: 2 });
    expect((await hde.getTicket(ticketId)).id).toBe(ticketId);
    expect(requestsTo(slug, 'GET', /^\/tickets\/\d+\/?$/)).toHaveLength(3);
    expect(hde.getStats()).toMatchObject({ requests: 3, retries: 2, failures: 0 });
    expect(logLines.some((l) => l.message === 'hde request retry scheduled' && l.meta?.endpoint === 'GET /tickets/:id/')).toBe(true);
  });

  it('500 on GET gives up after getRetries', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account, { getRetries: 1 });
    sim.injectFault(slug, { method: 'GET', path: '/tickets/:id/', kind: 'status', status: 503 });
    const error = await failure(hde.getTicket(ticketId));
    expect(error).toMatchObject({ reason: 'server', status: 503, attempts: 2, mayHaveLanded: false });
  });

  it('500 on POST is not retried and may have landed', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account);
    sim.injectFault(slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'status', status: 500, commit: true });
    const error = await failure(hde.createPost(ticketId, { text: 'x' }));
    expect(error).toMatchObject({ reason: 'server', status: 500, retryable: true, mayHaveLanded: true, attempts: 1 });
    expect(requestsTo(slug, 'POST', /posts/)).toHaveLength(1);
  });

  it('502 HTML page on PUT is server and may have landed', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account);
    sim.injectFault(slug, { method: 'PUT', path: '/tickets/:id/', kind: 'status', status: 502 });
    const error = await failure(hde.updateTicket(ticketId, { statusId: 'process' }));
    expect(error).toMatchObject({ reason: 'server', status: 502, mayHaveLanded: true });
  });

  it('429 with Retry-After: a GET waits it out and succeeds', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account);
    sim.injectFault(slug, { method: 'GET', path: '/tickets/:id/', kind: 'status', status: 429, ms: 1000, times: 1 });
    const started = Date.now();
    expect((await hde.getTicket(ticketId)).id).toBe(ticketId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(requestsTo(slug, 'GET', /^\/tickets\/\d+\/?$/)).toHaveLength(2);
  });

  it('429 with a Retry-After beyond the cap is returned to the caller', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account, { retryPolicy: { maxRetryAfterMs: 500 } });
    sim.injectFault(slug, { method: 'GET', path: '/tickets/:id/', kind: 'status', status: 429, ms: 2000 });
    const error = await failure(hde.getTicket(ticketId));
    expect(error).toMatchObject({ reason: 'rate_limited', retryAfterMs: 2000, attempts: 1 });
  });

  it('429 on POST is rate_limited, not retried, and surely not landed', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account);
    sim.injectFault(slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'status', status: 429, ms: 1000 });
    const error = await failure(hde.createPost(ticketId, { text: 'x' }));
    expect(error).toMatchObject({ reason: 'rate_limited', retryAfterMs: 1000, mayHaveLanded: false });
    expect(requestsTo(slug, 'POST', /posts/)).toHaveLength(1);
  });

  it('ban: banned, never retried, and the ban persists', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account, { getRetries: 3 });
    sim.injectFault(slug, { method: 'GET', path: '/tickets/:id/', kind: 'ban', times: 1 });
    const error = await failure(hde.getTicket(ticketId));
    expect(error).toMatchObject({ reason: 'banned', status: 403, hdeCode: 'e-401', mayHaveLanded: false, attempts: 1 });
    // HDE's ban answer has no Retry-After: the caller decides how long to pause.
    expect(error.retryAfterMs).toBeUndefined();
    expect((await failure(hde.listStatuses())).reason).toBe('banned');
    expect(hde.getRateLimit()).toMatchObject({ remaining: 0, status: 403 });
  });

  it('posting to a closed ticket: closed_ticket', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account);
    sim.setStatus(slug, ticketId, 'closed');
    const error = await failure(hde.createPost(ticketId, { text: 'late answer' }));
    expect(error).toMatchObject({ reason: 'closed_ticket', status: 400, retryable: false, mayHaveLanded: false });
  });

  it('wrong API key: auth, not retried', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client({ ...account, apiKey: 'wrong-key-0000' }, { getRetries: 3 });
    const error = await failure(hde.getTicket(ticketId));
    expect(error).toMatchObject({ reason: 'auth', status: 401, retryable: false, attempts: 1 });
    expect(sim.apiLog(slug)).toHaveLength(1);
  });

  it('unknown ticket, or one an agent deleted: ticket_gone, not retried', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account, { getRetries: 3 });
    expect(await failure(hde.getTicket(999_999))).toMatchObject({ reason: 'ticket_gone', status: 404, retryable: false, attempts: 1 });
    sim.deleteTicket(slug, ticketId);
    expect(await failure(hde.listPosts(ticketId))).toMatchObject({ reason: 'ticket_gone', attempts: 1 });
    expect(await failure(hde.createPost(ticketId, { text: 'answer' }))).toMatchObject({ reason: 'ticket_gone', mayHaveLanded: false });
  });

  it('a trickled body is cut by the total timeout', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account, { timeoutMs: 400, getRetries: 0 });
    sim.injectFault(slug, { method: 'GET', path: '/tickets/:id/', kind: 'trickle', ms: 3000 });
    const started = Date.now();
    const error = await failure(hde.getTicket(ticketId));
    expect(error).toMatchObject({ reason: 'timeout', mayHaveLanded: false });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a trickled POST response cut by the timeout may have landed', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account, { timeoutMs: 400 });
    sim.injectFault(slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'trickle', ms: 3000 });
    expect(await failure(hde.createPost(ticketId, { text: 'x' }))).toMatchObject({ reason: 'timeout', mayHaveLanded: true });
  });

  it('latency under the timeout is fine', async () => {
    const { account, slug, ticketId } = fixture();
    const hde = client(account, { timeoutMs: 1000 });
    sim.injectFault(slug, { method: 'GET', path: '/tickets/:id/', kind: 'latency', ms: 200 });
    expect((await hde.getTicket(ticketId)).id).toBe(ticketId);
  });

  it('connection refused: network, surely not landed', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const hde = createHdeClient({
      baseUrl: `http://127.0.0.1:${port}/a/none`,
      email: 'a@b.c',
      apiKey: 'refused-key-1234',
      getRetries: 0,
      allowPrivateNetwork: true,
    });
    clients.push(hde);
    const error = await failure(hde.createPost(1, { text: 'x' }));
    expect(error).toMatchObject({ reason: 'network', mayHaveLanded: false, cause: { name: 'NetworkError', code: 'ECONNREFUSED' } });
  });
});

describe('configuration', () => {
  it.each([
    'ftp://acme.helpdeskeddy.com',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'acme.helpdeskeddy.com',
    'https://bot:pw@acme.helpdeskeddy.com',
    'https://acme.helpdeskeddy.com/?x=1',
  ])('refuses base URL %s', (baseUrl) => {
    expect(() => createHdeClient({ baseUrl, email: 'a@b.c', apiKey: 'k' })).toThrow(/HDE base URL/);
  });

  it.each([
    'http://acme.helpdeskeddy.com',
    'https://127.0.0.1:6379',
    'https://[::1]/',
    'https://169.254.169.254/latest',
    'https://10.0.0.5',
    'https://localhost:8443',
    'https://192.168.1.1',
  ])('refuses %s unless private networks are allowed', (baseUrl) => {
    expect(() => createHdeClient({ baseUrl, email: 'a@b.c', apiKey: 'k' })).toThrow(/HDE base URL must/);
  });

  it('refuses invalid ids without a request', async () => {
    const { account, slug } = fixture();
    const hde = client(account);
    expect(await failure(hde.getTicket(-1))).toMatchObject({ reason: 'bad_request', attempts: 0 });
    expect(await failure(hde.createPost(1.5, { text: 'x' }))).toMatchObject({ reason: 'bad_request' });
    expect(sim.apiLog(slug)).toHaveLength(0);
  });
});

describe('secrets', () => {
  it('no error, log line or client dump carries the key, the Authorization header or request text', () => {
    expect(seenErrors.length).toBeGreaterThanOrEqual(15);
    const keys = sim.listAccounts().map((slug) => sim.accountInfo(slug).apiKey);
    const forbidden = [...keys, 'refused-key-1234', 'wrong-key-0000', 'Authorization', 'Basic ', 'secret reply', 'late answer'];
    const dumps = [
      ...seenErrors.flatMap((e) => [JSON.stringify(e), inspect(e, { depth: 10, showHidden: true }), String((e as Error).stack)]),
      JSON.stringify(logLines),
      ...clients.map((c) => inspect(c, { depth: 10, showHidden: true })),
    ];
    for (const dump of dumps) for (const secret of forbidden) expect(dump).not.toContain(secret);
    for (const error of seenErrors) {
      const cause = (error as Error).cause;
      expect(cause === undefined || Object.keys(cause as object).every((k) => k === 'name' || k === 'code')).toBe(true);
    }
  });
});
