import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, redisTarget } from '@repo/config';
import {
  createStore,
  importArticleFile,
  importMarkdownFolder,
  migrate,
  rotateSecretsKey,
  verifySecretsKey,
  type SecretsRotation,
} from '@repo/store';
import { syncKbNow } from './commands/sync-kb.command';
import { hintFor } from './error-hints';
import { createAdmin } from './commands/create-admin.command';
import { CliEnv } from './config';
import { createCliBudgets } from './commands/hde-budget';
import { BOT_ACCOUNT_WARNINGS, SetupError, setupIntegration } from './commands/setup.command';
import { HDE_ACCOUNT_LIMIT_PER_MINUTE, webhookUrl } from '@repo/domain';
import { dispatcherSteps } from './commands/webhook-instructions';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                         bring the database schema up to date
  setup                           create organization, consultant, skill and HDE integration; print the webhook
      (--org NAME | --org-id ID) --hde-url URL --email EMAIL [--consultant NAME] [--skill NAME]
      (--api-key-stdin | HDE_API_KEY in the environment | --api-key KEY)
      [--time-zone IANA] [--reply-mode public|note|off] [--handoff-department ID] [--handoff-agent ID]
      [--rate-limit N] [--json]
                                  EMAIL and KEY are those of a dedicated HDE agent account for the bot (not a
                                  person's); --time-zone is the HDE account's zone (default Europe/Moscow);
                                  --org joins the organization of that name (e.g. the admin app's first one,
                                  ADMIN_BOOTSTRAP_ORGANIZATION) or creates it; one of --org and --org-id is
                                  required; --consultant and --skill default to Consultant and Support;
                                  without a hand-off department or agent, handed-off tickets stay where
                                  they are, with the summary note
  import-kb --skill ID (--dir PATH | --file A.jsonl | --file A.csv) [--delete-missing]
                                  import Markdown files, JSON Lines or CSV (id,title,body,tags,language,url)
  sync-kb --integration ID        copy the HDE account's knowledge base into the integration's skill now
  create-admin --email EMAIL [--org-id ID | --org NAME]
                                  create an admin of the admin app in that organization (--org: the one of
                                  that name, created if none; neither: the first organization); the password
                                  is read from ADMIN_PASSWORD or, with --password-stdin, from standard input
  token rotate --integration ID [--grace-seconds N] [--json]
                                  issue a new token; old ones keep working for the grace period (default 86400)
  token revoke --token-id ID      revoke one token at once
  token list --integration ID     list an integration's tokens (hints only)
  rotate-secrets-key [--json]     seal every stored HDE API key again under SECRETS_KEY, opening them with
                                  SECRETS_KEY or SECRETS_KEY_PREVIOUS (both required), in one transaction;
                                  run it once every app has both keys (README, "Rotating SECRETS_KEY")

Environment: DATABASE_URL, SECRETS_KEY (required for setup, sync-kb and rotate-secrets-key), PUBLIC_WEBHOOK_BASE_URL,
REDIS_URL and REDIS_PREFIX (the worker's, so HDE calls share its budget), HDE_ALLOW_PRIVATE_NETWORK.`;

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new SetupError(`--${name} must be a whole number`);
  return n;
}

/**
 * The organization `setup` puts the integration in must be named: a default name would put a second
 * company into the first one's organization, or a first one where its admins do not look.
 */
function orgOf(name: string | undefined, id: string | undefined): string {
  if (name === undefined && id === undefined)
    throw new SetupError('Give --org NAME (the organization of that name, created when there is none) or --org-id ID');
  return name ?? '';
}

/** The HDE API key for `setup`: from standard input, else the option or HDE_API_KEY. */
async function apiKeyOf(fromStdin: boolean, given: string | undefined): Promise<string> {
  const key = fromStdin ? (await readStdin()).trim() : given;
  if (!key) throw new SetupError('Give the API key on standard input with --api-key-stdin, in HDE_API_KEY, or with --api-key');
  return key;
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new SetupError(`--${name} is required`);
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A required id option: the ids setup, import and `token list` print are UUIDs; anything else names none. */
function requiredId(value: string | undefined, name: string): string {
  const id = required(value, name);
  if (!UUID.test(id)) throw new SetupError(`--${name} must be an id in UUID form, as setup, \`token list\` and the admin app show it`);
  return id;
}

/** What `rotate-secrets-key` did, in words: a second run reseals nothing and says so. */
function rotationReport(r: SecretsRotation): string {
  const moved = `${r.resealed} API key(s) moved from the key of fingerprint ${r.previousFingerprint} to the key of fingerprint ${r.fingerprint}.`;
  if (r.alreadyCurrent === 0) return moved;
  const current = `${r.alreadyCurrent} API key(s) were sealed with the key of fingerprint ${r.fingerprint} already.`;
  return r.resealed === 0 ? `Nothing to reseal: ${current}` : `${moved} ${current}`;
}

/** The subcommands of a command that has them, for a clear answer to the command alone. */
const SUBCOMMANDS: Record<string, string> = { token: 'rotate, revoke or list' };

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      org: { type: 'string' },
      consultant: { type: 'string' },
      skill: { type: 'string' },
      'hde-url': { type: 'string' },
      email: { type: 'string' },
      'api-key': { type: 'string' },
      'time-zone': { type: 'string' },
      'reply-mode': { type: 'string' },
      'handoff-department': { type: 'string' },
      'handoff-agent': { type: 'string' },
      'rate-limit': { type: 'string' },
      dir: { type: 'string' },
      file: { type: 'string' },
      'delete-missing': { type: 'boolean' },
      integration: { type: 'string' },
      'grace-seconds': { type: 'string' },
      'token-id': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
      'api-key-stdin': { type: 'boolean' },
      'org-id': { type: 'string' },
    },
  });
  const command = positionals.join(' ');
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Without a command nothing was done: a script that forgot it must not read success.
  if (!command) throw new SetupError(`Give a command\n\n${USAGE}`);
  const config = loadConfig(CliEnv);
  await migrate(config.DATABASE_URL);
  const store = createStore({
    url: config.DATABASE_URL,
    secretsKey: config.SECRETS_KEY,
    previousSecretsKey: config.SECRETS_KEY_PREVIOUS,
    poolSize: Math.min(config.DATABASE_POOL_SIZE, 4),
    preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    applicationName: 'cli',
  });
  // Connects only when a command calls HDE.
  const budgets = createCliBudgets({
    redis: redisTarget(config),
    prefix: config.REDIS_PREFIX,
    remainingFloor: config.HDE_REMAINING_FLOOR,
  });
  try {
    switch (command) {
      case 'migrate':
        process.stdout.write('Database is up to date.\n');
        return;
      case 'setup': {
        if (!config.SECRETS_KEY) throw new ConfigError(['SECRETS_KEY: is required to store the HDE API key encrypted']);
        // As the worker and the admin app do: a key the deployment does not use would seal an API key no app can open.
        await verifySecretsKey(store.db, config.SECRETS_KEY, config.SECRETS_KEY_PREVIOUS);
        const replyMode = values['reply-mode'] ?? 'public';
        if (!['public', 'note', 'off'].includes(replyMode)) throw new SetupError('--reply-mode must be public, note or off');
        const result = await setupIntegration(
          store,
          {
            organization: orgOf(values.org, values['org-id']),
            joinNamed: true,
            ...(values['org-id'] ? { organizationId: requiredId(values['org-id'], 'org-id') } : {}),
            consultant: values.consultant ?? 'Consultant',
            skill: values.skill ?? 'Support',
            hdeUrl: required(values['hde-url'], 'hde-url'),
            email: required(values.email, 'email'),
            // On the command line a key lands in the shell history and `ps`: stdin or the environment keep it out.
            apiKey: await apiKeyOf(values['api-key-stdin'] === true, values['api-key'] ?? config.HDE_API_KEY),
            timeZone: values['time-zone'],
            replyMode: replyMode as 'public' | 'note' | 'off',
            handoffDepartmentId: num(values['handoff-department'], 'handoff-department'),
            handoffAgentId: num(values['handoff-agent'], 'handoff-agent'),
            rateLimitPerMinute: num(values['rate-limit'], 'rate-limit'),
            publicBaseUrl: config.PUBLIC_WEBHOOK_BASE_URL,
            allowPrivateNetwork: config.HDE_ALLOW_PRIVATE_NETWORK,
          },
          budgets,
        );
        for (const warning of result.warnings) process.stderr.write(`\n!!! WARNING: ${BOT_ACCOUNT_WARNINGS[warning]}\n`);
        const rateLimit = num(values['rate-limit'], 'rate-limit');
        if (rateLimit !== undefined && rateLimit > HDE_ACCOUNT_LIMIT_PER_MINUTE)
          process.stderr.write(
            `\n!!! WARNING: --rate-limit ${rateLimit} is above HDE's documented limit of ${HDE_ACCOUNT_LIMIT_PER_MINUTE} requests a minute ` +
              'for a whole account, over which HDE bans the account: use it only for an on-premises HDE or an account with a higher limit.\n',
          );
        if (!result.webhookUrl.startsWith('https://'))
          process.stderr.write(
            '\n!!! WARNING: the webhook URL is not https, and HDE calls webhooks over https: put a TLS-terminating proxy in front of ' +
              'the ingress and set PUBLIC_WEBHOOK_BASE_URL to its public https address.\n',
          );
        const zone = result.timeZoneCheck;
        if (zone?.suggestedOffsetMinutes !== undefined) {
          const hours = zone.suggestedOffsetMinutes / 60;
          process.stderr.write(
            `\n${zone.contradicts ? '!!! WARNING' : 'Note'}: HDE's newest ticket update suggests the account runs at UTC${hours >= 0 ? '+' : ''}${hours}` +
              ` (e.g. ${zone.suggestedZones.slice(0, 3).join(', ')}), not ${result.timeZone}. Change it in the admin app's integration settings if so.\n`,
          );
        }
        if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else
          process.stdout.write(
            `Integration ${result.integrationId} created (skill ${result.skillId}, bot user ${result.botUserId}) in the ` +
              `${result.organizationCreated ? 'new' : 'existing'} organization «${result.organizationName}» (${result.organizationId}).\n\n` +
              `Webhook token (shown once, store it now): ${result.token}\n\n${result.instructions}\n`,
          );
        return;
      }
      case 'import-kb': {
        const skillId = requiredId(values.skill, 'skill');
        const options = { deleteMissing: values['delete-missing'] };
        const report = values.file
          ? await importArticleFile(store.kb, skillId, values.file, options)
          : await importMarkdownFolder(store.kb, skillId, required(values.dir, 'dir'), options);
        process.stdout.write(`${JSON.stringify(report)}\n`);
        const imported = report.created + report.updated + report.unchanged;
        process.stderr.write(`${imported} of ${imported + report.failed.length} imported, ${report.failed.length} rejected\n`);
        for (const failure of report.failed) process.stderr.write(`  ${failure.file}: ${failure.error}\n`);
        if (report.failed.length > 0) process.exitCode = 1;
        return;
      }
      case 'sync-kb': {
        if (config.SECRETS_KEY) await verifySecretsKey(store.db, config.SECRETS_KEY, config.SECRETS_KEY_PREVIOUS);
        const report = await syncKbNow(store, requiredId(values.integration, 'integration'), {
          budgets,
          allowPrivateNetwork: config.HDE_ALLOW_PRIVATE_NETWORK,
        });
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      case 'create-admin': {
        const password = values['password-stdin'] ? (await readStdin()).trim() : (config.ADMIN_PASSWORD ?? '');
        if (!password) throw new SetupError('Give the password in ADMIN_PASSWORD or on standard input with --password-stdin');
        const outcome = await createAdmin(store, {
          email: required(values.email, 'email'),
          password,
          organization: values.org ?? 'My company',
          organizationId: values['org-id'] === undefined ? undefined : requiredId(values['org-id'], 'org-id'),
          joinNamed: values.org !== undefined,
        });
        process.stdout.write(`Admin ${outcome}.\n`);
        return;
      }
      case 'token rotate': {
        const integrationId = requiredId(values.integration, 'integration');
        const { token, id } = await store.integrations.issueToken(integrationId, {
          graceSeconds: num(values['grace-seconds'], 'grace-seconds') ?? 86_400,
        });
        const url = webhookUrl(config.PUBLIC_WEBHOOK_BASE_URL, token);
        if (values.json) process.stdout.write(`${JSON.stringify({ tokenId: id, token, webhookUrl: url })}\n`);
        else process.stdout.write(`New token (shown once): ${token}\n\n${dispatcherSteps(url)}\n`);
        return;
      }
      case 'token revoke':
        if (!(await store.integrations.revokeToken(requiredId(values['token-id'], 'token-id'))))
          throw new SetupError('No token in force has that id: it was revoked already, or it is not one `token list` shows');
        process.stdout.write('Token revoked.\n');
        return;
      case 'token list':
        process.stdout.write(
          `${JSON.stringify(await store.integrations.listTokens(requiredId(values.integration, 'integration')), null, 2)}\n`,
        );
        return;
      case 'rotate-secrets-key': {
        const missing = [
          ...(config.SECRETS_KEY ? [] : ['SECRETS_KEY: is required (the new key)']),
          ...(config.SECRETS_KEY_PREVIOUS ? [] : ['SECRETS_KEY_PREVIOUS: is required (the key being replaced)']),
        ];
        if (!config.SECRETS_KEY || !config.SECRETS_KEY_PREVIOUS) throw new ConfigError(missing);
        if (config.SECRETS_KEY.equals(config.SECRETS_KEY_PREVIOUS))
          throw new ConfigError(['SECRETS_KEY_PREVIOUS: is the same key as SECRETS_KEY; give the old key']);
        const rotation = await rotateSecretsKey(store.db, config.SECRETS_KEY, config.SECRETS_KEY_PREVIOUS);
        if (values.json) process.stdout.write(`${JSON.stringify(rotation)}\n`);
        else process.stdout.write(`${rotationReport(rotation)} Remove SECRETS_KEY_PREVIOUS from every app and restart them.\n`);
        return;
      }
      default: {
        const sub = SUBCOMMANDS[positionals[0] ?? ''];
        if (sub && positionals.length === 1) throw new SetupError(`"${command}" needs one of its commands: ${sub}\n\n${USAGE}`);
        throw new SetupError(`Unknown command "${command}"\n\n${USAGE}`);
      }
    }
  } finally {
    await budgets.close();
    await store.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof SetupError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Command failed: ${error instanceof Error ? error.message : String(error)}\n`);
  const hint = hintFor(error);
  if (hint) process.stderr.write(`${hint}\n`);
  process.exit(1);
});
