import { createKbSearch, type KbSearch } from '@repo/ai';
import { kbSearchSourceOf, type KbRepo } from '@repo/store';

/**
 * The worker's knowledge-base search: the in-process index of each skill, built from the store's
 * snapshot, checked against the store's version at most every `revalidateMs`, and calibrated once
 * per knowledge-base version (the calibration is stored, so other processes reuse it), with the
 * question traffic of the skill's recent conversations and the questions agents answered with its
 * articles learnt again every `learnEveryMs` (default a quarter of an hour).
 */
export function createWorkerKbSearch(
  kb: Pick<KbRepo, 'indexVersion' | 'indexSnapshot' | 'calibration' | 'saveCalibration' | 'recentQuestions' | 'answeredConversations'>,
  options: { revalidateMs?: number; learnEveryMs?: number } = {},
): KbSearch {
  return createKbSearch(kbSearchSourceOf(kb), {
    ...(options.revalidateMs !== undefined ? { revalidateMs: options.revalidateMs } : {}),
    ...(options.learnEveryMs !== undefined ? { trafficRefreshMs: options.learnEveryMs } : {}),
  });
}
