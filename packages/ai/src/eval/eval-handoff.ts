#!/usr/bin/env node
/**
 * Measures operator-request detection on labelled sets of utterances.
 *
 * Usage:
 * - `node packages/ai/dist/eval/eval-handoff.js` (`npm run eval:handoff`): every set of
 *   {@link HANDOFF_SETS} that is present, one line per set with its role (tuned on or held out),
 *   size, precision and recall, then one JSON line with all figures. `--role tuned` restricts the
 *   run to the sets that may be tuned on; `--devsets DIR` says where the public kit was built.
 * - `... --utterances FILE [--show-errors]`: one file of `{"text": "...", "wants_human": true|false}`
 *   lines; prints the mistakes (with `--show-errors`) and, last, `{"n":N,"precision":x,"recall":x}`.
 *
 * - `--llm` (with either): the LLM as the second reader too, as the worker uses it
 *   (`LLM_READS_REQUESTS`): every message the detector does not hand off is read by the model of the
 *   `LLM_BASE_URL`, `LLM_API_KEY`, `LLM_MODEL` settings, and the figures of the detector OR the
 *   model are printed beside the detector's (`--llm-concurrency N`, default 4, calls in flight).
 *   The messages go to that provider.
 *
 * A positive is a message the classifier sends to a person: intent `operator_request`, or
 * `complaint` (which the decision policy always hands off). The operator-request intent alone is
 * printed beside it (`request only`).
 */
import { readFileSync } from 'node:fs';
import { parseSkillSettings } from '@repo/domain';
import { parseScriptArgs, type ScriptValues } from '@repo/config';
import { classify } from '../classify';
import type { LlmRequestReader } from '../llm/request-reader';
import type { Intent } from '@repo/domain';
import { evaluateHandoffWithReader, readerFromEnv, readingFigures, type ReaderEvalResult } from './eval-handoff-llm';
import { HANDOFF_SETS, loadHandoffSet, DEFAULT_DEVSETS_DIR } from './handoff-sets';
import { parseUtterances, type LabelledUtterance } from './utterances';

/** What `--help` prints, and what follows an error in the command line. */
const USAGE = `Usage: npm run eval:handoff -- [options]
Measures the operator-request detector (precision and recall of hand-offs) on every set it finds,
own and the public kit's, each marked tuned-on or held-out; or on one file of utterances.
  --utterances FILE     one JSON Lines file of {text, wants_human} instead of the sets
  --role tuned|holdout  only the sets of that role
  --devsets DIR         where the kit's sets were built (default .devsets)
  --show-errors         print the false hand-offs and the missed requests
  --llm                 also ask the worker's configured LLM (LLM_* settings) as the request reader
  --llm-concurrency N   its requests in flight, with --llm (default 4)`;

const OPTIONS = {
  utterances: { type: 'string' },
  role: { type: 'string' },
  devsets: { type: 'string' },
  'show-errors': { type: 'boolean' },
  llm: { type: 'boolean' },
  'llm-concurrency': { type: 'string' },
} as const;

/** The command line of this evaluation. */
type EvalHandoffArgs = ScriptValues<typeof OPTIONS>;

// Kept importable from here, where they were first defined.
export { parseUtterances, type LabelledUtterance };

/** Precision and recall of operator-request detection over a set, with the misread items. */
export type HandoffEvalResult = {
  n: number;
  precision: number;
  recall: number;
  falsePositives: string[];
  falseNegatives: string[];
  /** The same counted on `operator_request` alone (complaints not counted as hand-offs). */
  requestOnly: { precision: number; recall: number };
  /** The detector's intent of each item, in order (for a second reader's evaluation). */
  intents: Intent[];
};

/**
 * Classifies every utterance with a default skill and counts hand-off hits and misses: intent
 * `operator_request` or `complaint` (both always handed off by the decision policy).
 */
export function evaluateHandoff(items: LabelledUtterance[]): HandoffEvalResult {
  const skill = parseSkillSettings({});
  const intents = items.map((item) => classify({ text: item.text, skill }).intent);
  const wanted = items.map((item) => item.wants_human);
  const handedOff = intents.map((intent) => intent === 'operator_request' || intent === 'complaint');
  return {
    n: items.length,
    ...readingFigures(handedOff, wanted),
    falsePositives: items.filter((item, i) => handedOff[i] && !item.wants_human).map((item) => item.text),
    falseNegatives: items.filter((item, i) => !handedOff[i] && item.wants_human).map((item) => item.text),
    requestOnly: readingFigures(
      intents.map((intent) => intent === 'operator_request'),
      wanted,
    ),
    intents,
  };
}

/** The one-line summary of the LLM's second reading. */
function readerSummary(r: ReaderEvalResult) {
  return {
    asked: r.asked,
    failures: r.failures,
    added_right: r.addedRight.length,
    added_wrong: r.addedWrong.length,
    precision: r.combined.precision,
    recall: r.combined.recall,
    request_only: r.combinedRequests,
  };
}

