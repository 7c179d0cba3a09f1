import { z } from 'zod';
import type { AdminUser } from '@repo/store';
import type { AppDeps } from '../deps';
import { hashPassword } from '@repo/store';
import { invalid, notFound } from '../errors';
import { isUuid } from './access.service';

/** A new user as the form and the API accept it. */
export const NewUserSchema = z.object({
  email: z.string().trim().email().max(200),
  name: z.string().trim().max(200).default(''),
  password: z.string().min(10).max(200),
  role: z.enum(['admin', 'member']).default('member'),
});

/** Creates a user of the admin's organization; a taken e-mail is a 400. */
export async function createUser(deps: AppDeps, admin: AdminUser, input: unknown): Promise<AdminUser> {
  const parsed = NewUserSchema.safeParse(input);
  if (!parsed.success) throw invalid();
  if (await deps.admin.accounts.findForLogin(parsed.data.email)) throw invalid();
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
  const name = typeof input.name === 'string' ? input.name.trim().slice(0, 100) : '';
  if (!name) throw invalid();
  const issued = await deps.admin.accounts.issueApiToken({ userId: target.id, name, createdBy: admin.id });
  deps.logger.info('API token issued', { tokenId: issued.id, userId: target.id, by: admin.id });
  return issued;
}
