import net from 'node:net';

/** A rule that drops a connection when the client sends a given byte pattern (e.g. one SQL statement). */
type DropRule = { pattern: Buffer; remaining: number; onDrop?: () => void };

/** A TCP proxy in front of PostgreSQL or Redis whose connections a fault test can cut. */
export type TcpProxy = {
  port: number;
  /** `host:port` to point a client at. */
  address: string;
  /** Destroys every open connection (both sides) without refusing new ones. */
  resetAll(): number;
  /** While refusing, new connections are accepted and destroyed at once, and open ones are reset. */
  setRefusing(refusing: boolean): void;
  /**
   * Sends new connections to another server, as a DNS name moved to a new primary after a failover:
   * open connections stay with the old one.
   */
  retarget(target: { host: string; port: number }): void;
  /** Drops the connection (the bytes never reach the server) the next `times` times the client sends `pattern`. */
  dropWhenClientSends(pattern: string | Buffer, times?: number, onDrop?: () => void): void;
  /** Connections opened so far and open now. */
  stats(): { opened: number; open: number; dropped: number };
  close(): Promise<void>;
};

/**
 * Starts a proxy on a free loopback port forwarding to `target`. Chunks are matched one by one: a
 * pattern split across two TCP chunks is not seen, which is fine for the short statements matched.
 */
export async function startTcpProxy(initialTarget: { host: string; port: number }): Promise<TcpProxy> {
  let target = initialTarget;
  const pairs = new Set<{ client: net.Socket; server: net.Socket }>();
  const rules: DropRule[] = [];
  let refusing = false;
  let opened = 0;
  let dropped = 0;

  const destroyPair = (pair: { client: net.Socket; server: net.Socket }) => {
    pair.client.destroy();
    pair.server.destroy();
    pairs.delete(pair);
  };

  const server = net.createServer((client) => {
    opened += 1;
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const pair = { client, server: upstream };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      const rule = rules.find((r) => r.remaining > 0 && chunk.includes(r.pattern));
      if (rule) {
        rule.remaining -= 1;
        dropped += 1;
        destroyPair(pair);
        rule.onDrop?.();
        return;
      }
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (chunk: Buffer) => {
      if (!client.write(chunk)) upstream.pause();
    });
    client.on('drain', () => upstream.resume());
    const end = () => destroyPair(pair);
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    address: `127.0.0.1:${port}`,
    resetAll() {
      const n = pairs.size;
      for (const pair of [...pairs]) destroyPair(pair);
      return n;
    },
    setRefusing(value) {
      refusing = value;
      if (value) for (const pair of [...pairs]) destroyPair(pair);
    },
    retarget(next) {
      target = next;
    },
    dropWhenClientSends(pattern, times = 1, onDrop) {
      rules.push({ pattern: Buffer.isBuffer(pattern) ? pattern : Buffer.from(pattern), remaining: times, onDrop });
    },
    stats: () => ({ opened, open: pairs.size, dropped }),
    async close() {
      for (const pair of [...pairs]) destroyPair(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The same URL with host and port replaced by the proxy's. */
export function viaProxy(url: string, proxy: Pick<TcpProxy, 'port'>): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}
