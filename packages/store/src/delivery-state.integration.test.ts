import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase, seedIntegration } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { migrate } from './migrate';

describe('delivery state against real PostgreSQL', () => {
  let database: TestDatabase;
  let store: Store;
  let integrationId: string;

  beforeAll(async () => {
    database = await createTestDatabase('delivery_state');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    ({ integrationId } = await seedIntegration(store, {
      hdeBaseUrl: 'https://acme.helpdeskeddy.com/',
      adminEmail: 'bot@acme.test',
      apiKey: 'k',
    }));
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('plans a turn once: a second plan returns the stored rows, not the new list', async () => {
    const dialog = await store.dialogs.upsert(integrationId, 501);
    const { rows: first } = await store.ledger.planTurn('t1-a', [
      { integrationId, dialogId: dialog.id, ticketId: 501, actionKey: 'summary-t1-a', kind: 'note', request: { text: 'n' } },
      { integrationId, dialogId: dialog.id, ticketId: 501, actionKey: 'assign-t1-a', kind: 'assign', request: { ownerId: 7 } },
    ]);
    const { rows: again } = await store.ledger.planTurn('t1-a', [
      { integrationId, dialogId: dialog.id, ticketId: 501, actionKey: 'assign-t1-a', kind: 'assign', request: {} },
    ]);
    expect(first.map((r) => r.actionKey)).toEqual(['summary-t1-a', 'assign-t1-a']);
    expect(again.map((r) => [r.actionKey, r.request])).toEqual([
      ['summary-t1-a', { text: 'n' }],
      ['assign-t1-a', { ownerId: 7 }],
    ]);
  });

  it("reads a dialog's newest ledger rows, in order, when asked for them alone", async () => {
    const dialog = await store.dialogs.upsert(integrationId, 502);
    for (const n of [1, 2, 3, 4]) {
      await store.ledger.plan({
        integrationId,
        dialogId: dialog.id,
        ticketId: 502,
        actionKey: `reply-r${n}`,
        kind: 'reply',
        request: { text: `${n}` },
      });
    }
    expect((await store.ledger.forDialog(dialog.id, { newest: 2 })).map((r) => r.actionKey)).toEqual(['reply-r3', 'reply-r4']);
    expect(await store.ledger.forDialog(dialog.id)).toHaveLength(4);
  });

  it('D12 out-of-order webhooks: an older one never moves the dialog from agent back to bot', async () => {
    const t1 = new Date('2026-01-01T10:00:00Z');
    const t2 = new Date('2026-01-01T10:05:00Z');
    let dialog = await store.dialogs.upsert(integrationId, 502, { statusId: 'open', postedAt: t1 });
    // The newer event (agent replied and closed) is processed first…
    dialog = await store.dialogs.upsert(integrationId, 502, { statusId: 'closed', postedAt: t2 });
    expect(await store.dialogs.setState(dialog.id, 'agent', 'agent_replied', t2)).toBe(true);
    // …then the older one arrives.
    dialog = await store.dialogs.upsert(integrationId, 502, { statusId: 'open', postedAt: t1 });
    expect(dialog.statusId).toBe('closed');
    expect(await store.dialogs.setState(dialog.id, 'bot', 'reopened', t1)).toBe(false);
    expect((await store.dialogs.get(dialog.id))?.state).toBe('agent');
    // A genuinely newer event still moves it.
    expect(await store.dialogs.setState(dialog.id, 'bot', 'reopened', new Date('2026-01-01T10:09:00Z'))).toBe(true);
  });

  it('counts and lists messages that failed', async () => {
    const dialog = await store.dialogs.upsert(integrationId, 503);
    const { id } = await store.dialogs.recordMessage({
      dialogId: dialog.id,
      eventId: 'e-fail-1',
      authorKind: 'customer',
      text: 'x',
      status: 'pending',
    });
    await store.dialogs.tryStartTurn(dialog.id, 't3-a', 60_000);
    await store.turnState.claim(dialog.id, 't3-a');
    await store.dialogs.finishTurn(dialog.id, 't3-a', 'failed');
    expect(await store.dialogs.countFailedMessages(integrationId)).toBe(1);
    expect((await store.dialogs.failedMessages(integrationId))[0]).toMatchObject({ messageId: id, ticketId: 503 });
  });

  it('finds accepted events left unprocessed', async () => {
    await store.events.insert({
      id: 'e00000000000000a1',
      integrationId,
      ticketId: 504,
      source: 'webhook',
      parseStatus: 'ok',
      payload: {},
      rawBody: null,
      contentType: null,
      receivedAt: new Date(Date.now() - 120_000),
    });
    await store.events.insert({
      id: 'e00000000000000a2',
      integrationId,
      ticketId: 504,
      source: 'webhook',
      parseStatus: 'ok',
      payload: {},
      rawBody: null,
      contentType: null,
      receivedAt: new Date(Date.now() - 120_000),
    });
    await store.events.markProcessed('e00000000000000a2', 'customer');
    expect(await store.redrive.unprocessedEvents(integrationId, 60_000)).toEqual(['e00000000000000a1']);
    expect(await store.redrive.unprocessedEvents(integrationId, 600_000)).toEqual([]);
    expect(await store.redrive.hasUnprocessed(integrationId, 504)).toBe(true);
    await store.events.markProcessed('e00000000000000a1', 'customer');
    expect(await store.redrive.hasUnprocessed(integrationId, 504)).toBe(false);
  });

  it('purges raw bodies, old messages of idle dialogs and expired sessions past their retention', async () => {
    const old = new Date(Date.now() - 40 * 86_400_000);
    await store.events.insert({
      id: 'e00000000000000b1',
      integrationId,
      ticketId: 505,
      source: 'webhook',
      parseStatus: 'unparseable',
      payload: null,
      rawBody: Buffer.from('{'),
      contentType: 'application/json',
      receivedAt: old,
    });
    await store.events.insert({
      id: 'e00000000000000b2',
      integrationId,
      ticketId: 505,
      source: 'webhook',
      parseStatus: 'unparseable',
      payload: null,
      rawBody: Buffer.from('{'),
      contentType: 'application/json',
    });
    const dialog = await store.dialogs.upsert(integrationId, 505);
    const kept = await store.dialogs.recordMessage({
      dialogId: dialog.id,
      eventId: 'm-new',
      authorKind: 'customer',
      text: 'new',
      status: 'done',
    });
    const gone = await store.dialogs.recordMessage({
      dialogId: dialog.id,
      eventId: 'm-old',
      authorKind: 'customer',
      text: 'old',
      status: 'done',
    });
    const waiting = await store.dialogs.recordMessage({
      dialogId: dialog.id,
      eventId: 'm-wait',
      authorKind: 'customer',
      text: 'wait',
      status: 'pending',
    });
    await store.db.query(`UPDATE messages SET created_at = $2 WHERE id = ANY($1::bigint[])`, [[gone.id, waiting.id], old]);

    const result = await store.retention.purge({ rawBodyDays: 30, messageDays: 30, expiredSessionDays: 1 });
    expect(result).toMatchObject({ rawBodies: 1, messages: 1 });
    expect((await store.events.get('e00000000000000b1'))?.rawBody).toBeNull();
    expect((await store.events.get('e00000000000000b2'))?.rawBody).not.toBeNull();
    const ids = (await store.dialogs.messages(dialog.id)).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([kept.id, waiting.id]));
    expect(ids).not.toContain(gone.id);
    // 0 days means keep forever.
    expect(await store.retention.purge({ rawBodyDays: 0, messageDays: 0, expiredSessionDays: 0 })).toEqual({
      rawBodies: 0,
      messages: 0,
      sessions: 0,
    });
  });
});
