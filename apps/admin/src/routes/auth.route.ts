import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps';
import type { Sessions } from '../auth/session';
import { burnPasswordCheck, verifyPassword } from '@repo/store';
import { createLoginLimiter } from '../auth/login-limiter';
import { lang } from '../context';
import type { Translate } from '../i18n/translate';
import { html } from '../views/html';
import { sendPage } from '../views/page';

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/dialogs';
}

/**
 * Why the browser will not keep the sign-in cookies, or undefined: `Secure` cookies (HTTPS only)
 * on a page served over plain http are dropped by every browser.
 */
function cookieProblem(req: Request, deps: AppDeps, t: Translate): string | undefined {
  return deps.settings.cookieSecure === true && !req.secure ? t('login.cookieInsecure') : undefined;
}

function loginPage(req: Request, res: Response, sessions: Sessions, error?: string, status = 200, deps?: AppDeps): void {
  const { t } = lang(res);
  error ??= deps ? cookieProblem(req, deps, t) : undefined;
  const token = sessions.csrf.tokenFor(sessions.preLoginBinding(req, res));
  const next = safeNext(req.query.next ?? (req.body as Record<string, unknown> | undefined)?.next);
  sendPage(
    req,
    res,
    t('login.title'),
    html`<form method="post" action="/login" class="card login">
      <input type="hidden" name="_csrf" value="${token}" /><input type="hidden" name="next" value="${next}" />
      <label for="email">${t('login.email')}</label><input id="email" name="email" type="email" autocomplete="username" required />
      <label for="password">${t('login.password')}</label
      ><input id="password" name="password" type="password" autocomplete="current-password" required />
      <p><button type="submit">${t('login.submit')}</button></p>
    </form>`,
    error ? { kind: 'error', text: error } : undefined,
    status,
  );
}

/** Sign-in, sign-out and the locale switch. */
export function authRoutes(deps: AppDeps, sessions: Sessions): Router {
  const router = Router();
  const limiter = createLoginLimiter({
    max: deps.settings.loginMaxAttempts,
    windowSeconds: deps.settings.loginWindowSeconds,
    onLimited: (req, res) => loginPage(req, res, sessions, lang(res).t('login.limited'), 429),
  });

  router.get('/login', (req, res) => loginPage(req, res, sessions, undefined, 200, deps));

  router.post('/login', ...limiter, async (req, res) => {
    const { t } = lang(res);
    const body = req.body as Record<string, unknown>;
    // No pre-sign-in cookie at all: the browser refused or dropped it, which "the form expired" would hide.
    if (!sessions.hasPreLoginCookie(req)) {
      return loginPage(req, res, sessions, cookieProblem(req, deps, t) ?? t('login.cookieMissing'), 403);
    }
    const binding = sessions.preLoginBinding(req, res);
    if (!sessions.csrf.verify(binding, body._csrf)) return loginPage(req, res, sessions, t('error.csrf'), 403);
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const found = email ? await deps.admin.accounts.findForLogin(email) : undefined;
    const ok =
      found?.passwordHash && !found.user.disabled
        ? await verifyPassword(password, found.passwordHash)
        : (await burnPasswordCheck(password), false);
    if (!ok || !found) {
      deps.logger.warn('Sign-in failed', { known: Boolean(found) });
      return loginPage(req, res, sessions, t('login.failed'), 401);
    }
    await sessions.start(req, res, found.user);
    deps.logger.info('Signed in', { userId: found.user.id });
    res.redirect(303, safeNext(body.next));
  });

  router.post('/logout', sessions.requireSession, sessions.checkCsrf, async (req, res) => {
    await sessions.end(req, res);
    res.redirect(303, '/login');
  });

  router.get('/locale', (req, res) => {
    const l = req.query.l === 'en' ? 'en' : 'ru';
    res.cookie(sessions.namesOf(req).locale, l, { ...sessions.cookieOptions(req), sameSite: 'lax', maxAge: 365 * 86400_000 });
    res.redirect(303, safeNext(req.query.back));
  });

  return router;
}
