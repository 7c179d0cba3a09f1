import { waitFor } from '@repo/testing';
import { setIntegrationSetting, startTestStack, type TestStack } from './helpers';

/**
 * A hand-off to the least-loaded agent of a department, end to end: the agent with fewer open
 * tickets gets the ticket; and when HDE refuses for good what counting needs (the bot account may
 * not list users), the ticket still goes to the department and the configured agent instead of the
 * hand-off failing on every retry.
 */
describe('hand-off to the least-loaded agent', () => {
  let t: TestStack;
  let department: number;
  let busy: number;
  let free: number;

  beforeAll(async () => {
    t = await startTestStack({ label: 'leastload' });
    const slug = t.stack.account.slug;
    department = t.stack.sim.createDepartment(slug, { name: 'Вторая линия' }).id;
    busy = t.stack.sim.createAgent(slug, { name: 'Busy', email: 'busy@eddymarket.example', departmentIds: [department] }).id;
    free = t.stack.sim.createAgent(slug, { name: 'Free', email: 'free@eddymarket.example', departmentIds: [department] }).id;
    // Busy's open ticket, already answered by Busy and never the bot's: no webhook reaches the bot
    // (its own hand-off would reassign it), and the sweep passes a ticket whose last word is an agent's.
    t.stack.sim.setDispatcher(slug, { url: t.stack.webhookUrl, enabled: false });
    const held = t.stack.sim.openTicket(slug, { customerId: t.stack.people.customers[7]!.id, title: 'Старое', text: 'Старый вопрос' });
    t.stack.sim.postAsAgent(slug, held.id, busy, 'Занимаюсь вашим вопросом');
    t.stack.sim.assign(slug, held.id, busy);
    t.stack.sim.setDispatcher(slug, { url: t.stack.webhookUrl });
    await t.pg.query('UPDATE integrations SET handoff_department_id = $2 WHERE id = $1', [t.stack.integrationId, department]);
    await setIntegrationSetting(t, 'handoff', { target: 'least_loaded' });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  async function askForPerson(customer: number): Promise<number> {
    const ticket = t.stack.sim.openTicket(t.stack.account.slug, {
      customerId: t.stack.people.customers[customer]!.id,
      title: 'Оператор',
      text: 'Позовите оператора, пожалуйста',
    });
    await t.stack.sim.waitForDispatches();
    await t.observe.waitSettled(t.stack.sim, ticket.id, 60_000);
    return ticket.id;
  }

  it('gives the ticket to the agent of the department with fewer open tickets', async () => {
    const ticketId = await askForPerson(0);
    const ticket = t.stack.sim.getTicket(t.stack.account.slug, ticketId);
    expect(ticket).toMatchObject({ owner_id: free, department_id: department });
    expect(await t.observe.dialogState(ticketId)).toBe('handed_off');
  }, 90_000);

  it('hands to the department and the configured agent when HDE refuses for good to list its users', async () => {
    const slug = t.stack.account.slug;
    // A 400 (a filter this HDE does not take): refused for good, and no ban to suspect (a 403 from a
    // key that has worked goes through the suspected-ban probe first).
    t.stack.sim.injectFault(slug, { method: 'GET', path: '/users/', kind: 'status', status: 400 });
    try {
      const ticketId = await askForPerson(1);
      await waitFor(() => t.stack.sim.getTicket(slug, ticketId).department_id === department, { what: 'the hand-off', timeoutMs: 60_000 });
      expect(t.stack.sim.getTicket(slug, ticketId).owner_id).toBe(t.stack.people.agentId);
      expect(await t.observe.dialogState(ticketId)).toBe('handed_off');
      expect(t.stack.sim.faultHits(slug).status ?? 0).toBeGreaterThan(0);
    } finally {
      t.stack.sim.clearFaults(slug);
    }
  }, 90_000);
});
