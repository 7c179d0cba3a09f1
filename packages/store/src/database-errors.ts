/**
 * A database that cannot be used as configured: unreachable, missing, refusing the credentials, or a
 * migration lock that never came free. The message names `DATABASE_URL` and what to do, never the
 * URL's password.
 */
export class DatabaseSetupError extends Error {
  readonly code = 'DATABASE_SETUP';
  /** True when waiting and starting again may help (the server is starting, a lock is held). */
  readonly retryable: boolean;

  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseSetupError';
    this.retryable = retryable;
  }
}

type Target = { host: string; port: string; database: string; user: string };

function targetOf(databaseUrl: string): Target | undefined {
  try {
    const url = new URL(databaseUrl);
    return {
      host: url.hostname || '127.0.0.1',
      port: url.port || '5432',
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
      user: decodeURIComponent(url.username) || 'postgres',
    };
  } catch {
    return undefined;
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  // Node reports a refused connection to every address of a host as an AggregateError.
  const inner = (error as { errors?: unknown[] } | undefined)?.errors;
  return Array.isArray(inner) ? codeOf(inner[0]) : undefined;
}

/**
 * Turns a connection or start-up error of PostgreSQL into a {@link DatabaseSetupError} that says which
 * setting is wrong and how to fix it; other errors are returned unchanged.
 */
export function describeDatabaseError(error: unknown, databaseUrl: string): unknown {
  if (error instanceof DatabaseSetupError) return error;
  const target = targetOf(databaseUrl);
  if (!target)
    return new DatabaseSetupError('DATABASE_URL: is not a valid URL (postgres://user:password@host:5432/database)', false, {
      cause: error,
    });
  const where = `${target.host}:${target.port}`;
  switch (codeOf(error)) {
    case 'ECONNREFUSED':
      return new DatabaseSetupError(
        `DATABASE_URL: nothing accepts connections at ${where}; is PostgreSQL running, and is the port right?`,
        true,
        { cause: error },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DatabaseSetupError(`DATABASE_URL: the host ${target.host} cannot be resolved`, true, { cause: error });
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new DatabaseSetupError(`DATABASE_URL: ${where} does not answer (network unreachable or a firewall)`, true, { cause: error });
    case '3D000':
      return new DatabaseSetupError(
        `DATABASE_URL: the database "${target.database}" does not exist on ${where}; create it with: ` +
          `createdb -h ${target.host} -p ${target.port} -U ${target.user} ${target.database}`,
        false,
        { cause: error },
      );
    case '28P01':
    case '28000':
      return new DatabaseSetupError(
        `DATABASE_URL: PostgreSQL at ${where} refused the user "${target.user}" (no such role, a wrong password, or not allowed by pg_hba.conf)`,
        false,
        { cause: error },
      );
    case '57P03':
      return new DatabaseSetupError(`DATABASE_URL: PostgreSQL at ${where} is starting up; try again in a moment`, true, { cause: error });
    default:
      // pg's own connect timeout (`connectionTimeoutMillis`) carries no code.
      if (/timeout expired|connection timeout/i.test(String((error as { message?: unknown } | undefined)?.message ?? '')))
        return new DatabaseSetupError(
          `DATABASE_URL: ${where} does not answer as PostgreSQL (no reply in time: a firewall, or another service on that port?)`,
          true,
          { cause: error },
        );
      return error;
  }
}
