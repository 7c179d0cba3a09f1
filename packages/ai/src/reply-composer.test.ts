import { SkillSettingsSchema, type Classification, type Decision, type KbHit } from '@repo/domain';
import type { LlmAnswerer } from './llm/openai-chat';
import type { LlmRequestReader, RequestReading } from './llm/request-reader';
import { createReplyComposer } from './reply-composer';

const classification: Classification = {
  intent: 'question',
  intentConfidence: 0.9,
  language: 'ru',
  tone: 'neutral',
  cleanText: 'сколько стоит доставка',
};
const hits: KbHit[] = [{ articleId: 3, passageId: 30, title: 'Доставка', passage: 'Доставка стоит 300 рублей.', score: 0.8 }];
const extractive: Decision = {
  action: 'answer',
  reasons: ['kb_confident'],
  confidence: 0.8,
  replyHtml: '<p>Доставка стоит 300 рублей.</p>',
  citations: [3],
};
const llmSkill = SkillSettingsSchema.parse({ answerMode: 'llm' });
const now = new Date('2026-03-02T10:00:00Z');

function answerer(result: Awaited<ReturnType<LlmAnswerer['answer']>>): LlmAnswerer & { calls: number } {
  const a = { calls: 0, answer: async () => (a.calls++, result) };
  return a;
}

/** The extractive answer of an `llm`-mode skill, refined with the given model's result. */
function refineWith(result: Awaited<ReturnType<LlmAnswerer['answer']>>): Promise<Decision> {
  return createReplyComposer({ llm: answerer(result) }).refine({
    decision: extractive,
    classification,
    hits,
    skill: llmSkill,
    history: [],
    now,
  });
}

describe('reply composer', () => {
  it('keeps the extractive answer when no LLM is configured', async () => {
    const composer = createReplyComposer({});
    expect(await composer.refine({ decision: extractive, classification, hits, skill: llmSkill, history: [], now })).toBe(extractive);
  });

  it('uses a grounded generated answer with its citations in llm mode', async () => {
    const out = await refineWith({ ok: true, html: '<p>300 ₽ [1]</p>', text: '300 ₽ [1]', citations: [3], citedPassages: [1] });
    expect(out).toMatchObject({ action: 'answer', replyHtml: '<p>300 ₽ [1]</p>', citations: [3] });
  });

  it('falls back to the quote and records llm_ungrounded when the model fails', async () => {
    const out = await refineWith({ ok: false, failure: 'ungrounded', message: 'sentence not supported' });
    expect(out.replyHtml).toBe(extractive.replyHtml);
    expect(out.reasons).toContain('llm_ungrounded');
  });

  it('hands the turn off when the model reads the message as asking for a person', async () => {
    const out = await refineWith({ ok: false, failure: 'person_requested', message: 'the model read the message as asking for a person' });
    expect(out).toMatchObject({ action: 'handoff', reasons: ['operator_requested', 'llm_person_requested'], confidence: 0.8 });
    expect(out.citations).toBeUndefined();
    // The customer gets the hand-off notice, not the quote.
    expect(out.replyHtml).toBeTruthy();
    expect(out.replyHtml).not.toBe(extractive.replyHtml);
  });

  it('in extractive mode, hands off when the request reader reads a request, and answers otherwise or when it fails', async () => {
    const extractiveSkill = SkillSettingsSchema.parse({});
    const withReading = (reading: RequestReading): { reader: LlmRequestReader; messages: string[] } => {
      const messages: string[] = [];
      return { messages, reader: { read: async (m) => (messages.push(m), reading) } };
    };
    const refine = (reader: LlmRequestReader) =>
      createReplyComposer({ requestReader: reader, readsRequests: true }).refine({
        decision: extractive,
        classification,
        hits,
        skill: extractiveSkill,
        history: [],
        now,
      });
    const person = withReading({ ok: true, personRequested: true });
    expect(await refine(person.reader)).toMatchObject({
      action: 'handoff',
      reasons: ['operator_requested', 'llm_person_requested'],
      confidence: 0.8,
    });
    expect(person.messages).toEqual([classification.cleanText]);
    expect(await refine(withReading({ ok: true, personRequested: false }).reader)).toBe(extractive);
    expect(await refine(withReading({ ok: false, failure: 'timeout', message: 'slow' }).reader)).toBe(extractive);
  });

  it('reads a question back between two articles for a request (in llm mode, or with readsRequests), never a greeting', async () => {
    const between: Decision = {
      action: 'clarify',
      reasons: ['ambiguous_topic'],
      confidence: 0.2,
      replyHtml: '<p>Вы про доставку или про оплату?</p>',
      citations: [3, 4],
    };
    const greeting: Decision = { action: 'clarify', reasons: ['greeting'], replyHtml: '<p>Здравствуйте! Чем могу помочь?</p>' };
    const asked: string[] = [];
    const reader: LlmRequestReader = { read: async (m) => (asked.push(m), { ok: true, personRequested: true }) };
    const llm = answerer({ ok: true, html: 'x', text: 'x', citations: [3], citedPassages: [1] });
    const input = (decision: Decision, skill = llmSkill) => ({ decision, classification, hits, skill, history: [], now });
    const extractiveSkill = SkillSettingsSchema.parse({});

    // llm mode: read, and handed off with the notice instead of the question back.
    const handedOff = await createReplyComposer({ llm, requestReader: reader }).refine(input(between));
    expect(handedOff).toMatchObject({ action: 'handoff', reasons: ['operator_requested', 'llm_person_requested'], confidence: 0.2 });
    expect(handedOff.replyHtml).not.toBe(between.replyHtml);
    expect(handedOff.citations).toBeUndefined();
    expect(asked).toEqual([classification.cleanText]);
    // Quoting skills: only with readsRequests.
    expect(await createReplyComposer({ llm, requestReader: reader }).refine(input(between, extractiveSkill))).toBe(between);
    expect(
      await createReplyComposer({ llm, requestReader: reader, readsRequests: true }).refine(input(between, extractiveSkill)),
    ).toMatchObject({
      action: 'handoff',
    });
    // A greeting's question back is never read; the answerer is never called for a question back.
    expect(await createReplyComposer({ llm, requestReader: reader, readsRequests: true }).refine(input(greeting))).toBe(greeting);
    expect(asked).toHaveLength(2);
    expect(llm.calls).toBe(0);
  });

  it('never asks the model for hand-offs or for skills in extractive mode', async () => {
    const llm = answerer({ ok: true, html: 'x', text: 'x', citations: [3], citedPassages: [1] });
    const composer = createReplyComposer({ llm });
    await composer.refine({
      decision: { action: 'handoff', reasons: ['operator_requested'] },
      classification,
      hits,
      skill: llmSkill,
      history: [],
      now,
    });
    await composer.refine({ decision: extractive, classification, hits, skill: SkillSettingsSchema.parse({}), history: [], now });
    expect(llm.calls).toBe(0);
  });
});