/** Prints the hand-offs the LLM added, wanted (`LLM+`) and not (`LLM-`). */
function showReaderErrors(r: ReaderEvalResult, indent: string): void {
  for (const t of r.addedRight) console.log(`${indent}LLM+\t${JSON.stringify(t)}`);
  for (const t of r.addedWrong) console.log(`${indent}LLM-\t${JSON.stringify(t)}`);
}

/** Runs every present set of {@link HANDOFF_SETS} (optionally only one role) and prints a table. */
async function runSets(args: EvalHandoffArgs, reader: { reader: LlmRequestReader; concurrency: number } | undefined): Promise<void> {
  const role = args.role;
  const devsets = args.devsets ?? DEFAULT_DEVSETS_DIR;
  const rows: Record<string, unknown>[] = [];
  console.log('set                                   role      n (wanted)   precision  recall   | request only: precision  recall');
  for (const spec of HANDOFF_SETS) {
    if (role && spec.role !== role) continue;
    const items = loadHandoffSet(spec, devsets);
    if (!items) {
      console.log(
        `${spec.name.padEnd(37)} ${spec.role.padEnd(9)} SKIPPED: ${spec.file} not built (see packages/ai/README.md, evaluation of operator-request detection)`,
      );
      continue;
    }
    const r = evaluateHandoff(items);
    const wanted = items.filter((i) => i.wants_human).length;
    const head = `${spec.name.padEnd(37)} ${spec.role.padEnd(9)} ${`${r.n} (${wanted})`.padEnd(12)}`;
    // A set of questions alone has no precision or recall: what it shows is how many were handed off.
    console.log(
      wanted === 0
        ? `${head} false hand-offs ${r.falsePositives.length} (${((100 * r.falsePositives.length) / Math.max(1, r.n)).toFixed(1)} %)`
        : `${head} ${r.precision.toFixed(3).padStart(9)} ${r.recall.toFixed(3).padStart(7)}   | ${r.requestOnly.precision.toFixed(3).padStart(22)} ${r.requestOnly.recall.toFixed(3).padStart(7)}`,
    );
    if (args['show-errors']) {
      for (const t of r.falsePositives) console.log(`  FP\t${JSON.stringify(t)}`);
      for (const t of r.falseNegatives) console.log(`  FN\t${JSON.stringify(t)}`);
    }
    const llm = reader
      ? await evaluateHandoffWithReader(items, reader.reader, { concurrency: reader.concurrency, intents: r.intents })
      : undefined;
    if (llm) {
      const added = `asked ${llm.asked}, failed ${llm.failures}, added ${llm.addedRight.length} wanted / ${llm.addedWrong.length} not`;
      console.log(
        wanted === 0
          ? `${'  + LLM'.padEnd(59)} false hand-offs ${llm.addedWrong.length + r.falsePositives.length} (${added})`
          : `${'  + LLM'.padEnd(59)} ${llm.combined.precision.toFixed(3).padStart(9)} ${llm.combined.recall.toFixed(3).padStart(7)}   | ${llm.combinedRequests.precision.toFixed(3).padStart(22)} ${llm.combinedRequests.recall.toFixed(3).padStart(7)}   (${added})`,
      );
      if (args['show-errors']) showReaderErrors(llm, '  ');
    }
    rows.push({
      set: spec.name,
      role: spec.role,
      n: r.n,
      wanted,
      precision: r.precision,
      recall: r.recall,
      requestOnly: r.requestOnly,
      falseHandoffs: r.falsePositives.length,
      ...(llm ? { llm: readerSummary(llm) } : {}),
    });
  }
  console.log(JSON.stringify({ sets: rows }));
}

async function main(): Promise<void> {
  const args = parseScriptArgs(OPTIONS, USAGE);
  const concurrency = Number(args['llm-concurrency'] ?? 4);
  const file = args.utterances;
  if (!Number.isInteger(concurrency) || concurrency < 1 || (args['llm-concurrency'] !== undefined && !args.llm)) {
    process.stderr.write(`--llm-concurrency takes a whole number of at least 1, with --llm.\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const reader = args.llm ? { reader: readerFromEnv(process.env), concurrency } : undefined;
  if (!file) {
    await runSets(args, reader);
    return;
  }
  const items = parseUtterances(readFileSync(file, 'utf8'));
  const result = evaluateHandoff(items);
  if (args['show-errors']) {
    for (const t of result.falsePositives) console.log(`FP\t${JSON.stringify(t)}`);
    for (const t of result.falseNegatives) console.log(`FN\t${JSON.stringify(t)}`);
  }
  const llm = reader ? await evaluateHandoffWithReader(items, reader.reader, { concurrency, intents: result.intents }) : undefined;
  if (llm && args['show-errors']) showReaderErrors(llm, '');
  console.log(
    JSON.stringify({ n: result.n, precision: result.precision, recall: result.recall, ...(llm ? { llm: readerSummary(llm) } : {}) }),
  );
}

if (require.main === module)
  main().catch((error: unknown) => {
    // A configuration error names the variable, never its value.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
