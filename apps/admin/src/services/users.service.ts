import { z } from 'zod';
import type { AdminUser } from '@repo/store';
import type { AppDeps } from '../deps';
import { hashPassword, MIN_PASSWORD_LENGTH } from '@repo/store';
import { randomInt } from 'node:crypto';
import { isOperatorEmail } from '../context';
import { HttpError, invalid, notFound } from '../errors';
import { isUuid } from './access.service';
import { fieldErrorsOf, FormError } from './form-errors';

/** A new user as the form and the API accept it. */
export const NewUserSchema = z.object({
  email: z.string().trim().email().max(200),
  name: z.string().trim().max(200).default(''),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(200),
  role: z.enum(['admin', 'member']).default('member'),
});

/**
 * Operator accounts are managed by operators only: being an operator follows from the e-mail, so an
 * organization's admin who could create, reset, re-role or take tokens for such an account could
 * make themselves one. Throws 403 otherwise.
 */
export function assertMayManage(deps: AppDeps, admin: AdminUser, targetEmail: string): void {
  if (isOperatorEmail(deps.settings, targetEmail) && !isOperatorEmail(deps.settings, admin.email))
    throw new HttpError(403, 'operator_only', 'users.operatorOnly');
}

/**
 * Creates a user of the admin's organization. What does not pass is a {@link FormError} with the
 * message per field (a taken e-mail too), so the form can show it beside the field.
 */
export async function createUser(deps: AppDeps, admin: AdminUser, input: unknown): Promise<AdminUser> {
  const parsed = NewUserSchema.safeParse(input);
  if (!parsed.success)
    throw new FormError(fieldErrorsOf(parsed.error, { email: 'form.email', name: 'form.tooLong', password: 'form.passwordLength' }));
  assertMayManage(deps, admin, parsed.data.email);
  if (await deps.admin.accounts.findForLogin(parsed.data.email)) throw new FormError({ email: 'form.emailTaken' });
  const user = await deps.admin.accounts.createUser({
    organizationId: admin.organizationId,
    email: parsed.data.email,
    name: parsed.data.name,
    role: parsed.data.role,
    passwordHash: await hashPassword(parsed.data.password),
  });
  deps.logger.info('User created', { userId: user.id, role: user.role, by: admin.id });
  return user;
}

/** A user of the admin's organization, or 404. */
export async function loadOrgUser(deps: AppDeps, admin: AdminUser, id: unknown): Promise<AdminUser> {
  const user = isUuid(id) ? await deps.admin.accounts.getUser(id) : undefined;
  if (!user || user.organizationId !== admin.organizationId) throw notFound();
  return user;
}

/** Issues a personal API token for a user of the organization; the token is returned once. */
export async function issueApiToken(
  deps: AppDeps,
  admin: AdminUser,
  input: { userId: unknown; name: unknown },
): Promise<{ id: string; token: string }> {
  const target = await loadOrgUser(deps, admin, input.userId);
  assertMayManage(deps, admin, target.email);
  const name = typeof input.name === 'string' ? input.name.trim().slice(0, 100) : '';
  if (!name) throw new FormError({ name: 'form.name100' });
  const issued = await deps.admin.accounts.issueApiToken({ userId: target.id, name, createdBy: admin.id });
  deps.logger.info('API token issued', { tokenId: issued.id, userId: target.id, by: admin.id });
  return issued;
}

/**
 * Deletes another user of the admin's organization: never the admin themself, never the last
 * enabled admin. Their sessions and API tokens go with them (database cascade).
 */
export async function deleteOrgUser(deps: AppDeps, admin: AdminUser, id: unknown): Promise<void> {
  const target = await loadOrgUser(deps, admin, id);
  if (target.id === admin.id) throw invalid('users.cannotDeleteSelf');
  assertMayManage(deps, admin, target.email);
  const outcome = await deps.admin.accounts.deleteUser(admin.organizationId, target.id);
  if (outcome === 'not_found') throw notFound();
  if (outcome === 'last_admin') throw new HttpError(409, 'last_admin', 'users.lastAdmin');
  deps.logger.info('User deleted', { userId: target.id, by: admin.id });
}

/** A generated password: 16 characters from an alphabet without look-alikes (about 90 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/**
 * Resets a user's password to a generated one, returned once for the admin to hand over; every
 * session of that user ends (the admin's own too when they reset themself).
 */
export async function resetOrgUserPassword(deps: AppDeps, admin: AdminUser, id: unknown): Promise<{ user: AdminUser; password: string }> {
  const target = await loadOrgUser(deps, admin, id);
  // One's own password is changed on the account page, where the current one is asked for.
  if (target.id === admin.id) throw invalid('users.useAccountPage');
  assertMayManage(deps, admin, target.email);
  const password = generatePassword();
  await deps.admin.accounts.setPasswordHash(target.id, await hashPassword(password));
  deps.logger.info('Password reset by an admin', { userId: target.id, by: admin.id });
  return { user: target, password };
}
