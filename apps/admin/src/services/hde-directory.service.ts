import { isHdeApiError, pickLocalised, staffGroupIds, type HdeClient } from '@repo/hde-client';
import type { Integration } from '@repo/store';
import type { AppDeps } from '../deps';
import { adminClientFor } from './hde-admin-budget';

/** A department or an agent as the dropdowns show it. */
export type DirectoryEntry = { id: number; name: string };

/** HDE's departments and active agents of an account, or why they could not be read. */
export type HdeDirectory =
  | {
      available: true;
      departments: DirectoryEntry[];
      agents: DirectoryEntry[];
      /**
       * The account's knowledge-base categories, for the KB sync's category field (integration pages
       * only); undefined when not read, or when HDE refused them (an account without the knowledge
       * base): the field then stays ids alone.
       */
      kbCategories?: DirectoryEntry[];
    }
  | { available: false; reason: string };

/** How long a directory read from HDE is reused. */
const DIRECTORY_TTL_MS = 10 * 60_000;
/** How long a failed read is remembered: a down HDE must not be asked again on every page view. */
const FAILURE_TTL_MS = 30_000;
/** Pages of staff users read at most (HDE pages hold 30 users). */
const MAX_USER_PAGES = 3;

/** A directory read and how long it may be reused (shorter when part of it failed for a passing reason). */
type Cached = { at: number; value: Promise<{ directory: HdeDirectory; ttlMs: number }> };
// One cache per app (tests start several apps in one process), keyed by integration and key version.
const caches = new WeakMap<AppDeps, Map<string, Cached>>();

async function readDirectory(
  hde: HdeClient,
  botUserId: number | null,
  knownAgents: readonly number[] = [],
): Promise<Extract<HdeDirectory, { available: true }>> {
  const departments = (await hde.listDepartments())
    .map((d) => ({ id: d.id, name: pickLocalised(d.name) || `#${d.id}` }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const groupList = await staffGroupIds(hde, [...(botUserId !== null ? [botUserId] : []), ...knownAgents]);
  const agents: DirectoryEntry[] = [];
  for (let page = 1; page <= MAX_USER_PAGES; page += 1) {
    const users = await hde.listUsers({ page, groupList });
    for (const u of users.items) {
      if (!u.isStaff || u.status !== 'active' || u.id === botUserId) continue;
      agents.push({ id: u.id, name: [u.name, u.lastname].filter(Boolean).join(' ') || u.email || `#${u.id}` });
    }
    if (page >= users.pagination.totalPages) break;
  }
  agents.sort((a, b) => a.name.localeCompare(b.name));
  return { available: true, departments, agents };
}

/**
 * The account's KB categories by name, or none when HDE would not list them (they only label a
 * field). `passing` says the refusal may end soon (the budget, a network error, HDE's 5xx or 429),
 * so the directory read with it is not kept the full ten minutes: an account without a knowledge
 * base refuses for good, a busy budget only for now.
 */
async function readKbCategories(
  hde: HdeClient,
  logger: AppDeps['logger'],
  integrationId: string,
): Promise<{ categories?: DirectoryEntry[]; passing: boolean }> {
  try {
    const categories = (await hde.listKbCategories())
      .map((c) => ({ id: c.id, name: pickLocalised(c.title) || `#${c.id}` }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
    return { categories, passing: false };
  } catch (error) {
    logger.warn('HDE knowledge-base categories could not be read', {
      integrationId,
      reason: isHdeApiError(error) ? error.reason : 'network',
    });
    return { passing: !isHdeApiError(error) || error.retryable };
  }
}

/**
 * The departments and agents for credentials not stored yet (setup), through the account's budget;
 * unavailable when HDE does not answer. Not cached: setup reads it once, when it needs it.
 */
export async function readHdeDirectory(
  deps: AppDeps,
  credentials: { baseUrl: string; email: string; apiKey: string },
  botUserId: number | null,
): Promise<HdeDirectory> {
  let hde: HdeClient | undefined;
  try {
    hde = deps.hdeClient({ ...credentials, budget: deps.hdeBudgets({ hdeBaseUrl: credentials.baseUrl }) });
    return await readDirectory(hde, botUserId);
  } catch (error) {
    return { available: false, reason: isHdeApiError(error) ? error.reason : 'network' };
  } finally {
    hde?.close();
  }
}

/**
 * The departments and agents of an integration's HDE account for the hand-off dropdowns (and its
 * knowledge-base categories, which label the KB sync's category field), read
 * through the account's budget and kept for 10 minutes per integration and API key version (a new
 * key reads again; `fresh` reads again anyway). When HDE cannot be reached the forms fall back to plain id inputs; the reason
 * is a short code, never the response.
 */
export async function hdeDirectory(deps: AppDeps, integration: Integration, options: { fresh?: boolean } = {}): Promise<HdeDirectory> {
  let cache = caches.get(deps);
  if (!cache) {
    cache = new Map();
    caches.set(deps, cache);
  }
  const key = `${integration.id}:${integration.apiKeyVersion}`;
  const now = Date.now();
  const found = cache.get(key);
  if (found && !options.fresh) {
    const { directory, ttlMs } = await found.value;
    if (now - found.at < ttlMs) return directory;
  }
  const value = (async (): Promise<{ directory: HdeDirectory; ttlMs: number }> => {
    let hde: HdeClient | undefined;
    try {
      hde = await adminClientFor(deps, integration);
      if (!hde) return { directory: { available: false, reason: 'no_credentials' }, ttlMs: FAILURE_TTL_MS };
      const directory = await readDirectory(
        hde,
        integration.botUserId,
        integration.handoffAgentId !== null ? [integration.handoffAgentId] : [],
      );
      const kb = await readKbCategories(hde, deps.logger, integration.id);
      return {
        directory: kb.categories ? { ...directory, kbCategories: kb.categories } : directory,
        ttlMs: kb.passing ? FAILURE_TTL_MS : DIRECTORY_TTL_MS,
      };
    } catch (error) {
      const reason = isHdeApiError(error) ? error.reason : 'network';
      deps.logger.warn('HDE departments and agents could not be read', { integrationId: integration.id, reason });
      return { directory: { available: false, reason }, ttlMs: FAILURE_TTL_MS };
    } finally {
      hde?.close();
    }
  })();
  cache.set(key, { at: now, value });
  return (await value).directory;
}

/** Forgets an integration's directory (after its key changed or it was deleted). */
export function forgetHdeDirectory(deps: AppDeps, integrationId: string): void {
  const cache = caches.get(deps);
  if (!cache) return;
  for (const key of [...cache.keys()]) if (key.startsWith(`${integrationId}:`)) cache.delete(key);
}

/** The name of a department or agent id, or `#id` when the directory does not know it. */
export function nameOf(entries: DirectoryEntry[] | undefined, id: number | null): string | null {
  if (id === null) return null;
  return entries?.find((e) => e.id === id)?.name ?? `#${id}`;
}
