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
  /**
   * Waits until a master other than `deadPort` serves `key`'s slot. The cluster's own election comes
   * first; if it has not ended within half of `timeoutMs` (a starved box can keep losing elections),
   * the dead master's replica is told to take over (`CLUSTER FAILOVER TAKEOVER`), as an operator would.
   */
  awaitTakeover(key: string, deadPort: number, timeoutMs: number): Promise<number>;
  /** Kills every node and removes their files. */
  stop(): Promise<void>;
};

/** The port of a `CLUSTER NODES` address field (`ip:port@bus`); NaN when it has none. */
function portOf(address: string | undefined): number {
  return Number((address ?? '').split('@')[0]?.split(':')[1]);
}

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
          // A replica stands for election however long its link to the master looked stale: on a loaded
          // box a replica that saw its master late would otherwise never take over, and the slot stays dark.
          '--cluster-replica-validity-factor',
          '0',
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
    /** Whether the node on `port` is one of ours and its process still runs. */
    const running = (port: number) => {
      const child = children.get(port);
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    };
    /** A node still running, to ask about the cluster. */
    const aliveNode = () => ports.find(running) ?? first;
    const masterPortOf = async (key: string): Promise<number> => {
      const alive = aliveNode();
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
        if (owns) return portOf(fields[1]);
      }
      throw new Error(`No master serves slot ${slot}`);
    };
    return {
      url: ports.map((p, i) => (i === 0 ? `redis://127.0.0.1:${p}` : `127.0.0.1:${p}`)).join(','),
      target: { url: ports.map((p) => `redis://127.0.0.1:${p}`).join(','), cluster: true },
      ports,
      masterPortOf,
      async killNode(port) {
        const child = children.get(port);
        if (child) await stopChild(child);
      },
      async awaitTakeover(key, deadPort, timeoutMs) {
        const owner = async () => {
          const port = await masterPortOf(key).catch(() => undefined);
          return port !== undefined && port !== deadPort ? port : undefined;
        };
        const elected = await waitFor(owner, { what: 'a replica to be elected', timeoutMs: timeoutMs / 2 }).catch(() => undefined);
        if (elected !== undefined) return elected;
        // The replica is chosen by whom it replicates and by its process running, not by the gossip's
        // flags: on a starved box a live replica may well be flagged `fail?` by its peers.
        const lines = await cli(aliveNode(), 'cluster', 'nodes')
          .then((out) => out.split('\n').map((l) => l.trim().split(' ')))
          .catch(() => [] as string[][]);
        const deadId = lines.find((f) => portOf(f[1]) === deadPort)?.[0];
        const replicaPort = portOf(lines.find((f) => deadId !== undefined && f[3] === deadId && running(portOf(f[1])))?.[1]);
        const reply = running(replicaPort)
          ? await cli(replicaPort, 'cluster', 'failover', 'takeover').catch((e: Error) => e.message)
          : 'no replica';
        const detail = reply.trim() === 'OK' ? '' : ` (takeover: ${reply.trim()})`;
        return waitFor(owner, { what: `the replica to take over${detail}`, timeoutMs: timeoutMs / 2 });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
