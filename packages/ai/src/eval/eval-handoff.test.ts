import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateHandoff, parseUtterances } from './eval-handoff';

const load = (name: string): ReturnType<typeof parseUtterances> =>
  parseUtterances(readFileSync(join(__dirname, '..', '..', 'eval', name), 'utf8'));

describe('operator-request evaluation', () => {
  it('the development set has at least 250 labelled utterances of both kinds', () => {
    const items = load('handoff-utterances.jsonl');
    expect(items.length).toBeGreaterThanOrEqual(250);
    expect(items.some((i) => i.wants_human)).toBe(true);
    expect(items.some((i) => !i.wants_human)).toBe(true);
  });

  it.each(['handoff-utterances.jsonl', 'handoff-utterances-holdout.jsonl', 'handoff-utterances-holdout2.jsonl'])(
    'meets recall ≥ 0.98 at precision ≥ 0.95 on %s',
    (name) => {
      const r = evaluateHandoff(load(name));
      expect(r.recall).toBeGreaterThanOrEqual(0.98);
      expect(r.precision).toBeGreaterThanOrEqual(0.95);
    },
  );

  it('rejects a malformed line', () => {
    expect(() => parseUtterances('{"text": 1}')).toThrow('line 1');
  });
});
