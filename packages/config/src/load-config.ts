import type { z } from 'zod';

/**
 * A configuration error. Its message names each bad variable and what is wrong with it, never the
 * value, so it is safe to print even when the value is a secret.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly retryable = false;
  /** One entry per problem: `VARIABLE: what is wrong`. */
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Parses environment variables with a zod schema. Empty strings count as unset so `.env` files with
 * `NAME=` fall back to defaults.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(config)';
    // zod 4 leaves `input` out of issues unless asked, so whether the variable was set is read from
    // the environment itself: a set but unreadable value gets zod's message, never "is required".
    const given = issue.path.length > 0 && cleaned[String(issue.path[0])] !== undefined;
    const what = issue.code === 'invalid_type' && !given ? 'is required' : readable(issue);
    return `${name}: ${what}`;
  });
  throw new ConfigError(problems);
}

/**
 * zod's message of an issue, except where it speaks of the parser rather than the variable: a
 * coerced number that was not one reads "expected number, received NaN".
 */
function readable(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'must be a number';
  return issue.message;
}
