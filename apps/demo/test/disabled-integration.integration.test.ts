import { botPosts, startTestStack, type TestStack } from './helpers';

// A switched-off integration: HDE's webhooks are still acknowledged and stored, and nothing is sent
// to HDE. Switched on again in draft mode, the bot's note says it is a bot draft.
describe('a switched-off integration, then drafts', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack({ label: 'disabled' });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  const setState = (mode: 'public' | 'note', enabled: boolean) =>
    t.pg.query('UPDATE integrations SET reply_mode = $2, enabled = $3 WHERE id = $1', [t.stack.integrationId, mode, enabled]);

  it('stores the webhooks of a switched-off integration and sends nothing', async () => {
    const { stack, observe } = t;
    await setState('public', false);
    const ticket = stack.sim.openTicket(stack.account.slug, {
      customerId: stack.people.customers[0]!.id,
      title: 'Доставка',
      text: 'Сколько стоит доставка?',
    });
    await observe.waitSettled(stack.sim, ticket.id);
    const { rows: events } = await t.pg.query('SELECT id FROM webhook_events WHERE integration_id = $1 AND ticket_id = $2', [
      stack.integrationId,
      ticket.id,
    ]);
    expect(events.length).toBeGreaterThan(0);
    expect(
      stack.sim
        .dispatchLog(stack.account.slug)
        .filter((d) => d.ticketId === ticket.id)
        .every((d) => d.status === 200),
    ).toBe(true);
    expect(botPosts(stack, ticket.id)).toHaveLength(0);
    expect(stack.sim.comments(stack.account.slug, ticket.id)).toHaveLength(0);
    const [turn] = await observe.decisions(ticket.id);
    expect(turn?.result).toMatchObject({ skipped: 'integration_disabled' });
  }, 90_000);

  it('marks a draft note as the bot’s draft once switched on in draft mode', async () => {
    const { stack, observe } = t;
    await setState('note', true);
    const ticket = stack.sim.openTicket(stack.account.slug, {
      customerId: stack.people.customers[0]!.id,
      title: 'Оплата',
      text: 'Какие способы оплаты у вас есть?',
    });
    await observe.waitSettled(stack.sim, ticket.id);
    expect(botPosts(stack, ticket.id)).toHaveLength(0);
    const [note] = stack.sim.comments(stack.account.slug, ticket.id);
    expect(note?.text).toMatch(/^<p><b>Черновик ИИ-консультанта — проверьте и отправьте<\/b><\/p>/);
  }, 90_000);
});
