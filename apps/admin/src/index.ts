export { createApp } from './app';
export { startAdmin } from './start-admin';
export { AdminEnv } from './config';
export type { AdminConfig } from './config';
export type { AppDeps, AppSettings, HdeClientFactory } from './deps';
export type { RunningAdmin } from './start-admin';
