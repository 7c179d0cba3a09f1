import { createAdminRepos, hashPassword, type Store } from '@repo/store';
import { SetupError } from './setup.command';

/**
 * Creates an admin of the admin app (or makes an existing user an admin with a new password). The
 * user joins the given organization, else the first one (created with the given name when none exists).
 */
export async function createAdmin(
  store: Store,
  input: { email: string; password: string; organization: string; organizationId?: string },
): Promise<'created' | 'updated'> {
  if (input.password.length < 12) throw new SetupError('The password must have at least 12 characters');
  if (!/^[^@\s]+@[^@\s]+$/.test(input.email)) throw new SetupError('The e-mail is not valid');
  const admin = createAdminRepos(store.db);
  const hash = await hashPassword(input.password);
  const existing = await admin.accounts.findForLogin(input.email);
  if (existing) {
    await admin.accounts.updateUser(existing.user.id, { role: 'admin', disabled: false });
    await admin.accounts.setPasswordHash(existing.user.id, hash);
    return 'updated';
  }
  const organizationId = input.organizationId ?? (await admin.catalog.firstOrganization(input.organization)).id;
  await admin.accounts.createUser({ organizationId, email: input.email, role: 'admin', passwordHash: hash });
  return 'created';
}
