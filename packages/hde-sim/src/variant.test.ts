import { startHdeSim, type HdeSim } from './sim';
import type { AccountInfo } from './sim-types';
import { apiClient, startReceiver, type Receiver } from './test-support/http';

describe('account variants', () => {
  let sim: HdeSim;
  let receiver: Receiver;
  let n = 0;

  beforeAll(async () => {
    sim = await startHdeSim({ minuteMs: 1000 });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await sim.close();
  });

  function setUp(variant: Parameters<HdeSim['setVariant']>[1] = {}) {
    const account: AccountInfo = sim.createAccount({ slug: `v${n++}`, variant, banSeconds: 60 });
    const customerId = sim.createCustomer(account.slug, { name: 'Anna', email: 'anna@example.com' }).id;
    const ticketId = sim.openTicket(account.slug, { customerId, title: 'Help', text: '<p>first</p>' }).id;
    return { account, api: apiClient(account), customerId, ticketId };
  }

  it('rejects unknown options and values', () => {
    expect(() => sim.createAccount({ slug: 'bad1', variant: { banForm: 'teapot' as never } })).toThrow(/banForm/);
    expect(() => sim.createAccount({ slug: 'bad2', variant: { nope: 'x' } as never })).toThrow(/unknown variant option/);
  });

  it.each([
    ['json_e401', 'e-401', 'application/json'],
    ['json_e403', 'e-403', 'application/json'],
    ['html_403', undefined, 'text/html'],
  ] as const)('answers a ban in the %s form', async (banForm, code, contentType) => {
    const { account, api } = setUp({ banForm });
    sim.injectFault(account.slug, { path: '/tickets/', kind: 'ban', times: 1 });
    const banned = await api.get('/tickets/');
    expect(banned.status).toBe(403);
    expect(banned.headers.get('content-type')).toContain(contentType);
    expect(banned.json?.errors?.[0]?.code).toBe(code);
    // The ban holds for every later request, in the same form.
    const later = await api.get('/statuses/');
    expect(later.status).toBe(403);
    expect(later.headers.get('content-type')).toContain(contentType);
  });

  it('replaces, refuses or ignores tags on a ticket update', async () => {
    const replace = setUp({ putTags: 'replace' });
    await replace.api.put(`/tickets/${replace.ticketId}/`, { tags: ['vip'] });
    expect((await replace.api.put(`/tickets/${replace.ticketId}/`, { tags: ['new'], status_id: 'process' })).json.data.tags).toEqual([
      'new',
    ]);

    const refuse = setUp({ putTags: 'refuse' });
    const refused = await refuse.api.put(`/tickets/${refuse.ticketId}/`, { tags: ['new'], status_id: 'process' });
    expect(refused.status).toBe(400);
    // The whole update was refused: the status did not change either.
    expect(sim.getTicket(refuse.account.slug, refuse.ticketId).status_id).toBe('open');
    expect((await refuse.api.put(`/tickets/${refuse.ticketId}/`, { status_id: 'process' })).status).toBe(200);

    const ignore = setUp({ putTags: 'ignore' });
    const ignored = await ignore.api.put(`/tickets/${ignore.ticketId}/`, { tags: ['new'], status_id: 'process' });
    expect(ignored.json.data).toMatchObject({ status_id: 'process', tags: [] });
  });

  it('lists posts and comments oldest first when told to', async () => {
    const { account, api, ticketId } = setUp({ listOrder: 'oldest_first' });
    sim.postAsCustomer(account.slug, ticketId, '<p>second</p>');
    await api.post(`/tickets/${ticketId}/comments/`, { text: 'n1' });
    await api.post(`/tickets/${ticketId}/comments/`, { text: 'n2' });
    expect((await api.get(`/tickets/${ticketId}/posts/`)).json.data.map((p: { text: string }) => p.text)).toEqual([
      '<p>first</p>',
      '<p>second</p>',
    ]);
    expect((await api.get(`/tickets/${ticketId}/comments/`)).json.data.map((p: { text: string }) => p.text)).toEqual(['n1', 'n2']);
    sim.setVariant(account.slug, { listOrder: 'newest_first' });
    expect((await api.get(`/tickets/${ticketId}/posts/`)).json.data[0].text).toBe('<p>second</p>');
  });

  it('attributes API posts to the key owner when user_id is not honoured', async () => {
    const { account, api, ticketId } = setUp({ postAuthor: 'key_owner' });
    const agent = sim.createAgent(account.slug, { name: 'Bot', email: 'bot@x.example' });
    const post = await api.post(`/tickets/${ticketId}/posts/`, { text: 'hi', user_id: agent.id });
    expect(post.json.data.user_id).toBe(account.adminUserId);
    sim.setVariant(account.slug, { postAuthor: 'user_id' });
    expect((await api.post(`/tickets/${ticketId}/posts/`, { text: 'hi', user_id: agent.id })).json.data.user_id).toBe(agent.id);
  });

  it.each([
    ['refuse', 400, 'closed', 1],
    ['reopen', 200, 'open', 2],
    ['accept', 200, 'closed', 2],
  ] as const)('answers an API post to a closed ticket as %s', async (closedTicketPost, status, after, posts) => {
    const { account, api, ticketId } = setUp({ closedTicketPost });
    sim.setStatus(account.slug, ticketId, 'closed');
    const res = await api.post(`/tickets/${ticketId}/posts/`, { text: 'late answer' });
    expect(res.status).toBe(status);
    expect(sim.getTicket(account.slug, ticketId).status_id).toBe(after);
    expect(sim.posts(account.slug, ticketId)).toHaveLength(posts);
  });

  it("moves an open ticket to process on a staff reply when the account does, not on a client's", async () => {
    const { account, api, ticketId } = setUp({ staffPostStatus: 'process' });
    sim.postAsCustomer(account.slug, ticketId, 'one more thing');
    expect(sim.getTicket(account.slug, ticketId).status_id).toBe('open');
    await api.post(`/tickets/${ticketId}/posts/`, { text: 'answer' });
    expect(sim.getTicket(account.slug, ticketId).status_id).toBe('process');
    const other = setUp({ staffPostStatus: 'process' });
    const agent = sim.createAgent(other.account.slug, { name: 'Olga', email: 'olga@x.example' });
    sim.postAsAgent(other.account.slug, other.ticketId, agent.id, 'from the UI');
    expect(sim.getTicket(other.account.slug, other.ticketId).status_id).toBe('process');
    // Only `open` moves: another status an agent set stays.
    sim.setStatus(other.account.slug, other.ticketId, 'closed');
    sim.postAsAgent(other.account.slug, other.ticketId, agent.id, 'again');
    expect(sim.getTicket(other.account.slug, other.ticketId).status_id).toBe('closed');
  });

  it('fires the dispatcher on a reply made through the API unless the account keeps them silent', async () => {
    for (const [apiPostDispatch, expected] of [
      ['fires', 1],
      ['silent', 0],
    ] as const) {
      const { account, api, ticketId } = setUp({ apiPostDispatch });
      sim.setDispatcher(account.slug, { url: receiver.url });
      await sim.waitForDispatches();
      receiver.received.length = 0;
      await api.post(`/tickets/${ticketId}/posts/`, { text: 'answer' });
      await sim.waitForDispatches();
      expect(receiver.received).toHaveLength(expected);
      // The client's and the UI's replies fire it either way.
      sim.postAsCustomer(account.slug, ticketId, 'thanks');
      await sim.waitForDispatches();
      expect(receiver.received).toHaveLength(expected + 1);
    }
  });

  it('sends foreign dispatcher bodies: nested message, unexpanded tags, HTML entities', async () => {
    const { account, customerId, ticketId } = setUp();
    sim.setDispatcher(account.slug, {
      url: receiver.url,
      template: {
        id: '{ticket_id}',
        message: { text: '{answer_last}', author: '{last_post_user_id}' },
        chat_id: '{meta_chat_id}',
        post_id: '{last_post_id}',
      },
      unexpandedTags: ['last_post_id'],
      htmlEntities: true,
    });
    receiver.received.length = 0;
    sim.postAsCustomer(account.slug, ticketId, '<p>a "b"</p>');
    await sim.waitForDispatches();
    const body = JSON.parse(receiver.received.at(-1)!.body);
    expect(body).toEqual({
      id: String(ticketId),
      message: { text: '&lt;p&gt;a &quot;b&quot;&lt;/p&gt;', author: String(customerId) },
      chat_id: '{meta_chat_id}',
      post_id: '{last_post_id}',
    });
  });

  it('lists KB articles with their access and show_me_only', async () => {
    const { account, api } = setUp();
    const category = sim.addKbCategory(account.slug, { title: 'FAQ' });
    const article = sim.addKbArticle(account.slug, {
      categoryId: category.id,
      title: 'Internal',
      body: '<p>x</p>',
      access: 'staff',
      showMeOnly: true,
    });
    expect((await api.get(`/knowledge_base/articles/${article.id}`)).json.data).toMatchObject({ access: 'staff', show_me_only: true });
    sim.updateKbArticle(account.slug, article.id, { access: 'public', showMeOnly: false });
    expect((await api.get(`/knowledge_base/articles/${article.id}`)).json.data).toMatchObject({ access: 'public', show_me_only: false });
  });
});
