#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { seedDemo } from './seed';
import { startHdeSim } from './sim';

const USAGE = `Usage: npm run sim -- [options]

A local HelpDeskEddy simulator: the REST API v2 the bot uses, its per-minute request budget,
the webhook dispatcher and a control API for tests.

Options:
  --port N          TCP port (default 8090; 0 = any free port)
  --host ADDRESS    interface to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  --public-url URL  the address other programs reach the simulator at, printed in the seeded
                    account's base URL (e.g. http://hde-sim:8090 for other containers)
  --seed demo       create the "demo" account with agents, a customer and a department, and print
                    its base URL, admin e-mail and API key
  --minute-ms N     length of the rate-limit minute in ms (default 60000; shorter in tests)
  --log-requests    log every API request
  -h, --help        show this help

Example: npm run sim -- --seed demo --port 8090`;

// Standalone simulator: `node packages/hde-sim/dist/bin.js --port 8090 --seed demo`.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8090' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      'public-url': { type: 'string' },
      'minute-ms': { type: 'string' },
      'log-requests': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0) throw new Error(`bad --port ${values.port}`);
  if (values.seed !== undefined && values.seed !== 'demo') throw new Error(`unknown --seed ${values.seed} (only "demo")`);

  const sim = await startHdeSim({
    port,
    host: values.host,
    logRequests: values['log-requests'],
    ...(values['minute-ms'] ? { minuteMs: Number(values['minute-ms']) } : {}),
  });
  console.log(`HDE simulator listening on ${sim.url}`);
  console.log(`Control API: ${sim.url}/_control/accounts`);

  if (values.seed === 'demo') {
    const seed = seedDemo(sim);
    // Listening on 0.0.0.0 is not an address anyone can use: print the one given instead.
    const shown = (url: string) => (values['public-url'] ? url.replace(sim.url, values['public-url'].replace(/\/+$/, '')) : url);
    console.log(`Seeded account "demo":`);
    console.log(`  HDE domain (base URL): ${shown(seed.account.baseUrl)}`);
    console.log(`  API:                   ${shown(seed.account.apiUrl)}`);
    console.log(`  admin e-mail:          ${seed.account.adminEmail}`);
    console.log(`  admin API key:         ${seed.account.apiKey}  (user id ${seed.account.adminUserId})`);
    for (const agent of seed.agents) console.log(`  agent: ${agent.name} <${agent.email}> id ${agent.id}, key ${agent.apiKey}`);
    console.log(`  customer: ${seed.customer.name} <${seed.customer.email}> id ${seed.customer.id}`);
    console.log(`  department id: ${seed.departmentId}`);
  }

  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') console.error(`\n${USAGE}`);
  process.exit(1);
});
