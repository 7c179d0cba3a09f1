import type { Observer } from './observe';
import type { Stack } from './stack';

/** The outcome of one demo conversation. */
export type ScenarioResult = { name: string; ticketIds: number[]; ok: boolean; problems: string[] };

/** One conversation played through the simulator, with what must have happened. */
export type Scenario = { name: string; play: (stack: Stack, observe: Observer) => Promise<ScenarioResult> };

function botPosts(stack: Stack, ticketId: number) {
  return stack.sim.posts(stack.account.slug, ticketId).filter((p) => p.user_id === stack.botUserId);
}

function check(name: string, ticketIds: number[], conditions: Array<[boolean, string]>): ScenarioResult {
  const problems = conditions.filter(([ok]) => !ok).map(([, what]) => what);
  return { name, ticketIds, ok: problems.length === 0, problems };
}

async function open(stack: Stack, observe: Observer, customer: number, title: string, text: string): Promise<number> {
  const ticket = stack.sim.openTicket(stack.account.slug, { customerId: stack.people.customers[customer]!.id, title, text });
  await observe.waitSettled(stack.sim, ticket.id);
  return ticket.id;
}

/** A question the knowledge base answers: one public reply quoting the article. */
export const answeredFromKb: Scenario = {
  name: 'question answered from the knowledge base',
  async play(stack, observe) {
    const id = await open(
      stack,
      observe,
      0,
      'Доставка',
      '<p>Здравствуйте! Сколько стоит доставка по Москве и за сколько дней привезёте?</p>',
    );
    const replies = botPosts(stack, id);
    const decisions = await observe.decisions(id);
    return check(
      this.name,
      [id],
      [
        [replies.length === 1, `expected 1 bot reply, saw ${replies.length}`],
        [decisions[0]?.action === 'answer', `expected an answer, decided ${decisions[0]?.action}`],
        [/Источник|Source/.test(replies[0]?.text ?? ''), 'the reply names its source article'],
      ],
    );
  },
};

/** A customer asks for a human: hand-off to the support department and agent, with a note. */
export const operatorRequested: Scenario = {
  name: 'customer asks for an operator (handed off)',
  async play(stack, observe) {
    const id = await open(stack, observe, 1, 'Нужен человек', 'позовите живого оператора пожалуйста');
    const ticket = stack.sim.getTicket(stack.account.slug, id);
    const notes = stack.sim.comments(stack.account.slug, id);
    const decisions = await observe.decisions(id);
    return check(
      this.name,
      [id],
      [
        [decisions[0]?.action === 'handoff', `expected a hand-off, decided ${decisions[0]?.action}`],
        [decisions[0]?.reasons.includes('operator_requested') === true, 'reason operator_requested'],
        [ticket.owner_id === stack.people.agentId, 'ticket assigned to the hand-off agent'],
        [notes.length === 1, `expected 1 internal note, saw ${notes.length}`],
        [botPosts(stack, id).length === 1, 'the customer is told an operator will reply'],
        [(await observe.dialogState(id)) === 'handed_off', 'dialog marked handed off'],
      ],
    );
  },
};

/** An agent steps in: after the agent's reply the bot stays silent on the ticket. */
export const agentTookOver: Scenario = {
  name: 'agent replies; the bot stays silent afterwards',
  async play(stack, observe) {
    const slug = stack.account.slug;
    const id = await open(stack, observe, 2, 'Заказ', 'Как отследить мой заказ?');
    const answered = (await observe.decisions(id))[0]?.action === 'answer';
    stack.sim.postAsAgent(slug, id, stack.people.agentId, 'Здравствуйте! Вижу ваш заказ 12345, он уже в пути, привезём завтра.');
    await observe.waitSettled(stack.sim, id);
    stack.sim.postAsCustomer(slug, id, 'Спасибо! А можно изменить адрес доставки?');
    await observe.waitSettled(stack.sim, id);
    const decisions = await observe.decisions(id);
    const last = decisions.at(-1);
    return check(
      this.name,
      [id],
      [
        [answered, 'the bot answered the first question'],
        [botPosts(stack, id).length === 1, `expected only the first bot reply, saw ${botPosts(stack, id).length}`],
        [
          last?.action === 'ignore' && last.reasons.includes('human_involved'),
          `the second question was left to the agent (${last?.action})`,
        ],
      ],
    );
  },
};

