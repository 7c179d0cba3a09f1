import { SkillSettingsSchema, type Classification, type Decision, type KbHit } from '@repo/domain';
import type { LlmAnswerer } from '@repo/ai';
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

function answerer(result: Awaited<ReturnType<LlmAnswerer['answer']>>): LlmAnswerer & { calls: number } {
  const a = { calls: 0, answer: async () => (a.calls++, result) };
  return a;
}

describe('reply composer', () => {
  it('keeps the extractive answer when no LLM is configured', async () => {
    const composer = createReplyComposer({});
    expect(await composer.refine({ decision: extractive, classification, hits, skill: llmSkill, history: [] })).toBe(extractive);
  });

  it('uses a grounded generated answer with its citations in llm mode', async () => {
    const llm = answerer({ ok: true, html: '<p>300 ₽ [1]</p>', text: '300 ₽ [1]', citations: [3], citedPassages: [1] });
    const out = await createReplyComposer({ llm }).refine({ decision: extractive, classification, hits, skill: llmSkill, history: [] });
    expect(out).toMatchObject({ action: 'answer', replyHtml: '<p>300 ₽ [1]</p>', citations: [3] });
  });

  it('falls back to the quote and records llm_ungrounded when the model fails', async () => {
    const llm = answerer({ ok: false, failure: 'ungrounded', message: 'sentence not supported' });
    const out = await createReplyComposer({ llm }).refine({ decision: extractive, classification, hits, skill: llmSkill, history: [] });
    expect(out.replyHtml).toBe(extractive.replyHtml);
    expect(out.reasons).toContain('llm_ungrounded');
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
    });
    await composer.refine({ decision: extractive, classification, hits, skill: SkillSettingsSchema.parse({}), history: [] });
    expect(llm.calls).toBe(0);
  });
});
