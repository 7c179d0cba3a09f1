import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createObserver } from './observe';
import { demoConfig } from './config';
import { SCENARIOS, type ScenarioResult } from './scenarios';
import { startStack } from './stack';
import { renderTranscript } from './transcript';

const HELP = `npm run demo [-- --keep] [--admin-port N] [--database-url URL] [--redis-url URL] [--sim-port N] [--ingress-port N]

Plays HelpDeskEddy conversations through the simulator against the real ingress and worker, prints
each ticket as HDE shows it, and ends with one JSON line. Exit 0 only if every conversation did what
it should. --keep leaves the stack running and starts the admin app with a demo account (its URL and
sign-in are printed; --admin-port picks its port).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      keep: { type: 'boolean' },
      help: { type: 'boolean' },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
      'sim-port': { type: 'string' },
      'ingress-port': { type: 'string' },
      'admin-port': { type: 'string' },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const databaseUrl = values['database-url'] ?? demoConfig().DEMO_DATABASE_URL;
  const redisUrl = values['redis-url'] ?? demoConfig().DEMO_REDIS_URL;
  process.stdout.write('Starting the HDE simulator, ingress and worker; setting up the integration with the CLI…\n');
  const stack = await startStack({
    databaseUrl,
    redisUrl,
    redisPrefix: `demo-${randomBytes(3).toString('hex')}`,
    simPort: values['sim-port'] ? Number(values['sim-port']) : undefined,
    ingressPort: values['ingress-port'] ? Number(values['ingress-port']) : undefined,
  });
  const observe = createObserver(databaseUrl, stack.integrationId);
  const names = new Map<number, string>([
    [stack.botUserId, 'AI-консультант'],
    [stack.people.agentId, `${stack.people.agentName} (агент)`],
  ]);
  for (const c of stack.people.customers) names.set(c.id, `${c.name} (клиент)`);

  const results: ScenarioResult[] = [];
  for (const scenario of SCENARIOS) {
    let result: ScenarioResult;
    try {
      result = await scenario.play(stack, observe);
    } catch (error) {
      result = { name: scenario.name, ticketIds: [], ok: false, problems: [error instanceof Error ? error.message : String(error)] };
    }
    results.push(result);
    process.stdout.write(`\n${result.ok ? '✔' : '✘'} ${result.name}\n`);
    for (const id of result.ticketIds) process.stdout.write(`${renderTranscript(stack.sim, stack.account.slug, id, names)}\n`);
    for (const problem of result.problems) process.stdout.write(`   problem: ${problem}\n`);
  }

  const ticketIds = results.flatMap((r) => r.ticketIds);
  let answered = 0;
  let handedOff = 0;
  let clarified = 0;
  let silent = 0;
  let ignoredMessages = 0;
  let duplicates = 0;
  // Each ticket counts once, by what it ended with (a hand-off outranks an earlier answer), so the
  // outcomes add up to the number of tickets; messages the bot chose not to answer are counted apart.
  for (const id of ticketIds) {
    const decisions = await observe.decisions(id);
    const delivered = (action: string) => decisions.some((d) => d.action === action && d.stage === 'delivered');
    if (delivered('handoff')) handedOff += 1;
    else if (delivered('answer')) answered += 1;
    else if (delivered('clarify')) clarified += 1;
    else silent += 1;
    ignoredMessages += decisions.filter((d) => d.action === 'ignore').length;
    const botPosts = stack.sim.posts(stack.account.slug, id).filter((p) => p.user_id === stack.botUserId).length;
    duplicates += Math.max(0, botPosts - (await observe.sentReplies(id)));
  }
  const allOk = results.every((r) => r.ok) && duplicates === 0;
  await observe.close();
  if (values.keep) {
    const admin = await stack.startAdmin(values['admin-port'] ? Number(values['admin-port']) : undefined);
    process.stdout.write(
      `\nThe stack keeps running (Ctrl+C to stop).\n  HDE simulator: ${stack.sim.url} (account ${stack.account.baseUrl}, control API ${stack.sim.url}/_control)\n` +
        `  Ingress: ${stack.webhookUrl.replace(/\/api\/.*/, '')}\n  The bot's HDE account (e-mail / API key) in the simulator: ${stack.account.adminEmail} / ${stack.account.apiKey}\n` +
        `  Admin app: ${admin.url}  sign in as ${admin.email} / ${admin.password}\n`,
    );
  } else {
    await stack.stop({ dropDatabase: true });
  }
  process.stdout.write(
    `${JSON.stringify({ tickets: ticketIds.length, answered, handed_off: handedOff, clarified, silent, ignored_messages: ignoredMessages, duplicate_replies: duplicates })}\n`,
  );
  if (!values.keep) process.exit(allOk ? 0 : 1);
  process.exitCode = allOk ? 0 : 1;
  const stop = () => void stack.stop({ dropDatabase: true }).then(() => process.exit(process.exitCode ?? 0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
