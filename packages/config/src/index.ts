export { BoolEnv, DurationMs, PositiveInt, CsvList, Key32 } from './env-helpers';
export {
  RedisEnv,
  DatabaseEnv,
  LogEnv,
  SecretsEnv,
  ShutdownEnv,
  KbLearningEnv,
  LlmEnv,
  RequiredLlmEnv,
  EmbeddingsEnv,
  checkProviderEnv,
  providerSettings,
  llmSettings,
} from './fragments';
export type { ProviderSettings } from './fragments';
export { checkRedisEnv, parseRedisNodes, redisTarget, RedisUrlError } from './redis-nodes';
export type { RedisNode, RedisNodes, RedisTarget } from './redis-nodes';
export { loadConfig, ConfigError } from './load-config';
export { createStartupScope } from './startup-scope';
export type { StartupScope } from './startup-scope';
export { startReadinessMonitor, within } from './readiness';
export type { DependencyCheck, Readiness, ReadinessMonitor } from './readiness';
export { INGRESS_NODE_ARGS } from './node-options';
export { parseScriptArgs, readScriptArgs } from './script-args';
export type { ScriptArgs, ScriptOptions, ScriptValues } from './script-args';
