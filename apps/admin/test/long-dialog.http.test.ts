import { DIALOG_PAGE_MESSAGES, type Integration } from '@repo/store';
import { startFixture, type Fixture } from './fixture';
import { apiClient, TestClient } from './http-client';

// A ticket may hold thousands of posts (a notification rule, a long conversation with agents): its
// page shows the newest messages with their turns, and the older ones a page further.
describe('dialog page of a long ticket', () => {
  let fx: Fixture;
  let integration: Integration;
  let dialogId: number;
  let client: TestClient;
  const oldTurn = 'turn-old';
  const newTurn = 'turn-new';

  beforeAll(async () => {
    fx = await startFixture();
    integration = await fx.simIntegration('long');
    const ticketId = 4242;
    dialogId = (await fx.store.dialogs.upsert(integration.id, ticketId, { customerId: 5, customerName: 'Иван' })).id;
    const message = (n: number, authorKind: 'customer' | 'agent', text: string) =>
      fx.store.dialogs.recordMessage({
        dialogId,
        eventId: `e${n}`,
        authorKind,
        text,
        postedAt: new Date(Date.UTC(2026, 10, 20, 9, 0, n)),
        status: authorKind === 'customer' ? 'pending' : 'ignored',
      });
    const reply = (actionKey: string, turnId?: string) =>
      fx.store.ledger.plan({
        integrationId: integration.id,
        dialogId,
        ticketId,
        actionKey,
        kind: 'reply',
        request: { text: actionKey },
        ...(turnId ? { turnId } : {}),
      });
    /** The pending customer messages become one turn, retrieved, with a reply in the ledger. */
    const turn = async (turnId: string) => {
      const { messages } = await fx.store.turnState.claim(dialogId, turnId);
      await fx.store.decisions.recordRetrieved({
        dialogId,
        turnId,
        messageIds: messages.map((m) => m.id),
        classification: { intent: 'question', language: 'ru', tone: 'neutral', cleanText: turnId } as never,
        kbHits: [],
      });
      await reply(`reply-${turnId}`, turnId);
    };
    await message(1, 'customer', 'Первый вопрос');
    await message(2, 'customer', 'И ещё');
    await turn(oldTurn);
    // An approved draft's row names the turn by its key only.
    await reply(`approved-${oldTurn}`);
    for (let n = 3; n <= DIALOG_PAGE_MESSAGES + 2; n += 1) await message(n, 'agent', `Ответ агента ${n}`);
    for (let n = DIALOG_PAGE_MESSAGES + 3; n <= DIALOG_PAGE_MESSAGES + 5; n += 1) await message(n, 'customer', `Новый вопрос ${n}`);
    await turn(newTurn);
    const boss = await fx.createUser('long@example.test', 'admin');
    await fx.admin.access.rate({ dialogId, turnId: oldTurn, userId: boss.id, rating: 'bad', reason: 'old-turn-rating' });
    await fx.admin.access.rate({ dialogId, turnId: newTurn, userId: boss.id, rating: 'good', reason: 'new-turn-rating' });
    client = new TestClient(fx.url);
    await client.login(boss.email, boss.password);
  }, 120_000);

  afterAll(async () => {
    await fx?.close();
  });

  const count = (text: string, testId: string) => text.split(`data-testid="${testId}"`).length - 1;
  const turnsOn = (text: string) => [...text.matchAll(/data-testid="turn" data-turn="([^"]+)"/g)].map((m) => m[1]);

  it('shows the newest messages with their turns, and links to the earlier ones', async () => {
    const page = await client.get(`/dialogs/${dialogId}`);
    expect(page.status).toBe(200);
    expect(count(page.text, 'message')).toBe(DIALOG_PAGE_MESSAGES);
    expect(page.text).not.toContain('Первый вопрос');
    expect(page.text).toContain(`Новый вопрос ${DIALOG_PAGE_MESSAGES + 5}`);
    expect(turnsOn(page.text)).toEqual([newTurn]);
    expect(page.text).not.toContain('data-testid="newest-messages"');
    const older = /data-testid="dialog-pages"[\s\S]*?href="([^"]+)" data-testid="older-messages"/.exec(page.text)?.[1];
    expect(older).toMatch(new RegExp(`^/dialogs/${dialogId}\\?before=\\d+$`));

    const earlier = await client.get(older!);
    expect(earlier.status).toBe(200);
    expect(count(earlier.text, 'message')).toBe(5);
    expect(earlier.text).toContain('Первый вопрос');
    expect(earlier.text).toContain('Ответ агента 5<');
    expect(earlier.text).not.toContain('Ответ агента 6<');
    expect(turnsOn(earlier.text)).toEqual([oldTurn]);
    expect(earlier.text).not.toContain('data-testid="older-messages"');
    expect(earlier.text).toContain(`href="/dialogs/${dialogId}" data-testid="newest-messages"`);
  });

  it('pages the JSON API the same way, with the turns’ HDE actions and approved drafts', async () => {
    const owner = await fx.createUser('api-long@example.test', 'admin');
    const api = apiClient(fx.url, (await fx.admin.accounts.issueApiToken({ userId: owner.id, name: 'api', createdBy: owner.id })).token);
    const newest = await api('GET', `/dialogs/${dialogId}`);
    expect(newest.status).toBe(200);
    expect(newest.body.messages).toHaveLength(DIALOG_PAGE_MESSAGES);
    expect(newest.body.decisions.map((d: { turnId: string }) => d.turnId)).toEqual([newTurn]);
    expect(newest.body.ledger.map((e: { actionKey: string }) => e.actionKey)).toEqual([`reply-${newTurn}`]);
    expect(newest.body.page).toEqual({ olderBefore: expect.any(Number), newest: true });
    // Each page reads the ratings of its own turns only.
    expect(newest.body.ratings.map((r: { reason: string }) => r.reason)).toEqual(['new-turn-rating']);

    const earlier = await api('GET', `/dialogs/${dialogId}?before=${newest.body.page.olderBefore}`);
    expect(earlier.body.messages.map((m: { text: string }) => m.text)).toEqual([
      'Первый вопрос',
      'И ещё',
      'Ответ агента 3',
      'Ответ агента 4',
      'Ответ агента 5',
    ]);
    expect(earlier.body.decisions.map((d: { turnId: string }) => d.turnId)).toEqual([oldTurn]);
    expect(earlier.body.ledger.map((e: { actionKey: string }) => e.actionKey)).toEqual([`reply-${oldTurn}`, `approved-${oldTurn}`]);
    expect(earlier.body.page).toEqual({ olderBefore: null, newest: false });
    expect(earlier.body.ratings.map((r: { reason: string }) => r.reason)).toEqual(['old-turn-rating']);
    // A cursor that is not a message id is the newest page.
    expect((await api('GET', `/dialogs/${dialogId}?before=abc`)).body.page.newest).toBe(true);
  });
});
