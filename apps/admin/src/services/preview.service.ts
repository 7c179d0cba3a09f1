import {
  createConsultantKbSearch,
  createTurnProviders,
  runTurn,
  type KbSearch,
  type ProviderLogger,
  type ProvidersDescription,
  type TurnProviders,
} from '@repo/ai';
import type { ProviderSettings } from '@repo/config';
import { parseSkillSettings, type Classification, type Decision, type KbHit } from '@repo/domain';
import { kbSearchSourceOf, type SkillRow, type Store } from '@repo/store';
import type { AppDeps } from '../deps';

/** What the consultant would do with one customer message, and with which providers. */
export type Preview = { classification: Classification; hits: KbHit[]; decision: Decision; providers: ProvidersDescription };

// One in-process index cache per store and learning interval, as in the worker: rebuilt when the
// skill's knowledge base changes.
const searches = new WeakMap<Store['kb'], Map<number | undefined, KbSearch>>();

/**
 * The knowledge-base search the worker uses, over this app's store, learning from conversations
 * every `learnEveryMs` as the worker does (`KB_LEARN_INTERVAL_MS`; 0: never).
 */
export function consultantSearch(kb: Store['kb'], learnEveryMs?: number): KbSearch {
  let byInterval = searches.get(kb);
  if (!byInterval) {
    byInterval = new Map();
    searches.set(kb, byInterval);
  }
  let search = byInterval.get(learnEveryMs);
  if (!search) {
    search = createConsultantKbSearch(kbSearchSourceOf(kb), learnEveryMs === undefined ? {} : { learnEveryMs });
    byInterval.set(learnEveryMs, search);
  }
  return search;
}

/** Most answered questions an article's page lists. */
const ANSWERED_SHOWN = 20;

/**
 * The latest questions agents answered with an article, as the bot has learnt them (the search's
 * loaded index, shared with the test box): what makes a like question find it. Empty when the
 * knowledge base cannot be loaded; the article page shows without them.
 */
export async function answeredWithArticle(kb: Store['kb'], skillId: string, articleId: number, learnEveryMs?: number): Promise<string[]> {
  if (learnEveryMs === 0) return [];
  try {
    const loaded = await consultantSearch(kb, learnEveryMs).load(skillId);
    return loaded.answered.learnt
      .filter((q) => q.articleId === articleId)
      .slice(0, ANSWERED_SHOWN)
      .map((q) => q.question);
  } catch {
    return [];
  }
}

/**
 * The test box's providers: the worker's wiring (`createTurnProviders`) of the same settings over
 * this app's store, so the test box searches and answers as the bot does.
 */
export function testBoxProviders(
  settings: ProviderSettings,
  store: Pick<Store, 'kb' | 'kbEmbeddings'>,
  logger: ProviderLogger,
  learnEveryMs?: number,
): TurnProviders {
  return createTurnProviders(settings, { lexical: consultantSearch(store.kb, learnEveryMs), vectors: store.kbEmbeddings, logger });
}

/**
 * Runs the pipeline core (classify → retrieve → decide and the composer's refinement, the same
 * functions the worker's stages call, with the worker's providers when configured) on a typed
 * message, as a first customer message of a new ticket in public reply mode, and returns the draft
 * answer. Nothing reaches HDE; with an LLM configured the message goes to it, as the bot's would.
 */
export async function previewConsultant(deps: AppDeps, skill: SkillRow, message: string, now = new Date()): Promise<Preview> {
  const settings = parseSkillSettings(skill.settings);
  const outcome = await runTurn(deps.turnProviders, { skillId: skill.id, skill: settings, text: message, now });
  return { ...outcome, providers: deps.turnProviders.description };
}
