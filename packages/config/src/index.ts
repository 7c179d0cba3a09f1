export { BoolEnv, DurationMs, PositiveInt, CsvList, Key32 } from './env-helpers';
export { RedisEnv, DatabaseEnv, LogEnv, SecretsEnv, ShutdownEnv } from './fragments';
export { loadConfig, ConfigError } from './load-config';
