import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from './deps';
import { createSessions } from './auth/session';
import { cookiesOf, cookieNames } from './auth/session';
import { ctx, requireOperator } from './context';
import { HttpError } from './errors';
import { pickLocale, translator } from './i18n/translate';
import { APP_CSS, APP_JS } from './static/assets';
import { html } from './views/html';
import { sendPage } from './views/page';
import { authRoutes } from './routes/auth.route';
import { queuesBoard, QUEUES_PATH } from './routes/queues.route';
import { settingsRoutes } from './routes/settings.route';
import { integrationRoutes } from './routes/integrations.route';
import { dialogRoutes } from './routes/dialogs.route';
import { createTestBoxLimiter } from './services/test-box-limiter';
import { kbRoutes } from './routes/kb.route';
import { overviewRoutes } from './routes/overview.route';
import { userRoutes } from './routes/users.route';
import { accountRoutes } from './routes/account.route';
import { referenceRoutes } from './routes/reference.route';
import { webhookLogRoutes } from './routes/webhook-log.route';
import { apiRoutes } from './api/api.route';

const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** A year of HTTPS-only for this host; subdomains are left to their own servers. */
const HSTS = 'max-age=31536000';

/** The admin web app and its JSON API; listening is the caller's job. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.settings.trustProxy ? 1 : false);
  const sessions = createSessions(deps);
  const localeCookie = cookieNames(false).locale; // the same name under every setting

  app.use((req, res, next) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
    });
    if (!req.path.startsWith(QUEUES_PATH)) res.set('Content-Security-Policy', PAGE_CSP);
    // Only over HTTPS (directly, or per X-Forwarded-Proto when TRUST_PROXY=true — the same test as
    // ADMIN_COOKIE_SECURE=auto): a browser ignores it over http, and sending it there could pin a
    // plain-http deployment to an https that does not exist.
    if (req.secure) res.set('Strict-Transport-Security', HSTS);
    const locale = pickLocale(cookiesOf(req)[localeCookie], req.get('accept-language'));
    res.locals.locale = locale;
    res.locals.t = translator(locale);
    next();
  });
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/readyz', async (_req, res) => {
    // Anyone can ask: only what is down and its setting, never the driver's reason (hosts, ports,
    // database users); the log has the reason.
    const state = (await deps.readiness?.()) ?? { ready: true, down: [] };
    res.status(state.ready ? 200 : 503).json({ ok: state.ready, down: state.down });
  });
  app.get('/static/app.css', (_req, res) => void res.set('Cache-Control', 'public, max-age=3600').type('css').send(APP_CSS));
  app.get('/static/app.js', (_req, res) => void res.set('Cache-Control', 'public, max-age=3600').type('js').send(APP_JS));

  // One count for the test box's form and the API's preview.
  const testBoxLimit = createTestBoxLimiter(deps.settings.testBoxPerMinute);
  app.use('/api/admin/v1', apiRoutes(deps, sessions, testBoxLimit));

  app.use(express.urlencoded({ extended: false, limit: '5mb' }));
  app.use(authRoutes(deps, sessions));

  app.use(
    QUEUES_PATH,
    sessions.requireSession,
    (_req: Request, res: Response, next: NextFunction) => {
      // Bull Board shows and changes every organization's jobs: the deployment's operators only.
      requireOperator(ctx(res));
      next();
    },
    ...queuesBoard(deps.queues),
  );

  app.use(sessions.requireSession, sessions.checkCsrf);
  app.get('/', (_req, res) => res.redirect(303, '/dialogs'));
  app.use(settingsRoutes(deps));
  app.use(integrationRoutes(deps));
  app.use(webhookLogRoutes(deps));
  app.use(dialogRoutes(deps));
  app.use(kbRoutes(deps, testBoxLimit));
  app.use(overviewRoutes(deps));
  app.use(userRoutes(deps));
  app.use(accountRoutes(deps));
  app.use(referenceRoutes(deps));

  app.use((_req: Request, _res: Response, next: NextFunction) => next(new HttpError(404, 'not_found', 'error.notFound')));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = error instanceof HttpError ? error : undefined;
    // express's body parser reports a bad body with a `status` of 400/413.
    const parserStatus = (error as { status?: number; type?: string } | undefined)?.type ? (error as { status: number }).status : undefined;
    const status = known?.status ?? parserStatus ?? 500;
    if (status >= 500) deps.logger.error('Request failed', { path: req.path, method: req.method, error });
    if (res.headersSent) return;
    const t = res.locals.t as ReturnType<typeof translator>;
    const message = known ? t(known.messageKey, known.vars) : status < 500 ? t('error.invalid') : t('error.internal');
    if (status === 401 && !req.path.startsWith('/api/')) return void res.redirect(303, '/login');
    sendPage(req, res, t('error.title'), html`<p>${message}</p>`, undefined, status);
  });
  return app;
}
