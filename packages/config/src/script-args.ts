import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The options of a command-line script (a bench, an evaluation), as `node:util`'s `parseArgs` takes them. */
export type ScriptOptions = NonNullable<ParseArgsConfig['options']>;

/** The parsed values of a script's options, typed from the options themselves. */
export type ScriptValues<O extends ScriptOptions> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>
>['values'];

/** What a script's command line asks for: its values, or text to print and the exit code to end with. */
export type ScriptArgs<O extends ScriptOptions> = { ok: true; values: ScriptValues<O> } | { ok: false; exitCode: 0 | 2; text: string };

/**
 * Reads a script's command line strictly: `--help` (or `-h`) asks for `usage`; an unknown option,
 * a value missing after an option that takes one, or a value given to a switch is an error named in
 * one line, followed by the usage; otherwise the values.
 */
export function readScriptArgs<O extends ScriptOptions>(options: O, usage: string, args: readonly string[]): ScriptArgs<O> {
  if (args.includes('--help') || args.includes('-h')) return { ok: false, exitCode: 0, text: usage };
  try {
    const { values } = parseArgs({ options, args: [...args], strict: true, allowPositionals: false });
    return { ok: true, values };
  } catch (error) {
    // parseArgs' own messages name the option and never a value worth hiding (these are local scripts' flags).
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, exitCode: 2, text: `${message}\n\n${usage}` };
  }
}

/**
 * {@link readScriptArgs} on this process's arguments: prints the usage and exits 0 on `--help`,
 * prints the error and the usage on stderr and exits 2 on a bad command line (instead of a stack
 * trace), and returns the values otherwise.
 */
export function parseScriptArgs<O extends ScriptOptions>(options: O, usage: string): ScriptValues<O> {
  const read = readScriptArgs(options, usage, process.argv.slice(2));
  if (read.ok) return read.values;
  (read.exitCode === 0 ? process.stdout : process.stderr).write(`${read.text}\n`);
  process.exit(read.exitCode);
}
