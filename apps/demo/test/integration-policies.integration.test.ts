import { setIntegrationSetting, startTestStack, type TestStack } from './helpers';

/**
 * The integration's and the skill's policies as the worker applies them to real tickets, end to end
 * (webhook → worker → simulator): the unit tests of each rule use inputs made by hand, so these
 * check the wiring a company relies on — a pilot limited to one department, tags and fields that HDE
 * views are built on, the hand-off status, and the limits that keep the bot from answering a
 * customer who is getting nowhere.
 */
describe('integration and skill policies on real tickets', () => {
  let t: TestStack;
  let pilot: number;
  let other: number;
  let field: number;
  const slug = () => t.stack.account.slug;
  const customer = (i: number) => t.stack.people.customers[i]!.id;

  beforeAll(async () => {
    t = await startTestStack({ label: 'policies' });
    pilot = t.stack.sim.createDepartment(slug(), { name: 'Пилот' }).id;
    other = t.stack.sim.createDepartment(slug(), { name: 'Опт' }).id;
    field = t.stack.sim.addCustomField(slug(), { name: 'Тема бота', fieldType: 'text' }).id;
    t.stack.sim.addStatus(slug(), { id: 'waiting-agent', name: 'Ждёт оператора' });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  async function ask(customerIndex: number, text: string, options: { departmentId?: number; source?: string } = {}): Promise<number> {
    const ticket = t.stack.sim.openTicket(slug(), { customerId: customer(customerIndex), title: 'Вопрос', text, ...options });
    await t.observe.waitSettled(t.stack.sim, ticket.id, 60_000);
    return ticket.id;
  }

  async function write(ticketId: number, text: string): Promise<void> {
    t.stack.sim.postAsCustomer(slug(), ticketId, text);
    await t.observe.waitSettled(t.stack.sim, ticketId, 60_000);
  }

  const botReplies = (ticketId: number) => t.stack.sim.posts(slug(), ticketId).filter((p) => p.user_id === t.stack.botUserId);

  async function setSkillSetting(key: string, value: unknown): Promise<void> {
    await t.pg.query(
      `UPDATE skills SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), ARRAY[$2::text], $3::jsonb)
       WHERE id = (SELECT skill_id FROM integrations WHERE id = $1)`,
      [t.stack.integrationId, key, JSON.stringify(value)],
    );
    // The worker drops its copy on the change's notification.
    await new Promise((r) => setTimeout(r, 300));
  }

  async function resetSkillSetting(key: string): Promise<void> {
    await t.pg.query(`UPDATE skills SET settings = settings - $2::text WHERE id = (SELECT skill_id FROM integrations WHERE id = $1)`, [
      t.stack.integrationId,
      key,
    ]);
    await new Promise((r) => setTimeout(r, 300));
  }

  it('a pilot limited to one department and channel: tickets elsewhere get no reply and no hand-off, the pilot’s own are answered', async () => {
    await setIntegrationSetting(t, 'scope', { departmentIds: [pilot], sources: ['email'], tags: [] });
    try {
      const outside = await ask(0, 'Какие способы оплаты у вас есть?', { departmentId: other });
      const otherChannel = await ask(1, 'Какие способы оплаты у вас есть?', { departmentId: pilot, source: 'telegram' });
      const inside = await ask(2, 'Какие способы оплаты у вас есть?', { departmentId: pilot });
      for (const ticketId of [outside, otherChannel]) {
        expect(botReplies(ticketId)).toHaveLength(0);
        expect(t.stack.sim.comments(slug(), ticketId)).toHaveLength(0);
        // Not reassigned either: out of scope is not a hand-off.
        expect(t.stack.sim.getTicket(slug(), ticketId).owner_id).toBe(0);
        expect((await t.observe.decisions(ticketId)).at(-1)).toMatchObject({ action: 'ignore', reasons: ['out_of_scope'] });
      }
      expect(botReplies(inside)).toHaveLength(1);
    } finally {
      await setIntegrationSetting(t, 'scope', undefined);
    }
  }, 120_000);

  it('enrichment rules set the tags and custom fields of the rules that match the message, and only those', async () => {
    await setIntegrationSetting(t, 'enrichment', [
      { when: { intent: 'question' }, tags: ['bot-question'], customFields: { [String(field)]: 'оплата' } },
      { when: { intent: 'complaint' }, tags: ['bot-complaint'], customFields: {} },
    ]);
    try {
      const ticketId = await ask(3, 'Какие способы оплаты у вас есть?');
      const ticket = t.stack.sim.getTicket(slug(), ticketId);
      expect(ticket.tags).toContain('bot-question');
      expect(ticket.tags).not.toContain('bot-complaint');
      expect(ticket.custom_fields).toEqual(expect.arrayContaining([expect.objectContaining({ id: field, field_value: 'оплата' })]));
      expect(botReplies(ticketId)).toHaveLength(1);
    } finally {
      await setIntegrationSetting(t, 'enrichment', undefined);
    }
  }, 120_000);

  it('a hand-off sets the configured status and tag', async () => {
    await setIntegrationSetting(t, 'handoff', { target: 'agent', statusId: 'waiting-agent', tag: 'bot-handoff' });
    try {
      const ticketId = await ask(4, 'Позовите оператора, пожалуйста');
      const ticket = t.stack.sim.getTicket(slug(), ticketId);
      expect(ticket).toMatchObject({ status_id: 'waiting-agent', owner_id: t.stack.people.agentId });
      expect(ticket.tags).toContain('bot-handoff');
      expect(await t.observe.dialogState(ticketId)).toBe('handed_off');
    } finally {
      await setIntegrationSetting(t, 'handoff', undefined);
    }
  }, 120_000);

  it('the same question again after the bot answered it goes to a person', async () => {
    const ticketId = await ask(5, 'Сколько стоит доставка по Москве?');
    expect(botReplies(ticketId)).toHaveLength(1);
    await write(ticketId, 'Сколько стоит доставка по Москве?');
    expect(botReplies(ticketId)).toHaveLength(2);
    expect((await t.observe.decisions(ticketId)).at(-1)).toMatchObject({
      action: 'handoff',
      reasons: expect.arrayContaining(['repeated_question']),
    });
    expect(await t.observe.dialogState(ticketId)).toBe('handed_off');
    expect(t.stack.sim.getTicket(slug(), ticketId).owner_id).toBe(t.stack.people.agentId);
  }, 120_000);

  it('after the skill’s limit of bot replies in one ticket, the next question goes to a person', async () => {
    await setSkillSetting('maxBotReplies', 1);
    try {
      const ticketId = await ask(6, 'Какие способы оплаты у вас есть?');
      expect(botReplies(ticketId)).toHaveLength(1);
      await write(ticketId, 'А сколько стоит доставка по Москве?');
      expect((await t.observe.decisions(ticketId)).at(-1)).toMatchObject({
        action: 'handoff',
        reasons: expect.arrayContaining(['max_bot_replies']),
      });
      expect(await t.observe.dialogState(ticketId)).toBe('handed_off');
    } finally {
      await resetSkillSetting('maxBotReplies');
    }
  }, 120_000);
});
