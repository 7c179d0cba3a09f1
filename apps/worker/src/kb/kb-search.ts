import { createConsultantKbSearch, type KbSearch } from '@repo/ai';
import { kbSearchSourceOf, type KbRepo } from '@repo/store';

/**
 * The worker's knowledge-base search over its store: {@link createConsultantKbSearch} (the same
 * search the admin app's test box uses), calibrated once per knowledge-base version (stored, so
 * other processes reuse it), learning from conversations every `learnEveryMs` (0: never).
 */
export function createWorkerKbSearch(
  kb: Pick<KbRepo, 'indexVersion' | 'indexSnapshot' | 'calibration' | 'saveCalibration' | 'recentQuestions' | 'answeredConversations'>,
  options: { revalidateMs?: number; learnEveryMs?: number } = {},
): KbSearch {
  return createConsultantKbSearch(kbSearchSourceOf(kb), options);
}
