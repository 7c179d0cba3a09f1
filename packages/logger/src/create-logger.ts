import winston from 'winston';
import { redactMeta, scrubString } from './redact';

/** The logger every service uses; winston's, so child loggers and levels work as usual. */
export type Logger = winston.Logger;

/** Options of {@link createLogger}. */
export type LoggerOptions = {
  service: string;
  level?: string;
  format?: 'json' | 'pretty';
  /** Extra transports, e.g. a stream tests read to check that nothing secret was logged. */
  transports?: winston.transport[];
  silent?: boolean;
};

const SYSTEM_KEYS = new Set(['level', 'message', 'timestamp', 'service']);

/** Redacts every metadata field and the message itself before any transport sees it. */
const redaction = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (SYSTEM_KEYS.has(key)) continue;
    (info as Record<string, unknown>)[key] = (redactMeta({ [key]: info[key] }) as Record<string, unknown>)[key];
  }
  info.message = scrubString(String(info.message));
  return info;
});

const pretty = winston.format.printf((info) => {
  const { level, message, timestamp, service, ...meta } = info;
  const rest = Object.keys(meta).length > 0 ? ` ${JSON.stringify(meta)}` : '';
  return `${String(timestamp)} ${String(service)} ${level}: ${String(message)}${rest}`;
});

/**
 * Creates a winston logger that tags every line with its service and redacts tokens, API keys,
 * `Authorization` headers and customer text. Messages are static; data goes in the metadata.
 */
export function createLogger(options: LoggerOptions): Logger {
  // winston formats every line before its transports drop the ones below their level: a worker at
  // `warn` redacted and serialised each of its per-job info lines only to throw them away. Lines
  // below the logger's level (read at each call, so a changed level applies at once) stop here.
  const levels = winston.config.npm.levels;
  const atLevel = winston.format((info) => ((levels[info.level] ?? 0) <= (levels[logger.level] ?? levels.info!) ? info : false));
  const formats =
    options.format === 'pretty'
      ? [atLevel(), winston.format.timestamp(), redaction(), pretty]
      : [atLevel(), winston.format.timestamp(), redaction(), winston.format.json()];
  const logger: Logger = winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: { service: options.service },
    format: winston.format.combine(...formats),
    transports: options.transports ?? [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
    silent: options.silent ?? false,
  });
  return logger;
}
