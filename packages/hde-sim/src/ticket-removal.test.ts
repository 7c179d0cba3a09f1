import { startHdeSim, type HdeSim } from './sim';
import type { AccountInfo } from './sim-types';
import type { AccountVariant } from './variant';
import { apiClient, controlClient, startReceiver, type Receiver } from './test-support/http';

// What agents do to tickets and posts while a bot works on them: delete a ticket, merge one into
// another, delete a post. HDE documents none of what its API answers afterwards; these are guesses.
describe('tickets and posts removed by agents', () => {
  let sim: HdeSim;
  let receiver: Receiver;
  let n = 0;

  beforeAll(async () => {
    sim = await startHdeSim();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await sim.close();
  });

  function setUp(variant: Partial<AccountVariant> = {}) {
    const account: AccountInfo = sim.createAccount({ slug: `rm${n++}`, variant });
    const customerId = sim.createCustomer(account.slug, { name: 'Anna', email: 'anna@example.com' }).id;
    const ticketId = sim.openTicket(account.slug, { customerId, title: 'Help', text: '<p>first</p>' }).id;
    return { account, api: apiClient(account), customerId, ticketId };
  }

  const control = (method: string, path: string, body?: unknown) => controlClient(sim.url)(method, path, body);

  /** HDE's answer for a ticket id it does not know, on every route of the ticket. */
  async function expectUnknownTicket(api: ReturnType<typeof apiClient>, ticketId: number): Promise<void> {
    for (const answer of [
      await api.get(`/tickets/${ticketId}/`),
      await api.get(`/tickets/${ticketId}/posts/`),
      await api.post(`/tickets/${ticketId}/posts/`, { text: 'answer' }),
      await api.get(`/tickets/${ticketId}/comments/`),
      await api.put(`/tickets/${ticketId}/`, { status_id: 'process' }),
    ]) {
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ errors: [{ code: 'e-404', title: 'Not found', details: expect.any(String) }] });
    }
  }

  it("moves a ticket to the trash (HDE's default delete): still readable and listed, with deleted 1; restored, deleted 0", async () => {
    const { account, api, ticketId } = setUp();
    const trashed = await control('POST', `/accounts/${account.slug}/tickets/${ticketId}/trash`);
    expect(trashed.status).toBe(200);
    expect(trashed.json.deleted).toBe(1);
    const read = await api.get(`/tickets/${ticketId}/`);
    expect(read.status).toBe(200);
    expect(read.json.data).toMatchObject({ id: ticketId, deleted: 1 });
    const listed = await api.get('/tickets/');
    expect(listed.json.data[String(ticketId)]).toMatchObject({ deleted: 1 });
    expect((await api.get(`/tickets/${ticketId}/posts/`)).json.data).toHaveLength(1);
    // An agent restores it: out of the trash again, no webhook.
    sim.setDispatcher(account.slug, { url: receiver.url });
    const restored = await control('POST', `/accounts/${account.slug}/tickets/${ticketId}/restore`);
    expect(restored.status).toBe(200);
    expect((await api.get(`/tickets/${ticketId}/`)).json.data).toMatchObject({ id: ticketId, deleted: 0 });
    await sim.waitForDispatches();
    expect(sim.dispatchLog(account.slug)).toHaveLength(0);
  });

  it('a deleted ticket answers 404 on every route, as one that never existed, and leaves the lists', async () => {
    const { account, api, ticketId } = setUp();
    const never = await api.get('/tickets/999/');
    sim.setDispatcher(account.slug, { url: receiver.url });
    sim.deleteTicket(account.slug, ticketId);
    await expectUnknownTicket(api, ticketId);
    expect((await api.get(`/tickets/${ticketId}/`)).json.errors[0].title).toBe(never.json.errors[0].title);
    expect((await api.get('/tickets/')).json.data).toEqual([]);
    await sim.waitForDispatches();
    expect(sim.dispatchLog(account.slug)).toHaveLength(0);
    expect(() => sim.deleteTicket(account.slug, ticketId)).toThrow(/not found/);
  });

  it('merging moves the posts and notes with their ids and dates, in date order, and fires nothing', async () => {
    const { account, api, customerId, ticketId: into } = setUp();
    const from = sim.openTicket(account.slug, { customerId, title: 'Help again', text: '<p>duplicate</p>' }).id;
    const fromPosts = sim.posts(account.slug, from);
    await api.post(`/tickets/${from}/comments/`, { text: 'note on the duplicate' });
    const later = sim.postAsCustomer(account.slug, into, '<p>second in the target</p>');
    sim.setDispatcher(account.slug, { url: receiver.url });

    const target = sim.mergeTickets(account.slug, from, into);
    expect(target.id).toBe(into);
    const posts = sim.posts(account.slug, into);
    expect(posts.map((p) => p.text)).toEqual(['<p>first</p>', '<p>duplicate</p>', '<p>second in the target</p>']);
    expect(posts[1]).toEqual({ ...fromPosts[0], ticket_id: into });
    expect(posts[2]!.id).toBe(later.id);
    expect(sim.comments(account.slug, into).map((c) => [c.text, c.ticket_id])).toEqual([['note on the duplicate', into]]);
    // The API lists them newest first by date, like any other posts.
    expect((await api.get(`/tickets/${into}/posts/`)).json.data.map((p: { id: number }) => p.id)).toEqual(
      [...posts].reverse().map((p) => p.id),
    );

    // By default the merged ticket is gone.
    await expectUnknownTicket(api, from);
    await sim.waitForDispatches();
    expect(sim.dispatchLog(account.slug)).toHaveLength(0);
  });

  it('a merged ticket stays readable, closed and empty on an account of the `closed` variant', async () => {
    const { account, api, customerId, ticketId: into } = setUp({ mergedTicket: 'closed' });
    const from = sim.openTicket(account.slug, { customerId, title: 'Help again', text: '<p>duplicate</p>' }).id;
    sim.mergeTickets(account.slug, from, into);
    expect((await api.get(`/tickets/${from}/`)).json.data).toMatchObject({ id: from, status_id: 'closed' });
    expect((await api.get(`/tickets/${from}/posts/`)).json.data).toEqual([]);
    // A post to it is one to a closed ticket: refused by default.
    expect((await api.post(`/tickets/${from}/posts/`, { text: 'answer' })).status).toBe(400);
    sim.setVariant(account.slug, { closedTicketPost: 'accept' });
    expect((await api.post(`/tickets/${from}/posts/`, { text: 'answer' })).status).toBe(200);
    expect(sim.posts(account.slug, into).map((p) => p.text)).toEqual(['<p>first</p>', '<p>duplicate</p>']);
  });

  it('refuses to merge a ticket into itself or into a ticket that does not exist', () => {
    const { account, ticketId } = setUp();
    expect(() => sim.mergeTickets(account.slug, ticketId, ticketId)).toThrow(/itself/);
    expect(() => sim.mergeTickets(account.slug, ticketId, 999)).toThrow(/not found/);
    expect(sim.posts(account.slug, ticketId)).toHaveLength(1);
  });

  it('a deleted post leaves the listing; the ticket and its other posts stay', async () => {
    const { account, api, ticketId } = setUp();
    const reply = await api.post(`/tickets/${ticketId}/posts/`, { text: 'answer' });
    const second = sim.postAsCustomer(account.slug, ticketId, '<p>thanks</p>');
    sim.setDispatcher(account.slug, { url: receiver.url });
    sim.deletePost(account.slug, ticketId, reply.json.data.id);
    expect((await api.get(`/tickets/${ticketId}/posts/`)).json.data.map((p: { id: number }) => p.id)).toEqual([
      second.id,
      sim.posts(account.slug, ticketId)[0]!.id,
    ]);
    expect(() => sim.deletePost(account.slug, ticketId, reply.json.data.id)).toThrow(/not found/);
    await sim.waitForDispatches();
    expect(sim.dispatchLog(account.slug)).toHaveLength(0);
  });

  it('is driven through the control API', async () => {
    const { account, api, customerId, ticketId } = setUp();
    const slug = account.slug;
    const from = (await control('POST', `/accounts/${slug}/tickets`, { customerId, title: 'Dup', text: '<p>dup</p>' })).json.id as number;
    const merged = await control('POST', `/accounts/${slug}/tickets/${from}/merge`, { intoId: ticketId });
    expect(merged.status).toBe(200);
    expect(merged.json.id).toBe(ticketId);
    expect((await control('GET', `/accounts/${slug}/tickets/${from}`)).status).toBe(404);

    const posts = (await control('GET', `/accounts/${slug}/tickets/${ticketId}/posts`)).json as Array<{ id: number }>;
    expect(posts).toHaveLength(2);
    expect((await control('DELETE', `/accounts/${slug}/tickets/${ticketId}/posts/${posts[1]!.id}`)).json).toEqual({ deleted: true });
    expect((await control('DELETE', `/accounts/${slug}/tickets/${ticketId}/posts/${posts[1]!.id}`)).status).toBe(404);
    expect((await api.get(`/tickets/${ticketId}/posts/`)).json.data).toHaveLength(1);

    expect((await control('DELETE', `/accounts/${slug}/tickets/${ticketId}`)).json).toEqual({ deleted: true });
    expect((await api.get(`/tickets/${ticketId}/`)).status).toBe(404);
    expect((await control('POST', `/accounts/${slug}/tickets/${ticketId}/merge`, { intoId: from })).status).toBe(404);
  });
});
