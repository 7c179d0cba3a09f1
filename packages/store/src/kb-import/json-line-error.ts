const NAMES: Record<string, string> = {
  "'": 'quote',
  '"': 'double quote',
  ',': 'comma',
  '}': 'closing brace',
  ']': 'closing bracket',
  '\\': 'backslash',
};

/** The first index of `char` outside JSON strings in `line`, or -1 (one linear pass). */
function firstOutsideStrings(line: string, char: string): number {
  let inString = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === char) return i;
    else if (c === '"') inString = true;
  }
  return -1;
}

/**
 * Why a JSON line does not parse, in words with a 1-based column: "unexpected quote at column 41".
 * Node's messages carry either a position or the offending token; the column of a token is found by
 * scanning outside strings. Never quotes the line itself.
 */
export function describeJsonError(line: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  if (position?.[1]) {
    const what = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*at position \d+.*$/s, '');
    return `${what.charAt(0).toLowerCase()}${what.slice(1)} at column ${Number(position[1]) + 1}`;
  }
  const token = /^Unexpected token '(.)'/.exec(message)?.[1];
  if (token) {
    const at = firstOutsideStrings(line, token);
    return `unexpected ${NAMES[token] ?? `"${token}"`}${at >= 0 ? ` at column ${at + 1}` : ''}`;
  }
  if (/Unexpected end of JSON input/i.test(message)) return `the line ends before the object is complete (column ${line.length + 1})`;
  return message.length > 120 ? `${message.slice(0, 120)}…` : message;
}
