import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse } from 'cookie';
import type { AdminUser } from '@repo/store';
import type { AppDeps } from '../deps';
import type { RequestContext } from '../context';
import { isOperatorEmail, lang } from '../context';
import { HttpError } from '../errors';
import { createCsrf } from './csrf';

/** Cookie names; `__Host-` pins the session cookie to this origin and path `/` when served over HTTPS. */
export function cookieNames(secure: boolean) {
  return { session: secure ? '__Host-hde_sid' : 'hde_sid', preLogin: secure ? '__Host-hde_pre' : 'hde_pre', locale: 'hde_lang' };
}

/** Whether cookies of this request are `Secure`: per the setting, or under `auto` when it came over HTTPS. */
export function secureFor(req: Request, setting: boolean | 'auto'): boolean {
  return setting === 'auto' ? req.secure : setting;
}

/** The cookie names of this request (see {@link cookieNames}). */
export function cookieNamesFor(req: Request, setting: boolean | 'auto') {
  return cookieNames(secureFor(req, setting));
}

/** Reads the request's cookies. */
export function cookiesOf(req: Request): Record<string, string | undefined> {
  return parse(req.headers.cookie ?? '');
}

/** Session handling: sign-in, sign-out, the current user, CSRF. */
export function createSessions(deps: AppDeps) {
  const { settings } = deps;
  const csrf = createCsrf(settings.sessionSecret);
  const namesOf = (req: Request) => cookieNamesFor(req, settings.cookieSecure);
  const cookieOptions = (req: Request) => ({
    httpOnly: true,
    secure: secureFor(req, settings.cookieSecure),
    sameSite: 'strict' as const,
    path: '/',
  });

  function setContext(res: Response, user: AdminUser, via: RequestContext['via'], binding: string) {
    const { t } = lang(res);
    // A user's own locale wins over the browser's once they have chosen one with the switch.
    res.locals.ctx = {
      user,
      via,
      csrf: via === 'session' ? csrf.tokenFor(binding) : '',
      operator: user.role === 'admin' && isOperatorEmail(settings, user.email),
      locale: res.locals.locale,
      t,
    } satisfies RequestContext;
  }

  return {
    csrf,
    namesOf,
    cookieOptions,

    /** Starts a session after a successful sign-in. */
    async start(req: Request, res: Response, user: AdminUser): Promise<void> {
      const names = namesOf(req);
      const sessionId = await deps.admin.accounts.createSession(user.id, settings.sessionTtlSeconds);
      res.cookie(names.session, sessionId, { ...cookieOptions(req), maxAge: settings.sessionTtlSeconds * 1000 });
      res.clearCookie(names.preLogin, cookieOptions(req));
    },

    /** Ends the current session. */
    async end(req: Request, res: Response): Promise<void> {
      const names = namesOf(req);
      const sessionId = cookiesOf(req)[names.session];
      if (sessionId) await deps.admin.accounts.deleteSession(sessionId);
      res.clearCookie(names.session, cookieOptions(req));
    },

    /** The pre-sign-in CSRF binding (created on the login page), as a double-submit cookie. */
    preLoginBinding(req: Request, res: Response): string {
      const names = namesOf(req);
      const existing = cookiesOf(req)[names.preLogin];
      if (existing && existing.length >= 16) return existing;
      const binding = csrf.newBinding();
      res.cookie(names.preLogin, binding, { ...cookieOptions(req), maxAge: 3600_000 });
      return binding;
    },

    /** Whether the browser sent back the pre-sign-in cookie (it refuses Secure cookies over plain http). */
    hasPreLoginCookie(req: Request): boolean {
      return Boolean(cookiesOf(req)[namesOf(req).preLogin]);
    },

    /** Web pages: a live session or a redirect to the sign-in page. */
    requireSession: (async (req: Request, res: Response, next: NextFunction) => {
      const sessionId = cookiesOf(req)[namesOf(req).session];
      const user = sessionId ? await deps.admin.accounts.sessionUser(sessionId, settings.sessionTtlSeconds) : undefined;
      if (!user || !sessionId) {
        if (req.method === 'GET' || req.method === 'HEAD') {
          res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
          return;
        }
        throw new HttpError(401, 'unauthenticated', 'error.notFound');
      }
      setContext(res, user, 'session', sessionId);
      next();
    }) as RequestHandler,

    /** Every state-changing form carries the session's CSRF token in `_csrf`. */
    checkCsrf: ((req: Request, res: Response, next: NextFunction) => {
      if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
      const sessionId = cookiesOf(req)[namesOf(req).session] ?? '';
      const token = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
      if (!csrf.verify(sessionId, token)) throw new HttpError(403, 'csrf', 'error.csrf');
      next();
    }) as RequestHandler,

    /** The JSON API: `Authorization: Bearer <personal token>`. */
    requireApiToken: (async (req: Request, res: Response, next: NextFunction) => {
      const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      const found = match?.[1] ? await deps.admin.accounts.apiTokenUser(match[1]) : undefined;
      if (!found) {
        res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthenticated' });
        return;
      }
      setContext(res, found.user, 'token', '');
      next();
    }) as RequestHandler,
  };
}
/** See {@link createSessions}. */
export type Sessions = ReturnType<typeof createSessions>;
