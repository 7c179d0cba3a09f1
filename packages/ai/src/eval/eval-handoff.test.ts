import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateHandoff, parseUtterances } from './eval-handoff';
import { halfOf, HANDOFF_SETS, loadHandoffSet } from './handoff-sets';

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

describe('hand-off sets', () => {
  it('splits a kit set by a fixed hash of the text, about half each way', () => {
    const texts = Array.from({ length: 400 }, (_, i) => `фраза ${i}`);
    const tune = texts.filter((t) => halfOf(t) === 'tune').length;
    expect(tune).toBeGreaterThan(150);
    expect(tune).toBeLessThan(250);
    expect(texts.map(halfOf)).toEqual(texts.map(halfOf));
  });

  it('reports a kit set that was not built as missing rather than failing', () => {
    const kit = HANDOFF_SETS.find((s) => s.from === 'kit');
    expect(kit).toBeDefined();
    expect(loadHandoffSet(kit as (typeof HANDOFF_SETS)[number], '/nonexistent')).toBeUndefined();
  });

  it('never lists a held-out set among the committed ones, and holds out both halves of no file', () => {
    for (const s of HANDOFF_SETS.filter((x) => x.role === 'holdout')) expect(s.from).toBe('kit');
    const ru = HANDOFF_SETS.filter((s) => s.file === 'handoff_ru.jsonl').map((s) => `${s.role}:${s.half}`);
    expect(ru.sort()).toEqual(['holdout:holdout', 'tuned:tune']);
  });

  it('counts a complaint as a hand-off and reports the request-only figure beside it', () => {
    const r = evaluateHandoff([
      { text: 'позовите оператора', wants_human: true },
      { text: 'ужасный сервис, верните деньги', wants_human: true },
      { text: 'где посмотреть историю заказов?', wants_human: false },
    ]);
    expect(r.recall).toBe(1);
    expect(r.requestOnly.recall).toBe(0.5);
  });
});
