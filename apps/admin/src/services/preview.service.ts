import { classify, decide } from '@repo/ai';
import { parseSkillSettings, type Classification, type Decision, type KbHit } from '@repo/domain';
import type { SkillRow } from '@repo/store';
import type { AppDeps } from '../deps';

/** What the consultant would do with one customer message. */
export type Preview = { classification: Classification; hits: KbHit[]; decision: Decision };

/**
 * Runs the pipeline's classify → retrieve → decide on a typed message, as a first customer message
 * of a new ticket in public reply mode, and returns the draft answer. Reads only; nothing reaches HDE.
 */
export async function previewConsultant(deps: AppDeps, skill: SkillRow, message: string, now = new Date()): Promise<Preview> {
  const settings = parseSkillSettings(skill.settings);
  const classification = classify({ text: message, skill: settings });
  const hits = classification.cleanText ? await deps.store.kb.search(skill.id, classification.cleanText, { limit: 5 }) : [];
  const decision = decide({ classification, hits, skill: settings, dialog: { state: 'bot', botReplies: 0 }, replyMode: 'public', now });
  return { classification, hits, decision };
}
