/** What a customer's message is trying to do. */
export const INTENTS = ['question', 'operator_request', 'greeting', 'thanks', 'complaint', 'empty', 'spam'] as const;
/** One of {@link INTENTS}. */
export type Intent = (typeof INTENTS)[number];

/** Languages the classifier tells apart; `other` when none fits. */
export type Language = 'ru' | 'en' | 'uk' | 'other';

/** The emotional tone of a message. */
export type Tone = 'neutral' | 'positive' | 'negative';

/** The classifier's reading of one customer turn. */
export type Classification = {
  intent: Intent;
  /** 0..1: how sure the classifier is of the intent. */
  intentConfidence: number;
  language: Language;
  tone: Tone;
  /** A topic id from the skill's own categories, when one matched. */
  topic?: string;
  /** The cleaned text that was classified and will be searched (quotes, signatures, HTML removed). */
  cleanText: string;
  /** Set when the text looked like it was typed in the wrong keyboard layout and was converted. */
  layoutFixed?: boolean;
  /** Set when the message carried attachments and no text. */
  attachmentOnly?: boolean;
  /**
   * The skill's topics that matched, best first, with scores 0..1; lets the policy see when two
   * topics are about equally likely and ask a clarifying question.
   */
  topicCandidates?: TopicCandidate[];
};

/** A skill topic the classifier considered, with its match score 0..1. */
export type TopicCandidate = { id: string; score: number };

/** One knowledge-base passage found for a query. */
export type KbHit = {
  articleId: number;
  passageId: number;
  title: string;
  /** The passage text to quote, plain text. */
  passage: string;
  /** Normalised relevance, 0..1, comparable across skills. */
  score: number;
  /** Where the article came from, e.g. an URL or file name, when known. */
  sourceUrl?: string;
  /**
   * The score before a near-tie with another article lowered it: set only when the two best articles
   * were about equally good, so the bot can ask which one the customer means instead of guessing.
   */
  unscaledScore?: number;
};

/** What the bot decided to do about a turn. */
export type DecisionAction = 'answer' | 'handoff' | 'ignore' | 'clarify';

/** Why the bot decided what it did; stable codes shown in the admin app. */
export const DECISION_REASONS = [
  'kb_confident',
  'operator_requested',
  'low_confidence',
  'no_kb_match',
  'negative_tone',
  'complaint',
  'repeated_question',
  'max_bot_replies',
  'attachment_only',
  'out_of_scope',
  'scope_tags_unknown',
  'policy_gate',
  'human_involved',
  'ticket_closed',
  'greeting',
  'thanks',
  'spam',
  'empty',
  'reply_mode_off',
  'ambiguous_topic',
  'llm_ungrounded',
  'llm_person_requested',
] as const;
/** One of {@link DECISION_REASONS}. */
export type DecisionReason = (typeof DECISION_REASONS)[number];

/** A decision with its reasons and, for answers, the composed reply. */
export type Decision = {
  action: DecisionAction;
  reasons: DecisionReason[];
  /** The confidence the decision was based on (best KB score), when there was a search. */
  confidence?: number;
  /** Safe HTML to post in HDE, for `answer` and `clarify`, or the customer notice for `handoff`. */
  replyHtml?: string;
  /** Article ids the answer is based on; an answer without citations is never sent. */
  citations?: number[];
};
