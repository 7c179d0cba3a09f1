import { checkGrounding, composeExtractiveAnswer } from '@repo/ai';
import { parseSkillSettings, type Classification, type KbHit } from '@repo/domain';
import { createStore, type Store } from '@repo/store';
import { botPosts, startTestStack, type TestStack } from './helpers';
import { startFakeChatModel, type FakeChatModel } from '@repo/testing';

type DecisionRow = {
  action: string | null;
  reasons: string[];
  reply_html: string | null;
  kb_hits: KbHit[] | null;
  classification: Classification | null;
};

// A skill in `llm` answer mode with an OpenAI-compatible endpoint configured: a grounded, cited answer
// is sent; anything else (no citation, an invented fact, an HTTP error, a timeout) falls back to the
// extractive quote and records `llm_ungrounded`. The key goes only into the Authorization header.
describe('LLM answers through the worker', () => {
  let t: TestStack;
  let store: Store;
  let llm: FakeChatModel;

  beforeAll(async () => {
    llm = await startFakeChatModel();
    t = await startTestStack({
      label: 'llm',
      workerEnv: { LLM_BASE_URL: llm.url, LLM_API_KEY: 'test-key', LLM_MODEL: 'fake', LLM_TIMEOUT_MS: '1500', LLM_READS_REQUESTS: 'true' },
    });
    store = createStore({ url: t.databaseUrl, poolSize: 2 });
    // The worker reads the skill at each decision, so changing it now applies to the next turn.
    const skill = await store.organizations.getSkill(t.stack.skillId);
    const current = (skill?.settings ?? {}) as Record<string, unknown>;
    await store.organizations.updateSkillSettings(t.stack.skillId, { ...current, answerMode: 'llm' });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await t?.close();
    await llm?.close();
  }, 60_000);

  beforeEach(() => {
    llm.requests.length = 0;
    llm.answers.length = 0;
  });

  /** Opens a ticket with a question the KB answers and waits until the bot is done with it. */
  async function ask(customer: number, question: string) {
    const { stack, observe } = t;
    const ticket = stack.sim.openTicket(stack.account.slug, {
      customerId: stack.people.customers[customer]!.id,
      title: 'Вопрос',
      text: question,
    });
    await observe.waitSettled(stack.sim, ticket.id, 60_000);
    const rows = await t.pg.query<DecisionRow>(
      `SELECT x.action, x.reasons, x.reply_html, x.kb_hits, x.classification FROM decisions x JOIN dialogs d ON d.id = x.dialog_id
       WHERE d.integration_id = $1 AND d.ticket_id = $2 ORDER BY x.id`,
      [stack.integrationId, ticket.id],
    );
    return { ticketId: ticket.id, decisions: rows.rows, posts: botPosts(stack, ticket.id) };
  }

  /** The extractive quote the policy composes for a decision's hits. */
  async function extractiveOf(row: DecisionRow): Promise<string> {
    const skill = parseSkillSettings((await store.organizations.getSkill(t.stack.skillId))?.settings);
    const composed = composeExtractiveAnswer({ hits: row.kb_hits ?? [], classification: row.classification!, skill });
    if (!composed) throw new Error('nothing quotable in the hits');
    return composed.html;
  }

  /** The one request the fake received for a turn: authorised with the key, holding the passages and the question. */
  function expectOneProperRequest(question: string, row: DecisionRow) {
    expect(llm.requests).toHaveLength(1);
    const [req] = llm.requests;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/chat/completions');
    expect(req!.authorization).toBe('Bearer test-key');
    expect(req!.body.model).toBe('fake');
    const prompt = (req!.body.messages ?? []).map((m) => m.content).join('\n');
    // The question once, as the customer's message, not again as "dialog so far".
    expect(prompt.split(question)).toHaveLength(2);
    expect(prompt).toContain(`Customer's message:\n${question}`);
    const hits = row.kb_hits ?? [];
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(prompt).toContain(hit.passage.trim());
  }

  it('sends a grounded, cited generated answer instead of the extractive quote', async () => {
    llm.mode = 'grounded';
    const question = 'Какие способы оплаты у вас есть?';
    const { decisions, posts } = await ask(0, question);
    expect(decisions).toHaveLength(1);
    const [row] = decisions;
    expect(row!.action).toBe('answer');
    expect(row!.reasons).not.toContain('llm_ungrounded');
    expectOneProperRequest(question, row!);

    const generated = llm.answers[0]!;
    expect(generated).toMatch(/\[1\]$/);
    expect(posts).toHaveLength(1);
    // The generated text with its marker, between the greeting and the source line, not the quote.
    expect(posts[0]!.text).toContain(generated);
    expect(posts[0]!.text).toBe(row!.reply_html);
    expect(row!.reply_html).not.toBe(await extractiveOf(row!));
  }, 120_000);

  it("gives the model the earlier dialog, and the new question only as the customer's message", async () => {
    llm.mode = 'grounded';
    const { stack, observe } = t;
    const first = 'Как восстановить пароль от личного кабинета?';
    const { ticketId, posts } = await ask(5, first);
    expect(posts).toHaveLength(1);
    const second = 'Какие способы оплаты у вас есть?';
    stack.sim.postAsCustomer(stack.account.slug, ticketId, second);
    await observe.waitSettled(stack.sim, ticketId, 60_000);
    const decisions = await observe.decisions(ticketId);
    expect(decisions.map((d) => d.action)).toEqual(['answer', 'answer']);
    expect(llm.requests).toHaveLength(2);
    const user = llm.requests[1]!.body.messages?.find((m) => m.role === 'user')?.content ?? '';
    const dialog = /Dialog so far:\n([\s\S]*?)\n\nCustomer's message:\n([\s\S]*)$/.exec(user);
    expect(dialog).not.toBeNull();
    expect(dialog![1]).toMatch(new RegExp(`^Customer: ${first.replace(/[?]/g, '\\?')}\nAssistant: `));
    expect(dialog![1]).toContain(llm.answers[0]!);
    expect(dialog![1]).not.toContain(second);
    expect(dialog![2]).toBe(second);
  }, 120_000);

  it.each([
    ['an answer without citations', 'no_citation' as const, 1, 'Как восстановить пароль от личного кабинета?'],
    ['an answer with a price the passages do not hold', 'made_up_price' as const, 2, 'Какие способы оплаты у вас есть?'],
    ['HTTP 500', 'http_500' as const, 3, 'Как отследить мой заказ?'],
    ['no answer within LLM_TIMEOUT_MS', 'hang' as const, 4, 'Можно ли оплатить заказ в рассрочку?'],
  ])(
    'falls back to the extractive quote on %s and records llm_ungrounded',
    async (_name, mode, customer, question) => {
      llm.mode = mode;
      const { decisions, posts } = await ask(customer, question);
      expect(decisions).toHaveLength(1);
      const [row] = decisions;
      expect(row!.action).toBe('answer');
      expect(row!.reasons).toContain('llm_ungrounded');
      expectOneProperRequest(question, row!);

      if (mode === 'made_up_price') {
        // The fake's answer fails the grounding check for the price alone, not for its wording.
        const passages = (row!.kb_hits ?? []).map((h) => h.passage);
        expect(checkGrounding(llm.answers[0]!, passages).unsupported.map((u) => u.reason)).toEqual(['number_not_in_passages']);
      }
      const extractive = await extractiveOf(row!);
      expect(row!.reply_html).toBe(extractive);
      expect(posts).toHaveLength(1);
      expect(posts[0]!.text).toBe(extractive);
      // Neither the fake's citation markers nor its invented price reach the customer.
      expect(posts[0]!.text).not.toMatch(/\[\d+\]/);
      expect(posts[0]!.text).not.toContain('4990');
    },
    120_000,
  );

  it('hands off, with the notice and no answer, when the model reads a request for a person the classifier missed', async () => {
    llm.mode = 'person';
    const question = 'Как отследить мой заказ?';
    const { decisions, posts } = await ask(6, question);
    expect(decisions).toHaveLength(1);
    const [row] = decisions;
    // The classifier read a question the KB answers; only the model's reading made it a hand-off.
    expect(row!.classification?.intent).toBe('question');
    expect(row!.action).toBe('handoff');
    expect(row!.reasons).toEqual(['operator_requested', 'llm_person_requested']);
    expectOneProperRequest(question, row!);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toBe(row!.reply_html);
    expect(posts[0]!.text).not.toBe(await extractiveOf(row!));
  }, 120_000);

  it('in extractive mode with LLM_READS_REQUESTS, asks the model about the message alone and hands off on HANDOFF', async () => {
    const skill = await store.organizations.getSkill(t.stack.skillId);
    const current = (skill?.settings ?? {}) as Record<string, unknown>;
    await store.organizations.updateSkillSettings(t.stack.skillId, { ...current, answerMode: 'extractive' });
    try {
      llm.mode = 'person';
      const question = 'Как отследить мой заказ?';
      const handed = await ask(7, question);
      expect(handed.decisions.map((d) => [d.action, d.reasons])).toEqual([['handoff', ['operator_requested', 'llm_person_requested']]]);
      expect(llm.requests).toHaveLength(1);
      const prompt = (llm.requests[0]!.body.messages ?? []).map((m) => m.content).join('\n');
      expect(prompt).toContain(`Customer's message:\n${question}`);
      // The reader gets the message only: no passages, no dialog.
      expect(prompt).not.toContain('Passages:');
      expect(handed.posts).toHaveLength(1);
      expect(handed.posts[0]!.text).toBe(handed.decisions[0]!.reply_html);

      llm.requests.length = 0;
      llm.mode = 'no_person';
      const answered = await ask(7, 'Какие способы оплаты у вас есть?');
      expect(answered.decisions.map((d) => d.action)).toEqual(['answer']);
      expect(llm.requests).toHaveLength(1);
      // The quote, as without an LLM.
      expect(answered.posts[0]!.text).toBe(await extractiveOf(answered.decisions[0]!));
    } finally {
      await store.organizations.updateSkillSettings(t.stack.skillId, { ...current, answerMode: 'llm' });
    }
  }, 120_000);

  it('in llm mode, reads a question back about the topic with the request reader and hands off on HANDOFF', async () => {
    const skill = await store.organizations.getSkill(t.stack.skillId);
    const current = (skill?.settings ?? {}) as Record<string, unknown>;
    // Two topics the question fits equally well: the policy asks which one is meant.
    await store.organizations.updateSkillSettings(t.stack.skillId, {
      ...current,
      answerMode: 'llm',
      clarifyOnAmbiguity: true,
      topics: [
        { id: 'card', name: 'Оплата картой', keywords: ['оплаты'] },
        { id: 'cash', name: 'Оплата наличными', keywords: ['оплаты'] },
      ],
    });
    try {
      llm.mode = 'no_person';
      const question = 'Какие способы оплаты у вас есть?';
      const asked = await ask(0, question);
      expect(asked.decisions.map((d) => [d.action, d.reasons])).toEqual([['clarify', ['ambiguous_topic']]]);
      // One call, the request reader's (the message alone), not the answerer's.
      expect(llm.requests).toHaveLength(1);
      const prompt = (llm.requests[0]!.body.messages ?? []).map((m) => m.content).join('\n');
      expect(prompt).toContain(`Customer's message:\n${question}`);
      expect(prompt).not.toContain('Passages:');
      expect(asked.posts).toHaveLength(1);
      expect(asked.posts[0]!.text).toBe(asked.decisions[0]!.reply_html);

      llm.requests.length = 0;
      llm.mode = 'person';
      const handed = await ask(0, question);
      expect(handed.decisions.map((d) => [d.action, d.reasons])).toEqual([['handoff', ['operator_requested', 'llm_person_requested']]]);
      expect(llm.requests).toHaveLength(1);
      expect(handed.posts).toHaveLength(1);
      expect(handed.posts[0]!.text).toBe(handed.decisions[0]!.reply_html);
      expect(handed.posts[0]!.text).not.toBe(asked.posts[0]!.text);
    } finally {
      await store.organizations.updateSkillSettings(t.stack.skillId, { ...current, answerMode: 'llm' });
    }
  }, 120_000);

  it('never writes the API key to the worker output', () => {
    const output = t.stack.worker?.output() ?? '';
    expect(output).toContain('Turn decided');
    expect(output).not.toContain('test-key');
  });
});
