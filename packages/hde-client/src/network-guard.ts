import dns from 'node:dns';
import net from 'node:net';
import { AppError } from '@repo/domain';

/**
 * Addresses an integration's HDE base URL must never reach: loopback, private, link-local (cloud
 * metadata lives there), carrier-grade NAT, unique-local, multicast and unspecified. A tenant types
 * the base URL, so without this guard it could point our workers at Redis or an internal service.
 */
const BLOCKED = (() => {
  const list = new net.BlockList();
  for (const [address, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const)
    list.addSubnet(address, prefix, 'ipv4');
  // No ::ffff:0:0/96 rule: BlockList checks IPv4 against mapped IPv6 rules, which would block every IPv4 address.
  for (const [address, prefix] of [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ] as const) {
    list.addSubnet(address, prefix, 'ipv6');
  }
  return list;
})();

/** Whether an IP address is one an HDE account can never live at. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  if (family === 6 && address.toLowerCase().startsWith('::ffff:')) {
    // An IPv4-mapped IPv6 address is judged by its IPv4 part.
    const v4 = address.slice(7);
    if (net.isIPv4(v4)) return BLOCKED.check(v4, 'ipv4');
  }
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets that resolves as usual and refuses private addresses at connect time, so a
 * name that resolves to a private address (or is re-pointed there later) is refused too.
 */
export function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const list = addresses as dns.LookupAddress[];
    if (list.length === 0 || list.some((a) => isPrivateAddress(a.address))) {
      const refused: NodeJS.ErrnoException = new Error('HDE host resolves to a private address');
      refused.code = 'EPRIVATEADDR';
      return callback(refused, '');
    }
    if (options.all) return callback(null, list);
    const first = list[0]!;
    return callback(null, first.address, first.family);
  });
}

/** The code of an HDE base URL refused because it is plain http or names a private host (see {@link isPrivateNetworkRefusal}). */
export const HDE_PRIVATE_NETWORK_CODE = 'hde_private_network';

/** The refusal of an HDE base URL that only `allowPrivateNetwork` would let through. */
export function privateNetworkError(message: string): AppError<typeof HDE_PRIVATE_NETWORK_CODE> {
  return new AppError(HDE_PRIVATE_NETWORK_CODE, message, { retryable: false });
}

/**
 * Whether a failure is this guard refusing an HDE address: a base URL that is plain http or names a
 * private host, or a host that resolved to a private address when the socket connected. Only the
 * operator's `allowPrivateNetwork` (`HDE_ALLOW_PRIVATE_NETWORK`) changes that answer.
 */
export function isPrivateNetworkRefusal(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  if (error.code === HDE_PRIVATE_NETWORK_CODE) return true;
  const cause = (error as { cause?: unknown }).cause;
  return typeof cause === 'object' && cause !== null && (cause as { code?: unknown }).code === 'EPRIVATEADDR';
}
