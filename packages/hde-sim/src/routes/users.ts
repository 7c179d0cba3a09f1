import { pageNumber, paginate } from '../pagination';
import type { UserRecord } from '../records';
import { intList, optionalInt, optionalString } from '../request-values';
import { notFound } from '../api-error';
import { accountGroups, userGroup } from '../serialize';
import { pathId } from './ids';
import { ok, type RouteDef } from './route-types';

/** `/users/` routes: list (search, group_list) and get. Listing is oldest first by id. */
export const userRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/users',
    handler: ({ account, query }) => {
      const search = optionalString(query.search, 'search')?.trim().toLowerCase();
      const exact = optionalInt(query.exact_search, 'exact_search') === 0;
      const groups = intList(query.group_list, 'group_list');
      const matches = (u: UserRecord): boolean => {
        if (groups && !groups.includes(userGroup(account.directory, u).id)) return false;
        if (!search) return true;
        const fields = [u.email, u.name, u.lastname, `${u.name} ${u.lastname}`.trim()].map((f) => f.toLowerCase());
        return exact ? fields.includes(search) : fields.some((f) => f.includes(search));
      };
      const users = [...account.directory.users.values()].filter(matches);
      const page = paginate(users, pageNumber(query.page));
      return ok(
        page.items.map((u) => account.serializer.user(u)),
        page.pagination,
      );
    },
  },
  {
    // Seen in a public SDK (SDK-TS), not in HDE's documentation: an account may not answer it at
    // all (variant `groupsEndpoint: 'absent'`), as for any path HDE does not know.
    method: 'GET',
    path: '/groups',
    handler: ({ account }) => {
      if (account.settings.variant.groupsEndpoint === 'absent') throw notFound('Route not found');
      return ok(accountGroups(account.directory));
    },
  },
  {
    method: 'GET',
    path: '/users/:id',
    handler: ({ account, params }) => ok(account.serializer.user(account.directory.user(pathId(params.id, 'User')))),
  },
];
