import { CHAOS_KINDS, runSoak, type ChaosKind } from './soak-run';
import { parseScriptArgs } from '@repo/config';
import { demoConfig } from './config';

/** What `--help` prints, and what follows an error in the command line. */
const USAGE = `Usage: npm run soak -- [options]
Sends messages at a steady rate through the whole stack while injecting faults (worker kills, HDE
errors, PostgreSQL and Redis outages, CPU starvation), then checks that each was answered or handed
off exactly once.
  --messages N          messages to send (default 10000)
  --rate N              messages per second (default 40)
  --handoff-share F     share of messages that ask for a person (default 0.1)
  --chaos-every-ms N    time between two faults (default 15000)
  --outage-ms N         length of an outage (default 10000)
  --chaos LIST          the faults to inject, comma-separated (default: all)
  --settle-timeout-ms N how long to wait for the last messages (default 300000)
  --database-url URL    PostgreSQL server (default: TEST_DATABASE_URL)`;

/**
 * npm run soak — the long fault run: ≥ 10,000 messages over three simulated HDE accounts while a
 * chaos loop kills workers, restarts Redis, cuts PostgreSQL and Redis connections, makes HDE hang,
 * fail and reset, and starves the CPU. Ends with one JSON line; exits 1 on any duplicate or loss.
 */
async function main(): Promise<void> {
  const values = parseScriptArgs(
    {
      messages: { type: 'string', default: '10000' },
      rate: { type: 'string', default: '40' },
      'handoff-share': { type: 'string', default: '0.1' },
      'chaos-every-ms': { type: 'string', default: '15000' },
      'outage-ms': { type: 'string', default: '10000' },
      chaos: { type: 'string' },
      'settle-timeout-ms': { type: 'string', default: '300000' },
      'database-url': { type: 'string', default: demoConfig().TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    },
    USAGE,
  );
  const chaos = values.chaos ? (values.chaos.split(',').map((s) => s.trim()) as ChaosKind[]) : undefined;
  const unknown = chaos?.filter((k) => !CHAOS_KINDS.includes(k));
  if (unknown && unknown.length > 0)
    throw new Error(`--chaos: unknown kind ${unknown.join(', ')} (known: ${[...new Set(CHAOS_KINDS)].join(', ')})`);
  const result = await runSoak({
    messages: Number(values.messages),
    ratePerSecond: Number(values.rate),
    handoffShare: Number(values['handoff-share']),
    chaosEveryMs: Number(values['chaos-every-ms']),
    outageMs: Number(values['outage-ms']),
    chaos,
    settleTimeoutMs: Number(values['settle-timeout-ms']),
    adminDatabaseUrl: values['database-url'],
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (result.duplicates > 0 || result.lost > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
