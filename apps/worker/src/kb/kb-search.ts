import { createKbSearch, type KbSearch } from '@repo/ai';
import { kbSearchSourceOf, type KbRepo } from '@repo/store';

/**
 * The worker's knowledge-base search: the in-process index of each skill, built from the store's
 * snapshot, checked against the store's version at most every `revalidateMs`, and calibrated once
 * per knowledge-base version (the calibration is stored, so other processes reuse it), with the
 * question traffic of the skill's recent conversations and the questions agents answered with its
 * articles learnt again every `learnEveryMs` (default a quarter of an hour; 0: never learnt).
 */
export function createWorkerKbSearch(
  kb: Pick<KbRepo, 'indexVersion' | 'indexSnapshot' | 'calibration' | 'saveCalibration' | 'recentQuestions' | 'answeredConversations'>,
  options: { revalidateMs?: number; learnEveryMs?: number } = {},
): KbSearch {
  const source = kbSearchSourceOf(kb);
  // 0: nothing is learnt from conversations (no question traffic, no agents' answers).
  const { recentQuestions: _traffic, answeredConversations: _answers, ...withoutConversations } = source;
  return createKbSearch(options.learnEveryMs === 0 ? withoutConversations : source, {
    ...(options.revalidateMs !== undefined ? { revalidateMs: options.revalidateMs } : {}),
    ...(options.learnEveryMs ? { trafficRefreshMs: options.learnEveryMs } : {}),
  });
}
