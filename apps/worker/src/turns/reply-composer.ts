import { composeExtractiveAnswer, handoffNotice, clarifyQuestion, type LlmAnswerer } from '@repo/ai';
import type { Classification, Decision, DecisionReason, KbHit, Language, SkillSettings } from '@repo/domain';
import type { DialogMessage } from '@repo/store';

/** A composed reply with the articles it cites. */
export type ComposedReply = { html: string; citations: number[]; extraReasons: DecisionReason[] };

/** Input of {@link ReplyComposer.compose}. */
export type ComposeInput = {
  decision: Decision;
  classification: Classification;
  hits: KbHit[];
  skill: SkillSettings;
  history: DialogMessage[];
  turnMessageIds: number[];
};

/** Composes what the bot says: answers, clarifying questions and hand-off notices. */
export type ReplyComposer = {
  /** An answer (or clarifying question) with citations, or `undefined` when nothing grounded can be said. */
  compose(input: ComposeInput): Promise<ComposedReply | undefined>;
  handoffNotice(input: { reasons: DecisionReason[]; language: Language; skill: SkillSettings; now: Date }): string;
};

/**
 * Builds the composer: the LLM (when configured and the skill asks for it) writes a grounded answer;
 * whenever it cannot (no citation, refusal, timeout, error, failed grounding check) the extractive
 * answer quoting the best passage is used instead. Never an answer without a citation.
 */
export function createReplyComposer(options: { llm?: LlmAnswerer }): ReplyComposer {
  return {
    async compose(input) {
      if (input.decision.action === 'clarify') {
        const html = clarifyQuestion({ hits: input.hits, language: input.classification.language, skill: input.skill });
        return html ? { html, citations: input.hits.slice(0, 2).map((h) => h.articleId), extraReasons: [] } : undefined;
      }
      if (options.llm && input.skill.answerMode === 'llm') {
        const dialog = input.history
          .filter((m) => m.authorKind === 'customer' || m.authorKind === 'bot')
          .map((m) => ({ role: m.authorKind === 'customer' ? ('user' as const) : ('assistant' as const), text: m.text || m.html || '' }));
        const result = await options.llm.answer({ hits: input.hits, classification: input.classification, skill: input.skill, dialog });
        if (result.ok) return { html: result.html, citations: result.citations, extraReasons: [] };
        const fallback = composeExtractiveAnswer({ hits: input.hits, classification: input.classification, skill: input.skill });
        return fallback ? { html: fallback.html, citations: fallback.citations, extraReasons: ['llm_ungrounded'] } : undefined;
      }
      const answer = composeExtractiveAnswer({ hits: input.hits, classification: input.classification, skill: input.skill });
      return answer ? { html: answer.html, citations: answer.citations, extraReasons: [] } : undefined;
    },
    handoffNotice: (input) => handoffNotice(input),
  };
}
