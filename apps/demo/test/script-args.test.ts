import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** Every bench and evaluation script, by the command the README gives for it. */
const SCRIPTS: Array<[command: string, file: string]> = [
  ['npm run bench:kb', 'apps/demo/dist/bench-kb.js'],
  ['npm run bench:ingress', 'apps/demo/dist/bench-ingress.js'],
  ['npm run bench:pipeline', 'apps/demo/dist/bench-pipeline.js'],
  ['npm run bench:budget', 'apps/demo/dist/bench-budget.js'],
  ['npm run soak', 'apps/demo/dist/soak.js'],
  ['npm run bench:classify', 'packages/ai/dist/bench-classify.js'],
  ['npm run eval:retrieval', 'apps/cli/dist/eval/eval-retrieval.js'],
  ['npm run eval:answers', 'apps/cli/dist/eval/eval-answers.js'],
  ['npm run eval:handoff', 'packages/ai/dist/eval/eval-handoff.js'],
  ['node apps/cli/dist/eval/compare-retrieval.js', 'apps/cli/dist/eval/compare-retrieval.js'],
];

const run = (file: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, file), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });

// A newcomer's first try of a bench is often `--help` or a mistyped option: each script answers in
// words (exit 0 with its usage, or exit 2 naming the option), never with a stack trace, and starts no work.
describe('bench and evaluation scripts read their command line', () => {
  it.each(SCRIPTS)(
    '%s --help prints its usage and exits 0',
    (command, file) => {
      const out = run(file, '--help');
      expect(out.status).toBe(0);
      expect(out.stdout.startsWith(`Usage: ${command}`)).toBe(true);
      expect(out.stderr).toBe('');
    },
    30_000,
  );

  it.each(SCRIPTS)(
    '%s with an unknown option names it and exits 2',
    (_command, file) => {
      const out = run(file, '--artcles', '10');
      expect(out.status).toBe(2);
      expect(out.stderr.split('\n')[0]).toContain("'--artcles'");
      expect(out.stderr).toContain('Usage: ');
      expect(out.stderr).not.toMatch(/\n\s+at /);
    },
    30_000,
  );
});
