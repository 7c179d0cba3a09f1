import { execFileSync } from 'node:child_process';
import { INGRESS_V8_FLAGS } from './v8-flags';

// The ingress sets these on itself at start, where V8 only prints a warning for a flag it does not
// know: a Node upgrade that drops one would lose its effect silently. This fails instead.
describe('the ingress V8 flags', () => {
  it.each(INGRESS_V8_FLAGS.map((flag) => [flag]))('%s is a flag of this Node’s V8', (flag) => {
    const name = flag.replace(/^--/, '').replace(/=.*$/, '');
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(options).toContain(`--${name} `);
    // And the process starts with it on the command line (an unknown one is refused there).
    expect(execFileSync(process.execPath, [flag, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' })).toBe('ok');
  });
});
