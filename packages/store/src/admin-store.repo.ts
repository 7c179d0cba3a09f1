import type { Db } from './db';
import { createAdminAccountsRepo } from './admin-accounts.repo';
import { createAdminAccessRepo } from './admin-access.repo';
import { createAdminCatalogRepo } from './admin-catalog.repo';
import { createAdminDialogsRepo } from './admin-dialogs.repo';

/** The admin app's repositories over the store's pool. */
export function createAdminRepos(db: Db) {
  return {
    accounts: createAdminAccountsRepo(db),
    access: createAdminAccessRepo(db),
    catalog: createAdminCatalogRepo(db),
    dialogs: createAdminDialogsRepo(db),
  };
}
/** See {@link createAdminRepos}. */
export type AdminRepos = ReturnType<typeof createAdminRepos>;
