import type { Classification, Decision, DecisionReason, KbHit, SkillSettings } from '@repo/domain';
import { composeExtractiveAnswer } from './compose-extractive';
import { clarifyBetweenArticles, clarifyQuestion, greetingReply, handoffNotice } from './handoff-notice';
import { REPEAT_SIMILARITY, questionSimilarity } from './similarity';
import { matchTopic } from './topic';

/** Where a ticket's dialog stands, as the bot sees it. */
export type DialogState = 'bot' | 'handed_off' | 'agent' | 'closed';

/** What {@link decide} knows about the dialog so far. */
export type DialogContext = {
  state: DialogState;
  /** Replies the bot has posted in this ticket. */
  botReplies: number;
  /** The ticket's HDE status id; `closed` is treated as a closed ticket. */
  statusId?: string;
  /** Cleaned texts of earlier customer turns the bot answered. */
  previousQuestions?: string[];
};

/** How the bot's replies are delivered: public posts, internal notes (draft mode), or not at all. */
export type ReplyMode = 'public' | 'note' | 'off';

/** What {@link decide} needs: one classified turn, its KB hits, the skill's policy and the dialog. */
export type DecideInput = {
  classification: Classification;
  hits: KbHit[];
  skill: SkillSettings;
  dialog: DialogContext;
  replyMode: ReplyMode;
  now: Date;
};

/** When the second topic scores at least this share of the first, the two are about equally likely. */
export const AMBIGUITY_RATIO = 0.85;

/** The HDE status id of a closed ticket. */
export const CLOSED_STATUS_ID = 'closed';

/** True when the text matches one of the skill's blocked topics (the policy gate). */
export function hitsBlockedTopic(text: string, skill: Pick<SkillSettings, 'blockedTopics' | 'synonyms'>): boolean {
  return matchTopic(text, skill.blockedTopics, skill.synonyms) !== undefined;
}

function isRepeated(text: string, previous: string[] | undefined): boolean {
  return (previous ?? []).some((q) => questionSimilarity(text, q) >= REPEAT_SIMILARITY);
}

/**
 * The decision policy: answer, hand off, ignore or clarify, with every reason that applied. Rules,
 * in order (the first group that applies sets the action; reasons of the same group all recorded):
 *
 * 1. ticket closed (state or status `closed`) → ignore `ticket_closed`;
 * 2. a human already involved (state `agent` or `handed_off`) → ignore `human_involved`;
 * 3. reply mode `off` → ignore `reply_mode_off`;
 * 4. spam → ignore `spam`; empty text without attachments → ignore `empty`;
 * 5. thanks / closing → ignore `thanks` (no new answer);
 * 6. hand-off when any of: attachment only (`attachment_only`), operator request
 *    (`operator_requested`), complaint (`complaint`), negative tone when the skill says so
 *    (`negative_tone`), a blocked topic by keywords (`policy_gate`, whatever the confidence), the same
 *    question again after a bot answer (`repeated_question`), bot replies ≥ maxBotReplies
 *    (`max_bot_replies`);
 * 7. a bare greeting → clarify `greeting`: the skill's greeting and "how can I help?" (a question
 *    back, not an answer, so the rule "no citation, no answer" holds);
 * 8. no KB hits → hand off `no_kb_match`; best score below the threshold → hand off `low_confidence`;
 * 9. two topics about equally likely and `clarifyOnAmbiguity` → clarify `ambiguous_topic`;
 * 10. otherwise answer `kb_confident` with the extractive answer (an LLM answer may replace it, see
 *     {@link withGeneratedAnswer}); when nothing is quotable → hand off `no_kb_match`.
 *
 * Hand-offs carry the customer notice ({@link handoffNotice}) as `replyHtml`. Pure: no IO.
 */
