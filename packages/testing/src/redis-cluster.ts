import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait-for';

const run = promisify(execFile);

/** A private Redis Cluster of local `redis-server` processes (see {@link startRedisCluster}). */
export type LocalRedisCluster = {
  /** Every node as a seed list, as `REDIS_URL` takes it with `REDIS_CLUSTER=true`. */
  url: string;
  /** The target of the connection factories. */
  target: { url: string; cluster: true };
  /** Ports of the nodes, masters first. */
  ports: number[];
  /** The port of the master that holds `key`'s slot now. */
  masterPortOf(key: string): Promise<number>;
  /** Kills one node (`kill -9`), as a crashed server. */
  killNode(port: number): Promise<void>;
  /** Kills every node and removes their files. */
  stop(): Promise<void>;
};

/** A port free for the node and for its cluster bus (the port + 10000). */
async function freeNodePort(): Promise<number> {
  const listen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
      });
    });
  for (;;) {
    const port = await listen(0);
    if (port !== undefined && port <= 55_535 && (await listen(port + 10_000)) !== undefined) return port;
  }
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });
  return stdout;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Starts a Redis Cluster of `masters` local masters (3 at least), each with `replicas` replicas, on
 * free ports with their files in a temporary folder; resolves once every slot is served
 * (`cluster_state:ok` on every node). `nodeTimeoutMs` is how soon a dead master's replica takes over.
 */
export async function startRedisCluster(
  options: { masters?: number; replicas?: number; nodeTimeoutMs?: number } = {},
): Promise<LocalRedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 0;
  const dir = await mkdtemp(path.join(tmpdir(), 'redis-cluster-'));
  const children = new Map<number, ChildProcess>();
  const stop = async () => {
    await Promise.all([...children.values()].map(stopChild));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < masters * (1 + replicas); i += 1) {
      const port = await freeNodePort();
      // Spawned at once so a later free-port probe does not pick a port taken meanwhile.
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          path.join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          String(options.nodeTimeoutMs ?? 2000),
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: 'ignore' },
      );
      children.set(port, child);
      ports.push(port);
    }
    for (const port of ports) {
      await waitFor(async () => (await cli(port, 'ping')).trim() === 'PONG', { what: `redis-server on ${port}`, timeoutMs: 20_000 });
    }
    const addresses = ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], {
      timeout: 60_000,
    });
    for (const port of ports) {
      await waitFor(async () => (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'), {
        what: `the cluster to be ok on ${port}`,
        timeoutMs: 30_000,
      });
    }
    const first = ports[0]!;
    return {
      url: ports.map((p, i) => (i === 0 ? `redis://127.0.0.1:${p}` : `127.0.0.1:${p}`)).join(','),
      target: { url: ports.map((p) => `redis://127.0.0.1:${p}`).join(','), cluster: true },
      ports,
      async masterPortOf(key) {
        const alive = [...children].find(([, c]) => c.exitCode === null && c.signalCode === null)?.[0] ?? first;
        const slot = Number((await cli(alive, 'cluster', 'keyslot', key)).trim());
        // CLUSTER NODES: `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges>…`
        for (const line of (await cli(alive, 'cluster', 'nodes')).split('\n')) {
          const fields = line.trim().split(' ');
          const flags = fields[2] ?? '';
          if (!flags.includes('master') || flags.includes('fail')) continue;
          const owns = fields.slice(8).some((range) => {
            const [from, to] = range.split('-').map(Number);
            return from !== undefined && slot >= from && slot <= (to ?? from);
          });
          if (owns) return Number((fields[1] ?? '').split('@')[0]?.split(':')[1]);
        }
        throw new Error(`No master serves slot ${slot}`);
      },
      async killNode(port) {
        const child = children.get(port);
        if (child) await stopChild(child);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
