import type { Classification } from '@repo/domain';
import { classify, type ClassifyInput } from './classify';

/**
 * The task a {@link createClassifyPool} thread runs: {@link classify} on a structured-cloned input.
 * Loaded by file name inside a worker thread, hence the default export.
 */
export default function classifyTask(input: ClassifyInput): Classification {
  return classify(input);
}
