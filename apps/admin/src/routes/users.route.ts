import { Router } from 'express';
import type { AppDeps } from '../deps';
import { ctx, requireAdminRole } from '../context';
import { notFound } from '../errors';
import { isUuid } from '../services/access.service';
import { FormError } from '../services/form-errors';
import { assertMayManage, createUser, deleteOrgUser, issueApiToken, loadOrgUser, resetOrgUserPassword } from '../services/users.service';
import { EMPTY_FORM, typedValues } from '../views/form-field';
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
    const { user, t } = ctx(res);
    try {
      await createUser(deps, user, req.body);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      // The typed values come back (never the password) with each message beside its field.
      const form = { values: typedValues(req.body, ['password']), errors: error.errors };
      const users = await deps.admin.accounts.listUsers(user.organizationId);
      sendPage(
        req,
        res,
        t('users.title'),
        usersView(pageContext(req, res), users, { form }),
        { kind: 'error', text: t('error.invalid') },
        400,
      );
      return;
    }
    res.redirect(303, '/users?flash=common.saved');
  });

  router.post('/users/:id/delete', async (req, res) => {
    await deleteOrgUser(deps, ctx(res).user, req.params.id);
    res.redirect(303, '/users?flash=users.deleted');
  });

  router.post('/users/:id/reset-password', async (req, res) => {
    const { user, t } = ctx(res);
    const reset = await resetOrgUserPassword(deps, user, req.params.id);
    const users = await deps.admin.accounts.listUsers(user.organizationId);
    // Shown once, on this response only: it is not stored anywhere but as a hash.
    sendPage(
      req,
      res,
      t('users.title'),
      usersView(pageContext(req, res), users, { form: EMPTY_FORM, reset: { email: reset.user.email, password: reset.password } }),
    );
  });

  router.post('/users/:id', async (req, res) => {
    const { user } = ctx(res);
    const target = await loadOrgUser(deps, user, req.params.id);
    const body = req.body as Record<string, unknown>;
    // An admin cannot demote or disable themselves: the organization would risk having no admin.
    const self = target.id === user.id;
    if (!self) assertMayManage(deps, user, target.email);
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
    let issued: { token: string } | undefined;
    let form = EMPTY_FORM;
    try {
      issued = await issueApiToken(deps, user, { userId: body.userId, name: body.name });
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      form = { values: typedValues(req.body), errors: error.errors };
    }
    const [tokens, users] = await Promise.all([
      deps.admin.accounts.listApiTokens(user.organizationId),
      deps.admin.accounts.listUsers(user.organizationId),
    ]);
    const view = apiTokensView(pageContext(req, res), { tokens, users, issued: issued?.token, form });
    if (issued) sendPage(req, res, t('tokens.title'), view);
    else sendPage(req, res, t('tokens.title'), view, { kind: 'error', text: t('error.invalid') }, 400);
  });

  router.post('/api-tokens/:id/revoke', async (req, res) => {
    const { user } = ctx(res);
    if (!isUuid(req.params.id) || !(await deps.admin.accounts.revokeApiToken(user.organizationId, req.params.id))) throw notFound();
    res.redirect(303, '/api-tokens?flash=common.saved');
  });

  return router;
}
