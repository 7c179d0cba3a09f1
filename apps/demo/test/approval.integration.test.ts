import Redis from 'ioredis';
import { createProducer, jobIds } from '@repo/queue';
import { createStore, type Store } from '@repo/store';
import { waitFor } from '@repo/testing';
import { botPosts, startTestStack, type TestStack } from './helpers';

// Draft mode: the bot writes its answer as an internal note; an approval (what the admin app does:
// plan `approved-<turnId>` in the ledger and queue the turn's deliver job) is posted by the worker once.
describe('draft approval through the worker', () => {
  let t: TestStack;
  let store: Store;
  let redis: Redis;

  beforeAll(async () => {
    t = await startTestStack({ label: 'draft', replyMode: 'note' });
    store = createStore({ url: t.databaseUrl, poolSize: 2 });
    redis = new Redis(t.redisUrl, { maxRetriesPerRequest: null });
  }, 120_000);

  afterAll(async () => {
    redis?.disconnect();
    await store?.close();
    await t?.close();
  }, 60_000);

  it('posts an approved draft as one public reply, however often it is approved', async () => {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    const ticket = stack.sim.openTicket(slug, {
      customerId: stack.people.customers[0]!.id,
      title: 'Оплата',
      text: 'Какие способы оплаты у вас есть?',
    });
    await observe.waitSettled(stack.sim, ticket.id);
    const [turn] = await observe.decisions(ticket.id);
    expect(turn?.action).toBe('answer');
    expect(botPosts(stack, ticket.id)).toHaveLength(0);
    expect(stack.sim.comments(slug, ticket.id)).toHaveLength(1);

    const dialog = (await store.dialogs.getByTicket(stack.integrationId, ticket.id))!;
    const deliver = createProducer('deliver', { connection: redis, prefix: t.redisPrefix });
    const data = { integrationId: stack.integrationId, dialogId: dialog.id, turnId: turn!.turnId };
    for (const text of ['<p>Картой, СБП или по счёту.</p>', '<p>Другой текст</p>']) {
      await store.ledger.plan({
        integrationId: stack.integrationId,
        dialogId: dialog.id,
        ticketId: ticket.id,
        actionKey: `approved-${turn!.turnId}`,
        kind: 'reply',
        request: { text },
      });
      await deliver.add(data, { jobId: jobIds.approve(data) });
    }
    await waitFor(async () => (await store.ledger.getByKey(stack.integrationId, `approved-${turn!.turnId}`))?.state === 'sent', {
      what: 'the approved reply to be sent',
      timeoutMs: 30_000,
    });
    const posts = botPosts(stack, ticket.id);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toContain('Картой, СБП или по счёту.');
    // A later approval of the same turn changes nothing.
    await deliver.queue.remove(jobIds.approve(data));
    await deliver.add(data, { jobId: jobIds.approve(data) });
    await waitFor(async () => (await deliver.queue.getJobState(jobIds.approve(data))) === 'completed', {
      what: 'the second job',
      timeoutMs: 30_000,
    });
    expect(botPosts(stack, ticket.id)).toHaveLength(1);
    await deliver.close();
  }, 90_000);
});
