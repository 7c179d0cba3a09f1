import type { Response } from 'express';
import type { AdminUser, Viewer } from '@repo/store';
import type { AppSettings } from './deps';
import type { Locale } from './i18n/messages';
import type { Translate } from './i18n/translate';
import { forbidden } from './errors';

/** Who is asking and in which language; set by the auth middleware on `res.locals`. */
export type RequestContext = {
  user: AdminUser;
  via: 'session' | 'token';
  /** The CSRF token to put in forms (sessions only). */
  csrf: string;
  /** One of the deployment's operators (see `AppSettings.queueOperators`): may open Bull Board. */
  operator: boolean;
  locale: Locale;
  t: Translate;
};

/** The signed-in user's context; throws when a route forgot the auth middleware. */
export function ctx(res: Response): RequestContext {
  const value = res.locals.ctx as RequestContext | undefined;
  if (!value) throw new Error('Route is missing authentication');
  return value;
}

/** The locale and translator of any request (signed in or not). */
export function lang(res: Response): { locale: Locale; t: Translate } {
  return { locale: res.locals.locale as Locale, t: res.locals.t as Translate };
}

/** The store's view of the user, for access filters. */
export function viewerOf(user: AdminUser): Viewer {
  return { userId: user.id, organizationId: user.organizationId, role: user.role };
}

/** Throws 403 unless the user is an admin. */
export function requireAdminRole(user: AdminUser): void {
  if (user.role !== 'admin') throw forbidden();
}

/** Whether an e-mail is one of the deployment's operators' (`AppSettings.queueOperators`). */
export function isOperatorEmail(settings: Pick<AppSettings, 'queueOperators'>, email: string): boolean {
  return settings.queueOperators.has(email.trim().toLowerCase());
}

/** Throws 403 unless the user is one of the deployment's operators (Bull Board). */
export function requireOperator(context: RequestContext): void {
  if (!context.operator) throw forbidden();
}
