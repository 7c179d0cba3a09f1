import { createKbSearch, runTurn, type KbSearch } from '@repo/ai';
import { parseSkillSettings, type Classification, type Decision, type KbHit } from '@repo/domain';
import { kbSearchSourceOf, type SkillRow, type Store } from '@repo/store';
import type { AppDeps } from '../deps';

/** What the consultant would do with one customer message. */
export type Preview = { classification: Classification; hits: KbHit[]; decision: Decision };

// One in-process index cache per store, as in the worker: rebuilt when the skill's knowledge base changes.
const searches = new WeakMap<Store['kb'], KbSearch>();

/** The knowledge-base search the worker uses, over this app's store. */
export function consultantSearch(kb: Store['kb']): KbSearch {
  let search = searches.get(kb);
  if (!search) {
    search = createKbSearch(kbSearchSourceOf(kb));
    searches.set(kb, search);
  }
  return search;
}

/**
 * Runs the pipeline core (classify → retrieve → decide, the same functions the worker's stages
 * call) on a typed message, as a first customer message of a new ticket in public reply mode, and
 * returns the draft answer. Reads only; nothing reaches HDE.
 */
export async function previewConsultant(deps: AppDeps, skill: SkillRow, message: string, now = new Date()): Promise<Preview> {
  const settings = parseSkillSettings(skill.settings);
  return runTurn({ search: consultantSearch(deps.store.kb) }, { skillId: skill.id, skill: settings, text: message, now });
}
