import { startHdeSim, type HdeSim } from './sim';
import type { AccountInfo } from './sim-types';
import { apiClient, startReceiver, type Receiver } from './test-support/http';

const POST_DATE = /^\d{2}:\d{2}:\d{2} \d{2}\.\d{2}\.\d{4}$/;

describe('dispatcher webhooks', () => {
  let sim: HdeSim;
  let receiver: Receiver;
  let account: AccountInfo;
  let customerId: number;

  beforeAll(async () => {
    sim = await startHdeSim();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  let n = 0;
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.status = 200;
    account = sim.createAccount({ slug: `d${n++}` });
    customerId = sim.createCustomer(account.slug, { name: 'Anna', email: 'anna@example.com' }).id;
    sim.setDispatcher(account.slug, { url: receiver.url });
  });

  const bodies = () => receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);

  it('posts the configured body with every value a string on a new ticket', async () => {
    const t = sim.openTicket(account.slug, { customerId, title: 'Help', text: '<p>Where is my order?</p>' });
    await sim.waitForDispatches();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.headers['content-type']).toBe('application/json');
    const body = bodies()[0]!;
    expect(body).toEqual({
      message: '<p>Where is my order?</p>',
      post_id: expect.stringMatching(/^\d+$/),
      message_author_id: String(customerId),
      customer_id: String(customerId),
      ticket_id: String(t.id),
      status_id: 'open',
      user_name: 'Anna',
      last_answer_date: expect.stringMatching(POST_DATE),
      last_customer_message_date: expect.stringMatching(POST_DATE),
      chat_id: '{meta_chat_id}',
    });
    expect(Object.values(body).every((v) => typeof v === 'string')).toBe(true);
  });

  it('attaches files to a client post (text may then be empty): listed on the post and linked by {last_answer_attachments_links}', async () => {
    sim.setDispatcher(account.slug, {
      url: receiver.url,
      template: { message: '{answer_last}', files: '{last_answer_attachments_links}' },
    });
    const t = sim.openTicket(account.slug, { customerId, title: 'Help', text: 'hi' });
    const post = sim.postAsCustomer(account.slug, t.id, '', { files: [{ name: 'photo <1>.jpg' }] });
    await sim.waitForDispatches();
    expect(post.files).toEqual([
      { name: 'photo <1>.jpg', url: expect.stringMatching(/^https:\/\/.+\/ru\/file\/download\/\S+$/), data_type: 'jpg' },
    ]);
    expect(bodies().map((b) => b.files)).toEqual(['', `<a href="${(post.files[0] as { url: string }).url}">photo &lt;1&gt;.jpg</a>`]);
    expect(() => sim.postAsCustomer(account.slug, t.id, ' ')).toThrow(/text is required/);
  });

  it('fills chat_id for messenger tickets', async () => {
    sim.openTicket(account.slug, { customerId, title: 'TG', text: 'hi', chatId: '123456789' });
    await sim.waitForDispatches();
    expect(bodies()[0]).toMatchObject({ chat_id: '123456789' });
    expect(sim.getTicket(account.slug, Number(bodies()[0]?.ticket_id)).source).toBe('telegram');
  });

  it("fires on the client's, an agent's and the API user's own posts, but not on comments", async () => {
    const t = sim.openTicket(account.slug, { customerId, title: 'Help', text: 'q1' });
    const agent = sim.createAgent(account.slug, { name: 'Ira', email: 'ira@example.com' });
    sim.postAsCustomer(account.slug, t.id, 'q2');
    sim.postAsAgent(account.slug, t.id, agent.id, 'a1');
    const api = apiClient(account);
    await api.post(`/tickets/${t.id}/posts/`, { text: 'bot answer' });
    await api.post(`/tickets/${t.id}/comments/`, { text: 'note' });
    await sim.waitForDispatches();
    const log = sim.dispatchLog(account.slug);
    // Attempts run concurrently, so arrival order is not guaranteed; the log keeps event order.
    const sent = log.map((e) => JSON.parse(e.body) as Record<string, unknown>);
    expect(sent.map((b) => [b.message, b.message_author_id])).toEqual([
      ['q1', String(customerId)],
      ['q2', String(customerId)],
      ['a1', String(agent.id)],
      ['bot answer', String(account.adminUserId)],
    ]);
    expect(receiver.received.map((r) => r.body).sort()).toEqual(log.map((e) => e.body).sort());
    expect(log.map((e) => e.event)).toEqual(['ticket_created', 'post_created', 'post_created', 'post_created']);
    expect(log.every((e) => e.status === 200 && e.error === null)).toBe(true);
  });

  it('keeps last_customer_message_date at the last client post when staff answers', async () => {
    const t = sim.openTicket(account.slug, { customerId, title: 'Help', text: 'q1' });
    await apiClient(account).post(`/tickets/${t.id}/posts/`, { text: 'answer' });
    await sim.waitForDispatches();
    const [first, last] = sim.dispatchLog(account.slug).map((e) => JSON.parse(e.body) as Record<string, unknown>);
    expect(last?.message_author_id).toBe(String(account.adminUserId));
    expect(last?.last_customer_message_date).toBe(first?.last_answer_date);
  });

  it('pastes HTML unescaped into the JSON when escapeJson is false, breaking it', async () => {
    sim.setDispatcher(account.slug, { url: receiver.url, escapeJson: false });
    sim.openTicket(account.slug, { customerId, title: 'Q', text: '<p class="x">line1\nline2</p>' });
    await sim.waitForDispatches();
    const raw = receiver.received[0]!.body;
    expect(raw).toContain('<p class="x">line1\nline2</p>');
    expect(() => JSON.parse(raw)).toThrow();
  });

  it('sends form bodies when the rule says X-FORM-URLENCODED', async () => {
    sim.setDispatcher(account.slug, { url: receiver.url, format: 'form' });
    const t = sim.openTicket(account.slug, { customerId, title: 'Q', text: 'hello' });
    await sim.waitForDispatches();
    const form = new URLSearchParams(receiver.received[0]!.body);
    expect(form.get('ticket_id')).toBe(String(t.id));
    expect(form.get('message')).toBe('hello');
  });

  it('records the status or error of each attempt and never retries', async () => {
    receiver.status = 503;
    sim.openTicket(account.slug, { customerId, title: 'Q', text: 'one' });
    await sim.waitForDispatches();
    sim.setDispatcher(account.slug, { url: 'http://127.0.0.1:1/unreachable' });
    sim.openTicket(account.slug, { customerId, title: 'Q', text: 'two' });
    await sim.waitForDispatches();
    const log = sim.dispatchLog(account.slug);
    expect(log[0]).toMatchObject({ status: 503, error: null });
    expect(log[1]).toMatchObject({ status: null, error: expect.stringContaining('fetch failed') });
    expect(receiver.received).toHaveLength(1);
  });

  it('does not fire while the rule is disabled', async () => {
    sim.setDispatcher(account.slug, { url: receiver.url, enabled: false });
    sim.openTicket(account.slug, { customerId, title: 'Q', text: 'x' });
    await sim.waitForDispatches();
    expect(receiver.received).toHaveLength(0);
    expect(sim.dispatchLog(account.slug)).toHaveLength(0);
  });
});
