import type { Queue } from 'bullmq';
import type { TurnProviders } from '@repo/ai';
import type { BanWatch, HdeBudget, HdeClient } from '@repo/hde-client';
import type { Logger } from '@repo/logger';
import type { AdminRepos, Store } from '@repo/store';
import type { AdminBudgets } from './services/hde-admin-budget';

/**
 * Builds an HDE client for a set of credentials (injected so tests can count or fake calls); with
 * `budget`, every request waits for the account's budget first.
 */
export type HdeClientFactory = (options: {
  baseUrl: string;
  email: string;
  apiKey: string;
  tzOffsetMinutes?: number;
  budget?: HdeBudget;
}) => HdeClient;

/** Settings of the app that come from configuration. */
export type AppSettings = {
  /**
   * Lower-cased e-mails of the deployment's operators (`ADMIN_QUEUE_OPERATORS`): the admins who may
   * open Bull Board. It shows every organization's jobs and can change them, so an organization's
   * own admin does not get it.
   */
  queueOperators: ReadonlySet<string>;
  sessionSecret: string;
  sessionTtlSeconds: number;
  /** `Secure` cookies: always, never, or `auto` = when the request came over HTTPS (see `trustProxy`). */
  cookieSecure: boolean | 'auto';
  loginMaxAttempts: number;
  loginWindowSeconds: number;
  publicWebhookBaseUrl: string;
  tokenGraceSeconds: number;
  trustProxy: boolean;
  /** Test-box runs (page and API together) per user and minute. */
  testBoxPerMinute: number;
  /**
   * How often the knowledge-base search learns from conversations (`KB_LEARN_INTERVAL_MS`, as the
   * worker's; 0: never, and articles' pages list no learnt questions). Default a quarter of an hour.
   */
  kbLearnEveryMs?: number;
};

/** Everything the app needs, injected by main.ts or a test. */
export type AppDeps = {
  store: Store;
  admin: AdminRepos;
  logger: Logger;
  settings: AppSettings;
  hdeClient: HdeClientFactory;
  /** The pipeline's queues, for Bull Board and the queue depths on the overview. */
  queues: Queue[];
  /** Suspected HDE bans the worker recorded (shown on the overview); none when not given. */
  banWatch?: Pick<BanWatch, 'suspected'> & Partial<Pick<BanWatch, 'clear'>>;
  /** The per-account HDE budgets every admin read of HDE takes from: the worker's limiter in Redis (see createAdminBudgets). */
  hdeBudgets: AdminBudgets;
  /**
   * The pipeline core's providers for the test box, built like the worker's (`testBoxProviders`):
   * hybrid search and the LLM's answer when configured, lexical search and quotes when not.
   */
  turnProviders: Pick<TurnProviders, 'search' | 'composer' | 'description'>;
  /** Whether Redis and PostgreSQL answer (for /readyz); always ready when not given. */
  readiness?: () => Promise<{ ready: boolean; down: string[] }>;
};
