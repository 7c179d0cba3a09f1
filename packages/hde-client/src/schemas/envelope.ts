import type { z } from 'zod';
import type { HdePage, HdePagination } from '../hde-types';
import { toIntOrNull, toList } from './common';

/** Thrown when a 2xx body is not HDE's `{"data": …}` envelope; the client turns it into `invalid_response`. */
export class EnvelopeError extends Error {
  constructor() {
    super('Unexpected HDE response shape');
    this.name = 'EnvelopeError';
  }
}

function dataOf(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !('data' in body)) throw new EnvelopeError();
  return (body as { data: unknown }).data;
}

/**
 * The single object in `data`. Some single-object calls (`GET /custom_fields/:id`, maybe KB articles)
 * wrap it id-keyed like lists, `{"2": {...}}`; that is unwrapped.
 */
export function readOne<T>(body: unknown, schema: z.ZodType<T>): T {
  const data = dataOf(body);
  const direct = schema.safeParse(data);
  if (direct.success) return direct.data;
  if (data && typeof data === 'object' && !Array.isArray(data) && !('id' in data)) {
    const values = Object.values(data);
    if (values.length === 1) {
      const inner = schema.safeParse(values[0]);
      if (inner.success) return inner.data;
    }
  }
  throw new EnvelopeError();
}

function readPagination(body: unknown, count: number, page: number): HdePagination {
  const raw = (body as { pagination?: unknown }).pagination;
  const p = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const total = toIntOrNull(p.total) ?? count;
  const perPage = toIntOrNull(p.per_page) ?? count;
  return {
    total,
    perPage,
    currentPage: toIntOrNull(p.current_page) ?? page,
    totalPages: toIntOrNull(p.total_pages) ?? (perPage > 0 ? Math.max(1, Math.ceil(total / perPage)) : 1),
  };
}

/**
 * A list from `data`, which HDE sends as an array or as an object keyed by id (tickets, KB);
 * entries that fail the schema are skipped and counted rather than failing the page.
 */
export function readPage<T>(body: unknown, schema: z.ZodType<T>, page = 1): HdePage<T> {
  const data = dataOf(body);
  if (data !== null && typeof data !== 'object') throw new EnvelopeError();
  const items: T[] = [];
  let skipped = 0;
  for (const entry of toList(data)) {
    const r = schema.safeParse(entry);
    if (r.success) items.push(r.data);
    else skipped += 1;
  }
  return { items, pagination: readPagination(body, items.length + skipped, page), skipped };
}
