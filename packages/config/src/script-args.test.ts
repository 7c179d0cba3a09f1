import { readScriptArgs } from './script-args';

const OPTIONS = {
  articles: { type: 'string' },
  rounds: { type: 'string', default: '3' },
  prof: { type: 'boolean', default: false },
} as const;
const USAGE = 'Usage: npm run bench:x -- [--articles N] [--rounds N] [--prof]';

describe('readScriptArgs', () => {
  it('returns the typed values, defaults included', () => {
    const read = readScriptArgs(OPTIONS, USAGE, ['--articles', '500', '--prof']);
    expect(read).toEqual({ ok: true, values: { articles: '500', rounds: '3', prof: true } });
    if (read.ok) {
      const articles: string | undefined = read.values.articles;
      const prof: boolean | undefined = read.values.prof;
      expect([articles, prof]).toEqual(['500', true]);
    }
  });

  it('answers --help and -h with the usage and exit code 0, whatever else is given', () => {
    expect(readScriptArgs(OPTIONS, USAGE, ['--help'])).toEqual({ ok: false, exitCode: 0, text: USAGE });
    expect(readScriptArgs(OPTIONS, USAGE, ['--rounds', '2', '-h', '--bogus'])).toEqual({ ok: false, exitCode: 0, text: USAGE });
  });

  it('names an unknown option, a missing value and a positional argument in one line before the usage, with exit code 2', () => {
    for (const [args, names] of [
      [['--bogus'], '--bogus'],
      [['--articles'], '--articles'],
      [['500'], '500'],
    ] as const) {
      const read = readScriptArgs(OPTIONS, USAGE, args);
      expect(read).toMatchObject({ ok: false, exitCode: 2 });
      if (read.ok) continue;
      const [first, blank, usage] = read.text.split('\n');
      expect(first).toContain(names);
      expect([blank, usage]).toEqual(['', USAGE]);
    }
  });
});
