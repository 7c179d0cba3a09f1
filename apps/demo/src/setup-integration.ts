import path from 'node:path';
import type { AccountInfo } from '@repo/hde-sim';
import { REPO_ROOT, runCli } from './processes';

/** What the CLI `setup --json` prints. */
export type IntegrationSetup = { integrationId: string; skillId: string; botUserId: number; webhookUrl: string };

/** Options of {@link setUpIntegration}; the rest is the CLI's defaults. */
export type SetUpOptions = {
  org: string;
  consultant?: string;
  skill?: string;
  replyMode?: 'public' | 'note' | 'off';
  /** The integration's HDE requests per minute (`--rate-limit`). */
  rateLimitPerMinute?: number;
  handoffDepartmentId?: number;
  handoffAgentId?: number;
  /** Knowledge base to import (default: the demo's Markdown articles). */
  kbDir?: string;
};

/**
 * Sets up an account of the simulator as a company would: the CLI `setup` checks the credentials,
 * creates the integration and prints the webhook, then `import-kb` fills the skill's knowledge base.
 * The demo, the soak and the benches all start this way.
 */
export async function setUpIntegration(
  account: AccountInfo,
  env: Record<string, string>,
  options: SetUpOptions,
): Promise<IntegrationSetup> {
  const optional = (flag: string, value: string | number | undefined) => (value === undefined ? [] : [flag, String(value)]);
  const setup = JSON.parse(
    await runCli(
      [
        'setup',
        '--json',
        '--org',
        options.org,
        ...optional('--consultant', options.consultant),
        ...optional('--skill', options.skill),
        '--hde-url',
        account.baseUrl,
        '--email',
        account.adminEmail,
        ...optional('--reply-mode', options.replyMode),
        ...optional('--rate-limit', options.rateLimitPerMinute),
        ...optional('--handoff-department', options.handoffDepartmentId),
        ...optional('--handoff-agent', options.handoffAgentId),
      ],
      // The key goes in the environment, never on the command line (shell history, `ps`).
      { ...env, HDE_API_KEY: account.apiKey },
    ),
  ) as IntegrationSetup;
  await runCli(['import-kb', '--skill', setup.skillId, '--dir', options.kbDir ?? path.join(REPO_ROOT, 'apps', 'demo', 'kb')], env);
  return setup;
}
