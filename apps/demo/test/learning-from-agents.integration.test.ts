import { waitFor } from '@repo/testing';
import { startTestStack, type TestStack } from './helpers';

/** The external id of the top article a ticket's last decision searched out, if any. */
async function topArticle(t: TestStack, ticketId: number): Promise<string | undefined> {
  const rows = await t.pg.query<{ external_id: string | null }>(
    `SELECT a.external_id
       FROM decisions x
       JOIN dialogs d ON d.id = x.dialog_id
       LEFT JOIN kb_articles a ON a.id = (x.kb_hits -> 0 ->> 'articleId')::bigint
      WHERE d.integration_id = $1 AND d.ticket_id = $2
      ORDER BY x.id DESC LIMIT 1`,
    [t.stack.integrationId, ticketId],
  );
  return rows.rows[0]?.external_id ?? undefined;
}

// The bot learns which article answers which question from the live agents' replies: a question
// the knowledge base's words do not reach is handed off, the agent answers it by pasting an
// article, and the next customer who asks it in like words gets that article.
describe('learning from agents’ answers', () => {
  let t: TestStack;

  beforeAll(async () => {
    // Learn again at every version check (every 2 s while searches run), not every 15 minutes.
    t = await startTestStack({ label: 'learn', workerEnv: { KB_LEARN_INTERVAL_MS: '1' } });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it("ranks the article an agent pasted first for the next customer's like question, from the agent's HTML reply", async () => {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    const asked = 'посылочка запропастилась совсем, где она?';

    // Before any agent answered: the question's words reach no article it is about.
    const cold = stack.sim.openTicket(slug, { customerId: stack.people.customers[0]!.id, title: 'Посылка', text: asked });
    await observe.waitSettled(stack.sim, cold.id);
    expect(await topArticle(t, cold.id)).not.toBe('order-tracking');

    // A customer asks it in other words; the bot hands off, and an agent pastes the tracking article.
    const first = stack.sim.openTicket(slug, {
      customerId: stack.people.customers[1]!.id,
      title: 'Посылка',
      text: 'посылочка запропастилась, курьер не едет',
    });
    await observe.waitSettled(stack.sim, first.id);
    expect((await observe.decisions(first.id)).at(-1)?.action).toBe('handoff');
    stack.sim.postAsAgent(
      slug,
      first.id,
      stack.people.agentId,
      'Здравствуйте! Статус заказа отображается в разделе «Мои заказы» в личном кабинете на сайте и в мобильном приложении. ' +
        'Номер заказа имеет вид EM-1234567 и приходит в SMS и письме после оформления. С уважением, Ольга',
    );
    await observe.waitSettled(stack.sim, first.id);
    expect(await observe.dialogState(first.id)).toBe('agent');

    // The next customers who ask like the first get the article the agent used. Learning runs in the
    // background at the index's next version check, so each attempt is a new ticket until one sees it.
    let learnt: number | undefined;
    await waitFor(
      async () => {
        const next = stack.sim.openTicket(slug, { customerId: stack.people.customers[2]!.id, title: 'Посылка', text: asked });
        await observe.waitSettled(stack.sim, next.id);
        if ((await topArticle(t, next.id)) === 'order-tracking') learnt = next.id;
        return learnt !== undefined;
      },
      { what: 'a ticket searched with what the agent answered', timeoutMs: 90_000 },
    );
    expect(learnt).toBeDefined();
  }, 200_000);
});