export function decide(input: DecideInput): Decision {
  const { classification: c, skill, dialog, now } = input;
  const handoff = (reasons: DecisionReason[], confidence?: number): Decision => ({
    action: 'handoff',
    reasons,
    ...(confidence !== undefined ? { confidence } : {}),
    replyHtml: handoffNotice({ reasons, language: c.language, skill, now }),
  });

  if (dialog.state === 'closed' || dialog.statusId === CLOSED_STATUS_ID) return { action: 'ignore', reasons: ['ticket_closed'] };
  if (dialog.state === 'agent' || dialog.state === 'handed_off') return { action: 'ignore', reasons: ['human_involved'] };
  if (input.replyMode === 'off') return { action: 'ignore', reasons: ['reply_mode_off'] };
  if (c.intent === 'spam') return { action: 'ignore', reasons: ['spam'] };
  if (c.intent === 'empty' && !c.attachmentOnly) return { action: 'ignore', reasons: ['empty'] };
  if (c.intent === 'thanks') return { action: 'ignore', reasons: ['thanks'] };

  const reasons: DecisionReason[] = [];
  if (c.attachmentOnly) reasons.push('attachment_only');
  if (c.intent === 'operator_request') reasons.push('operator_requested');
  if (c.intent === 'complaint') reasons.push('complaint');
  if (skill.handoffOnNegativeTone && c.tone === 'negative') reasons.push('negative_tone');
  if (c.cleanText && hitsBlockedTopic(c.cleanText, skill)) reasons.push('policy_gate');
  if (c.intent === 'question' && dialog.botReplies > 0 && isRepeated(c.cleanText, dialog.previousQuestions)) {
    reasons.push('repeated_question');
  }
  if (dialog.botReplies >= skill.maxBotReplies) reasons.push('max_bot_replies');
  const best = [...input.hits].sort((a, b) => b.score - a.score)[0];
  if (reasons.length > 0) return handoff(reasons, best?.score);

  if (c.intent === 'greeting') {
    return { action: 'clarify', reasons: ['greeting'], replyHtml: greetingReply(c.language, skill) };
  }

  if (!best) return handoff(['no_kb_match']);
  if (best.score < skill.confidenceThreshold) {
    // Two articles fit about equally well and each would be confident alone: ask which one is meant.
    const [first, second] = [...input.hits].sort((a, b) => (b.unscaledScore ?? b.score) - (a.unscaledScore ?? a.score));
    if (
      skill.clarifyOnAmbiguity &&
      first &&
      second &&
      first.articleId !== second.articleId &&
      (first.unscaledScore ?? 0) >= skill.confidenceThreshold &&
      (second.unscaledScore ?? 0) >= skill.confidenceThreshold
    ) {
      return {
        action: 'clarify',
        reasons: ['ambiguous_topic'],
        confidence: best.score,
        replyHtml: clarifyBetweenArticles({ titles: [first.title, second.title], language: c.language }),
        citations: [first.articleId, second.articleId],
      };
    }
    return handoff(['low_confidence'], best.score);
  }

  const [first, second] = c.topicCandidates ?? [];
  if (skill.clarifyOnAmbiguity && first && second && second.score >= first.score * AMBIGUITY_RATIO) {
    return {
      action: 'clarify',
      reasons: ['ambiguous_topic'],
      confidence: best.score,
      replyHtml: clarifyQuestion({ candidates: [first, second], language: c.language, skill }),
    };
  }

  const answer = composeExtractiveAnswer({ hits: input.hits, classification: c, skill });
  if (!answer) return handoff(['no_kb_match'], best.score);
  return {
    action: 'answer',
    reasons: ['kb_confident'],
    confidence: best.score,
    replyHtml: answer.html,
    citations: answer.citations,
  };
}

/** A generated answer as the LLM provider returns it, or its failure. */
export type GeneratedAnswerOutcome = { ok: true; html: string; citations: number[] } | { ok: false };

/** What a hand-off notice needs when the model turns an answer into a hand-off. */
export type NoticeContext = { language: Classification['language']; skill: SkillSettings; now: Date };

/**
 * Puts a generated (LLM) answer into an `answer` decision when it succeeded and cites something;
 * otherwise keeps the extractive answer and records `llm_ungrounded`. Other decisions pass unchanged.
 * (When the model read a request for a person instead, see {@link handOffForPersonRequest}.)
 */
export function withGeneratedAnswer(decision: Decision, outcome: GeneratedAnswerOutcome): Decision {
  if (decision.action !== 'answer') return decision;
  if (outcome.ok && outcome.citations.length > 0) {
    return { ...decision, replyHtml: outcome.html, citations: outcome.citations };
  }
  return { ...decision, reasons: [...decision.reasons, 'llm_ungrounded'] };
}

/** A question back about which article or topic is meant (not a greeting's "how can I help?"). */
export function isQuestionBack(decision: Decision): boolean {
  return decision.action === 'clarify' && decision.reasons.includes('ambiguous_topic');
}

/**
 * An `answer` (or a question back about which article or topic is meant: `clarify`,
 * `ambiguous_topic`) turned into a hand-off because a second reader (the LLM) read the message as
 * asking for a person: `operator_requested` and `llm_person_requested`, with the customer notice,
 * the confidence kept. Other decisions (a greeting's question back included) pass unchanged.
 */
export function handOffForPersonRequest(decision: Decision, notice: NoticeContext): Decision {
  if (decision.action !== 'answer' && !isQuestionBack(decision)) return decision;
  // Both: the notice speaks of the request, and the admin app says who read it.
  const reasons: DecisionReason[] = ['operator_requested', 'llm_person_requested'];
  return {
    action: 'handoff',
    reasons,
    ...(decision.confidence !== undefined ? { confidence: decision.confidence } : {}),
    replyHtml: handoffNotice({ reasons, ...notice }),
  };
}
