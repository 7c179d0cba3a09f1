#!/usr/bin/env node
/**
 * Measures operator-request detection on a labelled set of utterances.
 *
 * Usage: `node packages/ai/dist/eval/eval-handoff.js --utterances FILE [--show-errors]`, where FILE
 * holds one JSON object a line: `{"text": "...", "wants_human": true|false}`. Prints the mistakes
 * (with `--show-errors`) and, as its last line, `{"n":N,"precision":x,"recall":x}`.
 */
import { readFileSync } from 'node:fs';
import { parseSkillSettings } from '@repo/domain';
import { classify } from '../classify';

/** One labelled utterance. */
export type LabelledUtterance = { text: string; wants_human: boolean };

/** Precision and recall of operator-request detection over a set, with the misread items. */
export type HandoffEvalResult = {
  n: number;
  precision: number;
  recall: number;
  falsePositives: string[];
  falseNegatives: string[];
};

/** Parses a JSONL file of {@link LabelledUtterance}s; blank lines are skipped, bad lines throw. */
export function parseUtterances(jsonl: string): LabelledUtterance[] {
  return jsonl
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const v = JSON.parse(line) as Partial<LabelledUtterance>;
      if (typeof v.text !== 'string' || typeof v.wants_human !== 'boolean') {
        throw new Error(`line ${i + 1}: expected {"text": string, "wants_human": boolean}`);
      }
      return { text: v.text, wants_human: v.wants_human };
    });
}

/** Classifies every utterance with a default skill and counts operator-request hits and misses. */
export function evaluateHandoff(items: LabelledUtterance[]): HandoffEvalResult {
  const skill = parseSkillSettings({});
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const falsePositives: string[] = [];
  const falseNegatives: string[] = [];
  for (const item of items) {
    const predicted = classify({ text: item.text, skill }).intent === 'operator_request';
    if (predicted && item.wants_human) tp++;
    else if (predicted) {
      fp++;
      falsePositives.push(item.text);
    } else if (item.wants_human) {
      fn++;
      falseNegatives.push(item.text);
    }
  }
  const round = (x: number): number => Math.round(x * 10000) / 10000;
  return {
    n: items.length,
    precision: round(tp + fp === 0 ? 1 : tp / (tp + fp)),
    recall: round(tp + fn === 0 ? 1 : tp / (tp + fn)),
    falsePositives,
    falseNegatives,
  };
}

function main(argv: string[]): void {
  const at = argv.indexOf('--utterances');
  const file = at >= 0 ? argv[at + 1] : undefined;
  if (!file) {
    process.stderr.write('usage: eval-handoff --utterances FILE [--show-errors]\n');
    process.exitCode = 2;
    return;
  }
  const result = evaluateHandoff(parseUtterances(readFileSync(file, 'utf8')));
  if (argv.includes('--show-errors')) {
    for (const t of result.falsePositives) console.log(`FP\t${JSON.stringify(t)}`);
    for (const t of result.falseNegatives) console.log(`FN\t${JSON.stringify(t)}`);
  }
  console.log(JSON.stringify({ n: result.n, precision: result.precision, recall: result.recall }));
}

if (require.main === module) main(process.argv.slice(2));
