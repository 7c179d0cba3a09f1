import type { Request, Response } from 'express';
import type { RequestContext } from '../context';
import { MESSAGES, type MessageKey } from '../i18n/messages';
import type { Translate } from '../i18n/translate';
import type { Flash, PageContext } from './layout';
import { layout } from './layout';
import type { Html } from './html';

/** The page context of a request (signed in or not). */
export function pageContext(req: Request, res: Response): PageContext {
  const c = res.locals.ctx as RequestContext | undefined;
  return {
    t: res.locals.t as Translate,
    locale: res.locals.locale,
    user: c?.user,
    operator: c?.operator,
    csrf: c?.csrf,
    path: req.originalUrl,
  };
}

/** Flash from a redirect's `?flash=<message key>`; only known keys are shown. */
export function flashOf(req: Request, t: Translate): Flash {
  const key = req.query.flash;
  if (typeof key !== 'string' || !(key in MESSAGES)) return undefined;
  return { kind: key.startsWith('error.') ? 'error' : 'ok', text: t(key as MessageKey) };
}

/** Renders a page with the frame. */
export function sendPage(req: Request, res: Response, title: string, content: Html, flash?: Flash, status = 200): void {
  const p = pageContext(req, res);
  res
    .status(status)
    .type('html')
    .send(layout(p, title, content, flash ?? flashOf(req, p.t)));
}
