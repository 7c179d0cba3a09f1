import type { Classification, Decision, KbHit, SkillSettings } from '@repo/domain';
import { handOffForPersonRequest, isQuestionBack, withGeneratedAnswer } from './decide';
import type { LlmAnswerer } from './llm/openai-chat';
import type { LlmRequestReader } from './llm/request-reader';

/** A message of the dialog before the turn, as the store keeps it (only what the model is shown). */
export type ComposerMessage = { authorKind: 'customer' | 'bot' | 'agent' | 'system'; text: string; html: string | null };

/** Input of {@link ReplyComposer.refine}. */
export type RefineInput = {
  decision: Decision;
  classification: Classification;
  hits: KbHit[];
  skill: SkillSettings;
  history: ComposerMessage[];
  /** The decision's clock (working hours in a hand-off notice). */
  now: Date;
};

/**
 * The pipeline's last step after the policy: with an LLM configured, a generated answer instead of
 * the quote when it is grounded, or a hand-off when the model reads a request for a person.
 */
export type ReplyComposer = { refine(input: RefineInput): Promise<Decision> };

/**
 * Builds the composer. Without an LLM (the default) the policy's decision stands. With one, skills
 * in `llm` answer mode get a generated answer built only from the retrieved passages and the dialog;
 * any failure (no citation, refusal, timeout, error, failed grounding check) keeps the extractive
 * answer and records `llm_ungrounded`. Never an answer without a citation. When the model reads the
 * message as asking for a person, the turn is handed off (`operator_requested`,
 * `llm_person_requested`) instead.
 * Skills in extractive mode get that reading from the request reader when `readsRequests` is on.
 * A question back about which article or topic is meant (`clarify`, `ambiguous_topic`) is a reply
 * in the bot's own words too, so the reader reads it as it reads an answer (in `llm` mode always, else with
 * `readsRequests`); a greeting's question back is not read.
 */
export function createReplyComposer(options: {
  llm?: LlmAnswerer;
  /** Reads a message for a request for a person (one short call); used as described above. */
  requestReader?: LlmRequestReader;
  /** `LLM_READS_REQUESTS`: also read the messages of skills that quote the KB. */
  readsRequests?: boolean;
  logger?: { info(message: string, meta?: Record<string, unknown>): void };
}): ReplyComposer {
  return {
    async refine(input) {
      const { decision } = input;
      const llmMode = input.skill.answerMode === 'llm' && options.llm !== undefined;
      if (isQuestionBack(decision)) {
        return llmMode || options.readsRequests ? readForRequest(input) : decision;
      }
      if (decision.action !== 'answer') return decision;
      if (!llmMode || !options.llm) return options.readsRequests ? readForRequest(input) : decision;
      const dialog = input.history
        .filter((m) => m.authorKind !== 'system')
        .map((m) => ({ role: m.authorKind, text: m.text || m.html || '' }) as { role: 'customer' | 'bot' | 'agent'; text: string });
      const result = await options.llm.answer({
        question: input.classification.cleanText,
        passages: input.hits,
        dialog,
        language: input.classification.language,
        skill: input.skill,
      });
      if (!result.ok && result.failure === 'person_requested') return handOff(input);
      // Why a generated answer was not used (timeout, refusal, ungrounded…) matters to operators.
      if (!result.ok) options.logger?.info('LLM answer not used: quoting the KB', { failure: result.failure });
      return withGeneratedAnswer(decision, result.ok ? { ok: true, html: result.html, citations: result.citations } : { ok: false });
    },
  };

  /** The rules and the small model read a question; the LLM read a request for a person. */
  function handOff(input: RefineInput): Decision {
    options.logger?.info('LLM read a request for a person: handing off', { failure: 'person_requested' });
    return handOffForPersonRequest(input.decision, { language: input.classification.language, skill: input.skill, now: input.now });
  }

  /** The decided reply, handed off instead when the request reader reads a request for a person. */
  async function readForRequest(input: RefineInput): Promise<Decision> {
    if (!options.requestReader) return input.decision;
    const reading = await options.requestReader.read(input.classification.cleanText);
    if (!reading.ok) {
      // The offline detector's reading stands.
      options.logger?.info('LLM request reading failed: replying as decided', { failure: reading.failure, action: input.decision.action });
      return input.decision;
    }
    return reading.personRequested ? handOff(input) : input.decision;
  }
}
