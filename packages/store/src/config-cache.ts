import { Client } from 'pg';
import type { Db } from './db';
import type { Integration, IntegrationsRepo } from './integrations.repo';
import type { OrganizationsRepo, SkillRow } from './organizations.repo';

/** The channel the integrations and skills triggers announce changes on ('<table>:<id>'). */
export const CONFIG_CHANGED_CHANNEL = 'hde_config_changed';

/** Options of {@link createConfigCache}. */
export type ConfigCacheOptions = {
  /** Longest an entry is served without a reload, even when no change was announced (ms). */
  maxAgeMs?: number;
  /** Wait before listening again after the listening connection dropped (ms). */
  reconnectMs?: number;
  onError?: (error: unknown) => void;
  /**
   * Called with every change announced ('<table>:<id>'), also of tables this cache keeps nothing of
   * (`webhook_tokens`: the ingress drops its verified tokens).
   */
  onChange?: (key: string) => void;
};

type Entry<T> = { value: Promise<T | undefined>; at: number };

/**
 * An in-process copy of what every message reads and admins rarely change: integrations (with the
 * bot user id) and skills. Invalidation is explicit: a trigger announces each change of either table
 * on {@link CONFIG_CHANGED_CHANNEL} and the entry is dropped at once. Entries are served only while
 * the process is listening — while the listening connection is down every read goes to PostgreSQL —
 * and never older than `maxAgeMs`. Concurrent misses of one key share one query.
 */
export function createConfigCache(
  deps: { db: Db; integrations: Pick<IntegrationsRepo, 'get'>; organizations: Pick<OrganizationsRepo, 'getSkill'> },
  options: ConfigCacheOptions = {},
) {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const reconnectMs = options.reconnectMs ?? 1000;
  const entries = new Map<string, Entry<unknown>>();
  let listening = false;
  let closed = false;
  let client: Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  const counts = { hits: 0, misses: 0, invalidations: 0 };

  function read<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!listening) return load();
    const now = Date.now();
    const found = entries.get(key) as Entry<T> | undefined;
    if (found && now - found.at < maxAgeMs) {
      counts.hits += 1;
      return found.value;
    }
    counts.misses += 1;
    const entry: Entry<T> = { value: load(), at: now };
    entries.set(key, entry);
    // A failed read is not remembered; neither is "not found" (it may be created in a moment).
    entry.value.then(
      (value) => {
        if (value === undefined && entries.get(key) === entry) entries.delete(key);
      },
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return entry.value;
  }

  function invalidate(key: string): void {
    counts.invalidations += 1;
    entries.delete(key);
  }

  function dropped(error?: unknown): void {
    // Without the channel a change could go unnoticed: stop serving copies until listening again.
    listening = false;
    entries.clear();
    if (error) options.onError?.(error);
    const old = client;
    client = undefined;
    old?.removeAllListeners();
    old?.on('error', () => undefined);
    void old?.end().catch(() => undefined);
    if (!closed && !timer) timer = setTimeout(() => void listen(), reconnectMs);
  }

  async function listen(): Promise<void> {
    timer = undefined;
    if (closed) return;
    const next = new Client({ connectionString: deps.db.pool.options.connectionString, application_name: 'config-cache' });
    next.on('error', (error) => dropped(error));
    next.on('end', () => {
      if (client === next) dropped();
    });
    next.on('notification', (message) => {
      if (message.channel !== CONFIG_CHANGED_CHANNEL || !message.payload) return;
      invalidate(message.payload);
      options.onChange?.(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CONFIG_CHANGED_CHANNEL}`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
      entries.clear();
      listening = true;
      // Changes made while the channel was down were missed: whoever keeps copies drops them.
      options.onChange?.('*');
    } catch (error) {
      next.removeAllListeners();
      next.on('error', () => undefined);
      void next.end().catch(() => undefined);
      dropped(error);
    }
  }

  return {
    /** An integration, from memory when a fresh copy is there. */
    integration(id: string): Promise<Integration | undefined> {
      return read(`integrations:${id}`, () => deps.integrations.get(id));
    },
    /** A skill, from memory when a fresh copy is there. */
    skill(id: string): Promise<SkillRow | undefined> {
      return read(`skills:${id}`, () => deps.organizations.getSkill(id));
    },
    /** Drops the copy of one row ('integrations:<id>' or 'skills:<id>'). */
    invalidate,
    /** Starts listening for changes; until then (and whenever the channel is down) nothing is cached. */
    start: listen,
    /** Whether copies are being served. */
    isListening: () => listening,
    stats: () => ({ ...counts, entries: entries.size }),
    async close(): Promise<void> {
      closed = true;
      listening = false;
      if (timer) clearTimeout(timer);
      entries.clear();
      const old = client;
      client = undefined;
      old?.removeAllListeners();
      old?.on('error', () => undefined);
      await old?.end().catch(() => undefined);
    },
  };
}
/** See {@link createConfigCache}. */
export type ConfigCache = ReturnType<typeof createConfigCache>;

/**
 * The store with integrations and skills read through `cache` (the pipeline's reads); writes go to
 * PostgreSQL as before and drop the written row's copy at once in this process too.
 */
export function withConfigCache<S extends { integrations: IntegrationsRepo; organizations: OrganizationsRepo }>(
  store: S,
  cache: ConfigCache,
): S {
  const { integrations, organizations } = store;
  return {
    ...store,
    integrations: {
      ...integrations,
      get: (id: string) => cache.integration(id),
      async update(id: string, patch: Parameters<IntegrationsRepo['update']>[1]) {
        try {
          return await integrations.update(id, patch);
        } finally {
          cache.invalidate(`integrations:${id}`);
        }
      },
      async delete(id: string, organizationId: string) {
        try {
          return await integrations.delete(id, organizationId);
        } finally {
          cache.invalidate(`integrations:${id}`);
        }
      },
    },
    organizations: {
      ...organizations,
      getSkill: (id: string) => cache.skill(id),
      async updateSkillSettings(id: string, settings: unknown) {
        try {
          await organizations.updateSkillSettings(id, settings);
        } finally {
          cache.invalidate(`skills:${id}`);
        }
      },
    },
  };
}
