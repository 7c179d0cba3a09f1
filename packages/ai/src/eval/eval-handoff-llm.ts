import { loadConfig, RequiredLlmEnv } from '@repo/config';
import { parseSkillSettings, type Intent } from '@repo/domain';
import { classify } from '../classify';
import { createOpenAiRequestReader, type LlmRequestReader } from '../llm/request-reader';
import { precisionRecall } from './precision-recall';
import type { LabelledUtterance } from './utterances';

/** Precision and recall of a reading of a set (a hand-off is positive). */
export type ReadingFigures = { precision: number; recall: number };

/** What the LLM's second reading adds to the offline detector on one set. */
export type ReaderEvalResult = {
  n: number;
  /** The offline detector alone: operator requests and complaints handed off. */
  detector: ReadingFigures;
  /** Operator requests of the detector alone (complaints not counted). */
  detectorRequests: ReadingFigures;
  /** The detector, or the LLM where the detector hands nothing off: what the bot does with both. */
  combined: ReadingFigures;
  /** Operator requests of the detector or of the LLM. */
  combinedRequests: ReadingFigures;
  /** Messages the LLM was asked about (every one the detector did not hand off). */
  asked: number;
  /** Calls that gave no reading (timeout, HTTP error, another reply); the detector's reading stands. */
  failures: number;
  /** Hand-offs the LLM added that were wanted. */
  addedRight: string[];
  /** Hand-offs the LLM added that were not wanted (false hand-offs). */
  addedWrong: string[];
};

const round = (x: number): number => Math.round(x * 10000) / 10000;

/** Precision and recall (rounded to 4 places) of hand-off readings against the labels; 1 where nothing is counted. */
export function readingFigures(predicted: boolean[], wanted: boolean[]): ReadingFigures {
  const { precision, recall } = precisionRecall(predicted, wanted);
  return { precision: round(precision), recall: round(recall) };
}

/**
 * Measures the LLM as the second reader of operator requests, as the worker uses it: every message
 * the offline detector does not hand off is read by `reader` (in the product only those the bot is
 * about to answer are, so this asks about more messages than production would), and a `HANDOFF`
 * reading hands it off. At most `concurrency` calls are in flight.
 */
export async function evaluateHandoffWithReader(
  items: LabelledUtterance[],
  reader: LlmRequestReader,
  options: { concurrency?: number; intents?: readonly Intent[] } = {},
): Promise<ReaderEvalResult> {
  const skill = parseSkillSettings({});
  // The detector's readings, when the caller has them already.
  const intents = options.intents ?? items.map((item) => classify({ text: item.text, skill }).intent);
  const detector = intents.map((intent) => intent === 'operator_request' || intent === 'complaint');
  const readings: Array<boolean | undefined> = items.map(() => undefined);
  const toAsk = items.map((_, i) => i).filter((i) => !detector[i]);
  let failures = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < toAsk.length) {
      const i = toAsk[next++]!;
      const reading = await reader.read(items[i]!.text);
      if (reading.ok) readings[i] = reading.personRequested;
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));

  const wanted = items.map((item) => item.wants_human);
  const llmAdds = readings.map((r) => r === true);
  const requests = intents.map((intent) => intent === 'operator_request');
  return {
    n: items.length,
    detector: readingFigures(detector, wanted),
    detectorRequests: readingFigures(requests, wanted),
    combined: readingFigures(
      detector.map((d, i) => d || llmAdds[i]!),
      wanted,
    ),
    combinedRequests: readingFigures(
      requests.map((r, i) => r || llmAdds[i]!),
      wanted,
    ),
    asked: toAsk.length,
    failures,
    addedRight: items.filter((item, i) => llmAdds[i] && item.wants_human).map((item) => item.text),
    addedWrong: items.filter((item, i) => llmAdds[i] && !item.wants_human).map((item) => item.text),
  };
}

/**
 * The request reader of the worker's `LLM_*` settings, read from `env` (a config error names the
 * variable, never its value).
 */
export function readerFromEnv(env: NodeJS.ProcessEnv): LlmRequestReader {
  const c = loadConfig(RequiredLlmEnv, env);
  return createOpenAiRequestReader({ baseUrl: c.LLM_BASE_URL, apiKey: c.LLM_API_KEY, model: c.LLM_MODEL, timeoutMs: c.LLM_TIMEOUT_MS });
}