/** A thank-you after an answer gets no new answer. */
export const thanks: Scenario = {
  name: 'thank-you (no new answer)',
  async play(stack, observe) {
    const id = await open(stack, observe, 3, 'Оплата', 'Какие способы оплаты у вас есть?');
    const before = botPosts(stack, id).length;
    stack.sim.postAsCustomer(stack.account.slug, id, 'Спасибо, всё понятно!');
    await observe.waitSettled(stack.sim, id);
    const decisions = await observe.decisions(id);
    return check(
      this.name,
      [id],
      [
        [before === 1, `the question was answered once (${before})`],
        [botPosts(stack, id).length === before, 'no reply to the thank-you'],
        [decisions.at(-1)?.action === 'ignore' && decisions.at(-1)?.reasons.includes('thanks') === true, 'decided to stay silent (thanks)'],
      ],
    );
  },
};

/** A question the KB cannot answer goes to a human. */
export const notInKb: Scenario = {
  name: 'question the knowledge base cannot answer (handed off)',
  async play(stack, observe) {
    const id = await open(stack, observe, 4, 'Вопрос', 'Вы продаёте билеты на концерты в Большой театр?');
    const decisions = await observe.decisions(id);
    return check(
      this.name,
      [id],
      [
        [decisions[0]?.action === 'handoff', `expected a hand-off, decided ${decisions[0]?.action}`],
        [
          decisions[0]?.reasons.some((r) => r === 'no_kb_match' || r === 'low_confidence') === true,
          `reason ${decisions[0]?.reasons.join(',')}`,
        ],
        [stack.sim.getTicket(stack.account.slug, id).owner_id === stack.people.agentId, 'assigned to the agent'],
      ],
    );
  },
};

/** HDE's webhook arrives twice: one reply. */
export const duplicateWebhook: Scenario = {
  name: 'the same webhook delivered twice (one reply)',
  async play(stack, observe) {
    const ticket = stack.sim.openTicket(stack.account.slug, {
      customerId: stack.people.customers[5]!.id,
      title: 'Гарантия',
      text: 'Сколько действует гарантия на смартфон?',
    });
    await stack.sim.waitForDispatches();
    const first = stack.sim.dispatchLog(stack.account.slug).find((d) => d.ticketId === ticket.id);
    if (first) {
      await fetch(first.url, { method: 'POST', headers: { 'content-type': first.contentType }, body: first.body });
    }
    await observe.waitSettled(stack.sim, ticket.id);
    return check(
      this.name,
      [ticket.id],
      [
        [first !== undefined, 'the dispatcher sent the webhook'],
        [botPosts(stack, ticket.id).length === 1, `expected 1 bot reply, saw ${botPosts(stack, ticket.id).length}`],
      ],
    );
  },
};

/**
 * Two return articles fit one question: with clarifying switched on, the bot asks which one is
 * meant when each would be confident alone, and hands off when neither clears the knowledge base's
 * calibrated boundary. Either way it never answers from just one of them.
 */
export const ambiguousQuestion: Scenario = {
  name: 'a question two articles fit (the bot asks which, or hands off; never picks one)',
  async play(stack, observe) {
    await observe.patchSkillSettings(stack.skillId, { clarifyOnAmbiguity: true });
    const id = await open(stack, observe, 6, 'Возврат', 'Как вернуть товар, который не подошёл?');
    const decisions = await observe.decisions(id);
    const replies = botPosts(stack, id);
    const first = decisions[0];
    const clarified = first?.action === 'clarify' && first.reasons.includes('ambiguous_topic');
    const handedOff = first?.action === 'handoff' && first.reasons.includes('low_confidence');
    return check(
      this.name,
      [id],
      [
        [clarified || handedOff, `expected a clarifying question or a hand-off, decided ${first?.action}(${first?.reasons.join(',')})`],
        [
          !clarified || (replies.length === 1 && /Уточните/.test(replies[0]!.text)),
          'a clarification is one reply asking which article is meant',
        ],
        [replies.length <= 1, 'at most one reply'],
      ],
    );
  },
};

/** Every demo conversation, in the order they are played. */
export const SCENARIOS: Scenario[] = [
  answeredFromKb,
  operatorRequested,
  agentTookOver,
  thanks,
  notInKb,
  duplicateWebhook,
  ambiguousQuestion,
];
