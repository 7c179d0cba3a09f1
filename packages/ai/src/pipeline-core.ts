import type { Classification, Decision, KbHit, SkillSettings } from '@repo/domain';
import { classify, type ClassifyInput } from './classify';
import { decide, type DialogContext, type ReplyMode } from './decide';
import type { ComposerMessage, ReplyComposer } from './reply-composer';
import { searchableText } from './searchable-text';

/** A knowledge-base search with the pipeline's contract: one hit per article, best first, score 0..1 calibrated per skill. */
export type TurnSearch = { search(skillId: string, query: string, options?: { limit?: number }): Promise<KbHit[]> };

/** Hits the pipeline keeps per turn. */
export const TURN_HITS = 5;

function best(hits: KbHit[]): number {
  return hits[0]?.score ?? 0;
}

/**
 * Searches for a customer's turn. A short follow-up ("а сколько это стоит?") means little alone, so
 * when the text alone finds nothing above `threshold` it is searched together with the previous
 * question, and the better of the two result lists wins.
 */
export async function searchTurn(
  search: TurnSearch,
  input: { skillId: string; text: string; previous?: string; threshold: number; limit?: number },
): Promise<KbHit[]> {
  const limit = input.limit ?? TURN_HITS;
  const text = searchableText(input.text);
  const hits = text ? await search.search(input.skillId, text, { limit }) : [];
  if (best(hits) >= input.threshold || !input.previous) return hits;
  const combined = await search.search(input.skillId, `${searchableText(input.previous)} ${text}`, { limit });
  return best(combined) > best(hits) ? combined : hits;
}

/** Classifies a turn: the worker passes its off-thread classifier, others the same function in-process. */
export type Classifier = (input: ClassifyInput) => Classification | Promise<Classification>;

/** Step 1 of the pipeline: what the turn is. */
export async function classifyTurn(input: ClassifyInput, classifier: Classifier = classify): Promise<Classification> {
  return classifier(input);
}

/** A message of a turn as the store keeps it: what was posted, and how it was classified on arrival. */
export type StoredTurnMessage = { html: string | null; text: string; classification?: Classification | null };

/**
 * Step 1 for a turn of stored messages: a burst is classified as one text. A turn of a single
 * message keeps the classification its message got on arrival: the same text through the same
 * deterministic classifier gives the same result, so a second run would only cost CPU (a thread
 * hop and about a millisecond per message). The skill's settings may have changed in the few
 * milliseconds between; the policy gate (blocked topics) reads the text against the current ones
 * in `decide` either way.
 */
export async function classifyStoredTurn(
  messages: readonly StoredTurnMessage[],
  skill: SkillSettings,
  classifier: Classifier = classify,
): Promise<Classification> {
  const [only] = messages;
  if (messages.length === 1 && only?.classification) return only.classification;
  const html = messages.map((m) => m.html ?? m.text).join('<br>\n');
  // Files sent without text (classify saw them on the message) make the turn attachment-only when
  // the turn as a whole has no text either.
  const hasAttachments = messages.some((m) => m.classification?.attachmentOnly === true);
  return classifyTurn({ html, skill, ...(hasAttachments ? { hasAttachments } : {}) }, classifier);
}

/**
 * Step 2: the knowledge-base hits of a classified turn. Only questions are searched with the
 * previous customer question as context (read lazily: most turns do not need it).
 */
export async function retrieveTurn(
  search: TurnSearch,
  input: {
    skillId: string;
    skill: Pick<SkillSettings, 'confidenceThreshold'>;
    classification: Classification;
    previousQuestion?: () => Promise<string | undefined>;
    limit?: number;
  },
): Promise<KbHit[]> {
  const c = input.classification;
  if (!c.cleanText) return [];
  const previous = c.intent === 'question' && input.previousQuestion ? await input.previousQuestion() : undefined;
  return searchTurn(search, {
    skillId: input.skillId,
    text: c.cleanText,
    ...(previous ? { previous } : {}),
    threshold: input.skill.confidenceThreshold,
    limit: input.limit ?? TURN_HITS,
  });
}

/** Step 3: the policy ({@link decide}); pure. */
export const decideTurn = decide;

/** What {@link runTurn} needs besides the search. */
export type RunTurnInput = {
  skillId: string;
  skill: SkillSettings;
  /** The turn as HDE sends it (HTML) or as typed (plain text). */
  html?: string;
  text?: string;
  hasAttachments?: boolean;
  dialog?: DialogContext;
  replyMode?: ReplyMode;
  previousQuestion?: () => Promise<string | undefined>;
  /** The dialog before this turn, for the LLM's answer (see {@link ReplyComposer}). */
  history?: ComposerMessage[];
  now?: Date;
};

/** What the pipeline made of one turn. */
export type TurnOutcome = { classification: Classification; hits: KbHit[]; decision: Decision };

/**
 * The whole pipeline for one turn, classify → retrieve → decide, then the composer's refinement of
 * an answer (the LLM's answer or its reading of a request for a person, when configured): what the
 * admin test box and the evaluation scripts run. The worker runs the same steps as separate stages
 * (each saved before the next), calling the same functions; build `search` and `composer` with
 * `createTurnProviders` so the process's providers are those of the worker.
 */
export async function runTurn(
  deps: { search: TurnSearch; classify?: Classifier; composer?: ReplyComposer },
  input: RunTurnInput,
): Promise<TurnOutcome> {
  const classification = await classifyTurn(
    {
      ...(input.html !== undefined ? { html: input.html } : { text: input.text ?? '' }),
      skill: input.skill,
      ...(input.hasAttachments ? { hasAttachments: true } : {}),
    },
    deps.classify,
  );
  const hits = await retrieveTurn(deps.search, {
    skillId: input.skillId,
    skill: input.skill,
    classification,
    ...(input.previousQuestion ? { previousQuestion: input.previousQuestion } : {}),
  });
  const now = input.now ?? new Date();
  const decided = decideTurn({
    classification,
    hits,
    skill: input.skill,
    dialog: input.dialog ?? { state: 'bot', botReplies: 0 },
    replyMode: input.replyMode ?? 'public',
    now,
  });
  const decision = deps.composer
    ? await deps.composer.refine({ decision: decided, classification, hits, skill: input.skill, history: input.history ?? [], now })
    : decided;
  return { classification, hits, decision };
}
