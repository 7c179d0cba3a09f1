import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase, seedIntegration } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { migrate } from './migrate';
import { TURN_STATE_LIMITS } from './turn-state.repo';

describe('turn state in one statement (real PostgreSQL)', () => {
  let database: TestDatabase;
  let store: Store;
  let integrationId: string;

  beforeAll(async () => {
    database = await createTestDatabase('turnstate');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32), countQueries: true });
    ({ integrationId } = await seedIntegration(store, {
      hdeBaseUrl: 'https://acme.helpdeskeddy.com',
      adminEmail: 'b@a.test',
      apiKey: 'k',
    }));
  });

  /** Records a turn as retrieved (the claim's messages, a question, no hits). */
  const retrieved = (dialogId: number, turnId: string, messageIds: number[], text: string) =>
    store.decisions.recordRetrieved({
      dialogId,
      turnId,
      messageIds,
      classification: { intent: 'question', cleanText: text } as never,
      kbHits: [],
    });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it("claims nothing for a job that names another integration than the dialog's", async () => {
    const dialog = await store.dialogs.upsert(integrationId, 78, { customerId: 6, statusId: 'open' });
    await store.dialogs.recordMessage({
      dialogId: dialog.id,
      eventId: 'e78',
      authorKind: 'customer',
      text: 'Где заказ?',
      html: 'Где заказ?',
      postedAt: new Date(),
      status: 'pending',
    });
    const foreign = await store.turnState.claim(dialog.id, 't78', { integrationId: '00000000-0000-4000-8000-00000000dead' });
    expect(foreign).toMatchObject({ owned: false, messages: [], existing: undefined });
    const own = await store.turnState.claim(dialog.id, 't78', { integrationId });
    expect(own.owned).toBe(true);
    expect(own.messages.map((m) => m.eventId)).toEqual(['e78']);
    await retrieved(
      dialog.id,
      't78',
      own.messages.map((m) => m.id),
      'Где заказ?',
    );
    // Another dialog of the same integration, named with this dialog's turn id: nothing claimed.
    const second = await store.dialogs.upsert(integrationId, 79, { customerId: 7, statusId: 'open' });
    await store.dialogs.recordMessage({
      dialogId: second.id,
      eventId: 'e79',
      authorKind: 'customer',
      text: 'Привет',
      html: 'Привет',
      postedAt: new Date(),
      status: 'pending',
    });
    expect(await store.turnState.claim(second.id, 't78', { integrationId })).toMatchObject({ owned: false, messages: [] });
  });

  it('reads exactly what the repositories read one by one', async () => {
    const dialog = await store.dialogs.upsert(integrationId, 77, {
      customerId: 5,
      statusId: 'open',
      postedAt: new Date('2026-01-02T03:04:05Z'),
    });
    await store.dialogs.recordMessage({
      dialogId: dialog.id,
      eventId: 'e1',
      authorKind: 'customer',
      text: 'Привет',
      html: '<p>Привет</p>',
      postedAt: new Date('2026-01-02T03:04:05Z'),
      status: 'pending',
    });
    const claimed = (await store.turnState.claim(dialog.id, 't77')).messages;
    await retrieved(
      dialog.id,
      't77',
      claimed.map((m) => m.id),
      'Привет',
    );
    await store.decisions.update('t77', { confidence: 0.75 });
    const entry = await store.ledger.plan({
      integrationId,
      dialogId: dialog.id,
      ticketId: 77,
      actionKey: 'reply-t77',
      kind: 'reply',
      request: { text: 'Ответ' },
      turnId: 't77',
    });
    await store.ledger.finish(entry.id, 'sent', { hdeRef: '9' });
    // The turn's approved draft (no turn id of its own) is read; another turn's row is not.
    await store.ledger.plan({
      integrationId,
      dialogId: dialog.id,
      ticketId: 77,
      actionKey: 'approved-t77',
      kind: 'reply',
      request: { text: 'Правка' },
    });
    await store.ledger.plan({
      integrationId,
      dialogId: dialog.id,
      ticketId: 77,
      actionKey: 'reply-t76',
      kind: 'reply',
      request: { text: 'Раньше' },
      turnId: 't76',
    });

    const before = store.db.queryStats().total;
    const state = await store.turnState.read(dialog.id, 't77', { ledger: true });
    expect(store.db.queryStats().total - before).toBe(1);
    expect(state.dialog).toEqual(await store.dialogs.get(dialog.id));
    expect(state.turn).toEqual(await store.decisions.get('t77'));
    expect(state.messages).toEqual(await store.dialogs.messages(dialog.id));
    expect(state.decisions).toEqual(await store.decisions.forDialog(dialog.id));
    expect(state.ledger).toEqual((await store.ledger.forDialog(dialog.id)).filter((e) => e.actionKey !== 'reply-t76'));
    expect(state.ledger.map((e) => e.actionKey)).toEqual(['reply-t77', 'approved-t77']);
    expect(state.messages[0]!.postedAt).toBeInstanceOf(Date);
  });

  it("reads a long dialog's newest messages and decisions and the turn's own, not its whole history", async () => {
    const dialog = await store.dialogs.upsert(integrationId, 90, { customerId: 9, statusId: 'open' });
    const record = (eventId: string, status: 'pending' | 'done') =>
      store.dialogs.recordMessage({
        dialogId: dialog.id,
        eventId,
        authorKind: 'customer',
        text: eventId,
        html: eventId,
        postedAt: new Date(),
        status,
      });
    // The turn's message is the oldest: a turn whose run outlived a long burst of newer posts.
    await record('old-question', 'pending');
    const claimed = await store.turnState.claim(dialog.id, 't90');
    expect(claimed.messages.map((m) => m.eventId)).toEqual(['old-question']);
    await retrieved(
      dialog.id,
      't90',
      claimed.messages.map((m) => m.id),
      'old-question',
    );
    const extra = TURN_STATE_LIMITS.messages + 30;
    for (let i = 0; i < extra; i += 1) await record(`later-${i}`, 'done');
    for (let i = 0; i < TURN_STATE_LIMITS.decisions + 10; i += 1) {
      await retrieved(dialog.id, `later-${i}`, [], `later-${i}`);
    }

    const state = await store.turnState.read(dialog.id, 't90');
    expect(state.messages).toHaveLength(TURN_STATE_LIMITS.messages + 1);
    expect(state.messages[0]!.eventId).toBe('old-question');
    expect(state.messages[1]!.eventId).toBe(`later-${extra - TURN_STATE_LIMITS.messages}`);
    expect(state.messages.at(-1)!.eventId).toBe(`later-${extra - 1}`);
    expect(state.decisions).toHaveLength(TURN_STATE_LIMITS.decisions + 1);
    expect(state.decisions[0]!.turnId).toBe('t90');
    expect(state.turn?.turnId).toBe('t90');
    // What classify and the sweep compare a post read back from HDE with: the newest, in order.
    expect((await store.dialogs.recentMessages(dialog.id, 3)).map((m) => m.eventId)).toEqual([
      `later-${extra - 3}`,
      `later-${extra - 2}`,
      `later-${extra - 1}`,
    ]);
  });

  it('tells a missing dialog and turn apart from empty lists', async () => {
    const state = await store.turnState.read(999_999, 'nope');
    expect(state).toEqual({ dialog: undefined, turn: undefined, messages: [], decisions: [], ledger: [] });
  });
});
