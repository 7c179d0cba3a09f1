import { PRIORITIES, TICKET_TYPES } from '../directory';
import { keyById } from '../wire-json';
import { ok, type RouteDef } from './route-types';

/**
 * Dictionaries: departments and custom fields come id-keyed (like the published samples), statuses,
 * priorities and types as arrays. None of them is paginated.
 */
export const dictionaryRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/departments',
    handler: ({ account }) => ok(keyById([...account.directory.departments.values()])),
  },
  {
    method: 'GET',
    path: '/statuses',
    handler: ({ account }) => ok([...account.directory.statuses.values()]),
  },
  { method: 'GET', path: '/priorities', handler: () => ok(PRIORITIES) },
  { method: 'GET', path: '/types', handler: () => ok(TICKET_TYPES) },
  {
    method: 'GET',
    path: '/custom_fields',
    handler: ({ account }) => ok(keyById([...account.directory.customFields.values()].map((f) => account.serializer.customField(f)))),
  },
];
