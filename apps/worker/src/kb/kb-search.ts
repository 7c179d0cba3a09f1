import { createKbSearch, type KbSearch } from '@repo/ai';
import type { KbRepo } from '@repo/store';

/**
 * The worker's knowledge-base search: the in-process index of each skill, built from the store's
 * snapshot, checked against the store's version at most every `revalidateMs`, and calibrated once
 * per knowledge-base version (the calibration is stored, so other processes reuse it).
 */
export function createWorkerKbSearch(
  kb: Pick<KbRepo, 'indexVersion' | 'indexSnapshot' | 'calibration' | 'saveCalibration'>,
  revalidateMs?: number,
): KbSearch {
  return createKbSearch(
    {
      version: (skillId) => kb.indexVersion(skillId),
      snapshot: (skillId) => kb.indexSnapshot(skillId),
      calibration: (skillId, version) => kb.calibration(skillId, version),
      saveCalibration: (skillId, version, data) => kb.saveCalibration(skillId, version, data),
    },
    revalidateMs !== undefined ? { revalidateMs } : {},
  );
}
