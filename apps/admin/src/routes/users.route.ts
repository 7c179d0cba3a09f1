import { Router } from 'express';
import type { AppDeps } from '../deps';
import { ctx, requireAdminRole } from '../context';
import { notFound } from '../errors';
import { isUuid } from '../services/access.service';
import { createUser, issueApiToken, loadOrgUser } from '../services/users.service';
import { apiTokensView, usersView } from '../views/users.view';
import { pageContext, sendPage } from '../views/page';

/** Users and personal API tokens: admins only. */
export function userRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(['/users', '/api-tokens'], (_req, res, next) => {
    requireAdminRole(ctx(res).user);
    next();
  });

  router.get('/users', async (req, res) => {
    const { user, t } = ctx(res);
    sendPage(req, res, t('users.title'), usersView(pageContext(req, res), await deps.admin.accounts.listUsers(user.organizationId)));
  });

  router.post('/users', async (req, res) => {
    await createUser(deps, ctx(res).user, req.body);
    res.redirect(303, '/users?flash=common.saved');
  });

  router.post('/users/:id', async (req, res) => {
    const { user } = ctx(res);
    const target = await loadOrgUser(deps, user, req.params.id);
    const body = req.body as Record<string, unknown>;
    // An admin cannot demote or disable themselves: the organization would risk having no admin.
    const self = target.id === user.id;
    await deps.admin.accounts.updateUser(target.id, {
      role: self ? undefined : body.role === 'admin' ? 'admin' : 'member',
      disabled: self ? undefined : body.disabled === '1',
    });
    res.redirect(303, '/users?flash=common.saved');
  });

  router.get('/api-tokens', async (req, res) => {
    const { user, t } = ctx(res);
    const [tokens, users] = await Promise.all([
      deps.admin.accounts.listApiTokens(user.organizationId),
      deps.admin.accounts.listUsers(user.organizationId),
    ]);
    sendPage(req, res, t('tokens.title'), apiTokensView(pageContext(req, res), { tokens, users }));
  });

  router.post('/api-tokens', async (req, res) => {
    const { user, t } = ctx(res);
    const body = req.body as Record<string, unknown>;
    const issued = await issueApiToken(deps, user, { userId: body.userId, name: body.name });
    const [tokens, users] = await Promise.all([
      deps.admin.accounts.listApiTokens(user.organizationId),
      deps.admin.accounts.listUsers(user.organizationId),
    ]);
    sendPage(req, res, t('tokens.title'), apiTokensView(pageContext(req, res), { tokens, users, issued: issued.token }));
  });

  router.post('/api-tokens/:id/revoke', async (req, res) => {
    const { user } = ctx(res);
    if (!isUuid(req.params.id) || !(await deps.admin.accounts.revokeApiToken(user.organizationId, req.params.id))) throw notFound();
    res.redirect(303, '/api-tokens?flash=common.saved');
  });

  return router;
}
