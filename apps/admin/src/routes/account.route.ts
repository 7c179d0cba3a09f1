import { Router } from 'express';
import { hashPassword, verifyPassword } from '@repo/store';
import type { AppDeps } from '../deps';
import { ctx } from '../context';
import { cookieNamesFor, cookiesOf } from '../auth/session';
import { accountView } from '../views/account.view';
import type { FieldErrors } from '../views/form-field';
import { pageContext, sendPage } from '../views/page';

/** The signed-in user's own account: change the password (every other session of theirs ends). */
export function accountRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/account', (req, res) => {
    const { user, t } = ctx(res);
    sendPage(req, res, t('account.title'), accountView(pageContext(req, res), user));
  });

  router.post('/account/password', async (req, res) => {
    const { user, t } = ctx(res);
    const body = req.body as Record<string, unknown>;
    const current = String(body.current ?? '');
    const password = String(body.password ?? '');
    const found = await deps.admin.accounts.findForLogin(user.email);
    const currentOk = Boolean(found?.passwordHash) && (await verifyPassword(current, found!.passwordHash!));
    // Each problem is shown beside its field; the password fields are never filled back in.
    const errors: FieldErrors = {};
    if (!currentOk) errors.current = 'account.wrongPassword';
    if (password.length < 10 || password.length > 200) errors.password = 'account.tooShort';
    else if (password !== String(body.repeat ?? '')) errors.repeat = 'account.mismatch';
    const first = Object.values(errors)[0];
    if (first) {
      sendPage(req, res, t('account.title'), accountView(pageContext(req, res), user, errors), { kind: 'error', text: t(first) }, 400);
      return;
    }
    await deps.admin.accounts.setPasswordHash(
      user.id,
      await hashPassword(password),
      cookiesOf(req)[cookieNamesFor(req, deps.settings.cookieSecure).session],
    );
    deps.logger.info('Password changed', { userId: user.id });
    res.redirect(303, '/account?flash=account.passwordChanged');
  });
  return router;
}
