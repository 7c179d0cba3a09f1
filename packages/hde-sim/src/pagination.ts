import type { HdePagination } from './wire-types';

/** HDE's page size for tickets, posts, comments and users; `per_page` requests are ignored. */
export const PAGE_SIZE = 30;

/** Reads a `page` query value: a positive integer, anything else means page 1. */
export function pageNumber(value: unknown): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** Cuts one page out of a list and describes it the way HDE does. */
export function paginate<T>(items: readonly T[], page: number, perPage = PAGE_SIZE): { items: T[]; pagination: HdePagination } {
  const start = (page - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    pagination: {
      total: items.length,
      per_page: perPage,
      current_page: page,
      // Yii-style page count: an empty list has 0 pages.
      total_pages: Math.ceil(items.length / perPage),
    },
  };
}
