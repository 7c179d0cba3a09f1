import { createHash } from 'node:crypto';
import { trimTrailingSlashes } from '@repo/domain';

/** The few Redis commands the watch uses (ioredis satisfies it; no Redis client dependency here). */
export type BanWatchRedis = {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ex: 'EX', seconds: number): Promise<unknown>;
  set(key: string, value: string, ex: 'EX', seconds: number, nx: 'NX'): Promise<unknown>;
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<unknown>;
  exists(key: string): Promise<number>;
  del(key: string): Promise<number>;
};

/** Options of {@link createBanWatch}. */
export type BanWatchOptions = { redis: BanWatchRedis; prefix: string };

/** What the watch holds about an account under suspicion (no credentials, no URLs). */
export type SuspectedBan = {
  /** Epoch ms of the first refusal. */
  since: number;
  /** The integration whose call was refused. */
  integrationId: string;
  /** The pause ended and a probe was refused again: admins are told. */
  persists: boolean;
};

/** What one probe found: whether HDE answered the account's cheap read, and when (epoch ms). */
export type ProbeVerdict = { answers: boolean; at: number };

// The key's own value never reaches Redis: a short digest tells key versions apart.
const keyVersion = (apiKey: string): string => createHash('sha256').update(apiKey).digest('hex').slice(0, 16);

/**
 * Tells a ban from a bad key. HDE's ban comes in forms not all recognisable as such (a 403 with
 * `e-403`, an HTML page from the proxy), so a 403 from a key that has worked before is treated as a
 * suspected ban — pause, then probe once — while a key that never worked is an auth error at once.
 */
export function createBanWatch(options: BanWatchOptions) {
  const { redis, prefix } = options;
  const workedKey = (integrationId: string, apiKey: string) => `{${prefix}}:hde-key-worked:${integrationId}:${keyVersion(apiKey)}`;
  const suspectKey = (account: string) => `{${prefix}}:hde-suspected-ban:${account}`;
  const probeLock = (account: string) => `{${prefix}}:hde-ban-probe:${account}`;
  const verdictKey = (account: string) => `{${prefix}}:hde-ban-probe-verdict:${account}`;
  const known = new Set<string>();

  return {
    /** Remembers that a key got an answer (at most one Redis write per key and process). */
    async keyWorked(integrationId: string, apiKey: string): Promise<void> {
      const key = workedKey(integrationId, apiKey);
      if (known.has(key)) return;
      await redis.set(key, '1', 'EX', 90 * 24 * 3600);
      known.add(key);
    },
    /** Whether this key has ever got an answer from HDE. */
    async hasWorked(integrationId: string, apiKey: string): Promise<boolean> {
      const key = workedKey(integrationId, apiKey);
      if (known.has(key)) return true;
      return (await redis.exists(key)) === 1;
    },
    /** The account's suspected ban, if any. */
    async suspected(account: string): Promise<SuspectedBan | undefined> {
      const raw = await redis.get(suspectKey(account));
      if (!raw) return undefined;
      try {
        return JSON.parse(raw) as SuspectedBan;
      } catch {
        return undefined;
      }
    },
    /** Marks a suspected ban (keeps the first one's start). */
    async suspect(account: string, integrationId: string): Promise<void> {
      const value: SuspectedBan = { since: Date.now(), integrationId, persists: false };
      await redis.set(suspectKey(account), JSON.stringify(value), 'EX', 30 * 24 * 3600, 'NX');
    },
    /** Records that the ban outlived its pause: the state admins see. */
    async persists(account: string, current: SuspectedBan): Promise<void> {
      await redis.set(suspectKey(account), JSON.stringify({ ...current, persists: true }), 'EX', 30 * 24 * 3600);
    },
    /** The account answers again. */
    async clear(account: string): Promise<void> {
      await redis.del(suspectKey(account));
    },
    /** One process probes at a time; the others wait for its verdict. */
    async takeProbe(account: string, ms: number): Promise<boolean> {
      return (await redis.set(probeLock(account), '1', 'PX', ms, 'NX')) === 'OK';
    },
    /** Ends a probe. */
    async releaseProbe(account: string): Promise<void> {
      await redis.del(probeLock(account));
    },
    /** Keeps a probe's verdict for a minute, for the calls refused while it ran. */
    async recordVerdict(account: string, verdict: ProbeVerdict): Promise<void> {
      await redis.set(verdictKey(account), JSON.stringify(verdict), 'EX', 60);
    },
    /**
     * Whether HDE answered the latest probe, when that probe was answered at or after `since`: a
     * verdict older than a refusal says nothing of it (a ban may have begun in between).
     */
    async verdictSince(account: string, since: number): Promise<boolean | undefined> {
      const raw = await redis.get(verdictKey(account));
      if (!raw) return undefined;
      try {
        const verdict = JSON.parse(raw) as ProbeVerdict;
        return verdict.at >= since ? verdict.answers : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
/** See {@link createBanWatch}. */
export type BanWatch = ReturnType<typeof createBanWatch>;

/** The account an integration talks to: every integration of one HDE account shares its budget and its ban. */
export function accountKeyOf(hdeBaseUrl: string): string {
  const url = new URL(hdeBaseUrl);
  return `${url.host}${trimTrailingSlashes(url.pathname)}`.toLowerCase().replace(/[^a-z0-9./_-]/g, '_');
}
