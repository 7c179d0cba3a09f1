import type { HdeClient } from '@repo/hde-client';
import type { Integration } from '@repo/store';
import type { AppDeps } from '../deps';
import { adminClientFor } from './hde-admin-budget';

/** How long a name read from HDE is reused: people rarely rename themselves. */
const NAME_TTL_MS = 60 * 60_000;
/** How long a failed read is remembered, so a down HDE is not asked again on every page view. */
const FAILURE_TTL_MS = 60_000;
/** Users read at most per page view; the rest show their id until a later view. */
const MAX_LOOKUPS = 10;
/** Names kept at most per app. */
const MAX_CACHED = 20_000;
/** How long a page waits for HDE in all before it shows ids instead. */
const PAGE_DEADLINE_MS = 2500;

type Cached = { at: number; name: string | null };
// One cache per app (tests start several apps in one process), keyed by integration, key version and user id.
const caches = new WeakMap<AppDeps, Map<string, Cached>>();

function cacheOf(deps: AppDeps): Map<string, Cached> {
  let cache = caches.get(deps);
  if (!cache) {
    cache = new Map();
    caches.set(deps, cache);
  }
  return cache;
}

/**
 * Names of HDE users (agents) by id, for the dialog page. Read with `GET /users/{id}/` through the
 * account's admin budget (shared with the app's other HDE reads, and stopping when HDE's account-wide
 * counter runs low, so the worker's replies keep their share), cached for an hour per integration
 * and API key version. An id HDE cannot tell about in time (down, over budget, unknown user) is left
 * out: the page shows the id instead.
 */
export async function hdeUserNames(deps: AppDeps, integration: Integration, ids: number[]): Promise<Map<number, string>> {
  const cache = cacheOf(deps);
  const keyOf = (id: number) => `${integration.id}:${integration.apiKeyVersion}:${id}`;
  const now = Date.now();
  const names = new Map<number, string>();
  const missing: number[] = [];
  for (const id of new Set(ids)) {
    const found = cache.get(keyOf(id));
    if (found && now - found.at < (found.name ? NAME_TTL_MS : FAILURE_TTL_MS)) {
      if (found.name) names.set(id, found.name);
    } else missing.push(id);
  }
  if (missing.length === 0) return names;

  let hde: HdeClient | undefined;
  const deadline = now + PAGE_DEADLINE_MS;
  try {
    hde = await adminClientFor(deps, integration);
    if (!hde) return names;
    const client = hde;
    for (const id of missing.slice(0, MAX_LOOKUPS)) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), left);
      });
      const user = await Promise.race([client.getUser(id).catch(() => null), timeout]).finally(() => clearTimeout(timer));
      // `undefined`: out of time, not remembered (the read may still be queued behind the budget).
      if (user === undefined) break;
      const name = user ? [user.name, user.lastname].filter(Boolean).join(' ').trim() || user.email || null : null;
      // Bounded: a runaway number of ids (many accounts, long uptime) starts the cache afresh.
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(keyOf(id), { at: Date.now(), name });
      if (name) names.set(id, name);
    }
  } catch (error) {
    deps.logger.warn('HDE user names could not be read', { integrationId: integration.id, error: (error as Error).name });
  } finally {
    hde?.close();
  }
  return names;
}
