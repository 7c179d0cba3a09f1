#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { seedDemo } from './seed';
import { startHdeSim } from './sim';

// Standalone simulator: `node packages/hde-sim/dist/bin.js --port 8090 --seed demo`.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8090' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      'minute-ms': { type: 'string' },
      'log-requests': { type: 'boolean', default: false },
    },
  });
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
    console.log(`Seeded account "demo":`);
    console.log(`  HDE domain (base URL): ${seed.account.baseUrl}`);
    console.log(`  API:                   ${seed.account.apiUrl}`);
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
  process.exit(1);
});
