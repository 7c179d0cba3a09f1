export { createLogger } from './create-logger';
export { redactMeta, scrubString, serialiseError, isDeniedKey } from './redact';
export type { Logger, LoggerOptions } from './create-logger';
