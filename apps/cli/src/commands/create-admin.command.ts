import { createAdminRepos, hashPassword, MIN_PASSWORD_LENGTH, type Store } from '@repo/store';
import { SetupError } from './setup.command';

/**
 * Creates an admin of the admin app (or makes an existing user an admin with a new password). The
 * user joins the organization given by id; else, with `joinNamed`, the one of that name (created if
 * none); else the first one (created with the given name when none exists).
 */
export async function createAdmin(
  store: Store,
  input: { email: string; password: string; organization: string; organizationId?: string; joinNamed?: boolean },
): Promise<'created' | 'updated'> {
  if (input.password.length < MIN_PASSWORD_LENGTH)
    throw new SetupError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  if (!/^[^@\s]+@[^@\s]+$/.test(input.email)) throw new SetupError('The e-mail is not valid');
  const admin = createAdminRepos(store.db);
  const hash = await hashPassword(input.password);
  const existing = await admin.accounts.findForLogin(input.email);
  if (existing) {
    await admin.accounts.updateUser(existing.user.id, { role: 'admin', disabled: false });
    await admin.accounts.setPasswordHash(existing.user.id, hash);
    return 'updated';
  }
  const organizationId =
    input.organizationId ??
    (input.joinNamed
      ? (await store.organizations.organizationNamed(input.organization)).id
      : (await admin.catalog.firstOrganization(input.organization)).id);
  await admin.accounts.createUser({ organizationId, email: input.email, role: 'admin', passwordHash: hash });
  return 'created';
}
