import { z } from 'zod';
import { loadConfig } from '@repo/config';

/** The demo's and benchmark's environment. Only this file reads `process.env`. */
export const DemoEnv = z.object({
  /** Database the demo creates (and drops at the end) for its run. */
  DEMO_DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/hde_consultant_demo'),
  /** Redis the demo's queues use (under a fresh key prefix). */
  DEMO_REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  /** Handed to the app processes the demo starts, so they find the same tools. */
  PATH: z.string().default(''),
  /** The PostgreSQL server `bench:kb` creates its database on (its `--database-url` wins). */
  DATABASE_URL: z.string().min(1).optional(),
  /** The PostgreSQL server `npm run soak` creates its databases on (its `--database-url` wins), as the tests do. */
  TEST_DATABASE_URL: z.string().min(1).optional(),
});

/** Parsed demo configuration. */
export type DemoConfig = z.infer<typeof DemoEnv>;

let cached: DemoConfig | undefined;
/** The demo's configuration, read once. */
export function demoConfig(): DemoConfig {
  cached ??= loadConfig(DemoEnv);
  return cached;
}
