import type { Logger } from '@repo/logger';
import type { AdminRepos } from '@repo/store';
import { hashPassword } from '@repo/store';

/**
 * Creates the first admin from configuration when no admin exists yet (first start). Does nothing
 * once any admin exists, so changing the variables later never resets a password.
 */
export async function ensureBootstrapAdmin(
  admin: AdminRepos,
  logger: Logger,
  input: { email?: string; password?: string; organization: string },
): Promise<'created' | 'exists' | 'not_configured'> {
  if ((await admin.accounts.countAdmins()) > 0) return 'exists';
  if (!input.email || !input.password) {
    logger.warn('No admin exists and ADMIN_BOOTSTRAP_EMAIL/PASSWORD are not set; create one with the CLI (npm run cli -- create-admin)');
    return 'not_configured';
  }
  const org = await admin.catalog.firstOrganization(input.organization);
  const existing = await admin.accounts.findForLogin(input.email);
  if (existing) {
    await admin.accounts.updateUser(existing.user.id, { role: 'admin', disabled: false });
    await admin.accounts.setPasswordHash(existing.user.id, await hashPassword(input.password));
  } else {
    await admin.accounts.createUser({
      organizationId: org.id,
      email: input.email,
      role: 'admin',
      passwordHash: await hashPassword(input.password),
    });
  }
  logger.info('First admin created from configuration', { organizationId: org.id });
  return 'created';
}
