import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { searchableText } from '@repo/ai';
import { SkillSettingsSchema } from '@repo/domain';
import type { AppDeps } from '../deps';
import type { Sessions } from '../auth/session';
import { ctx, requireAdminRole, viewerOf } from '../context';
import { HttpError, invalid, notFound } from '../errors';
import {
  intId,
  isUuid,
  loadIntegrationForAdmin,
  loadSkill,
  loadVisibleDialog,
  loadVisibleIntegration,
  ownsSkill,
  requireSkillOwner,
} from '../services/access.service';
import { approveDraft } from '../services/approve-draft.service';
import { changeHolder } from '../services/dialog-holder.service';
import { dialogDetail, pageCursor } from '../services/dialog-detail.service';
import { rotateToken, setupIntegration } from '../services/integration-setup.service';
import { settingsView, updateIntegrationSettings } from '../services/integration-settings.service';
import { importArticles, saveArticle } from '../services/kb.service';
import { queueKbSync } from '../services/kb-sync.service';
import { overviewOf } from '../services/overview.service';
import { consultantSearch, previewConsultant } from '../services/preview.service';
import { assertMayManage, createUser, deleteOrgUser, issueApiToken, loadOrgUser, resetOrgUserPassword } from '../services/users.service';
import { filterFromQuery, parseRating } from '../routes/dialogs.route';
import { daysParam } from '../routes/overview.route';
import { OPENAPI_DOCUMENT } from './openapi';
import { handoffFromForm } from '../routes/integrations.route';
import { hdeDirectory } from '../services/hde-directory.service';
import { IntegrationFieldError } from '../services/integration-errors';
import { replaceApiKey } from '../services/integration-key.service';
import { deleteIntegration } from '../services/integration-lifecycle.service';

type Body = Record<string, unknown>;
const body = (req: Request): Body => (req.body && typeof req.body === 'object' ? (req.body as Body) : {});

function integrationJson(i: Awaited<ReturnType<AppDeps['store']['integrations']['get']>> & object) {
  return {
    id: i.id,
    skillId: i.skillId,
    hdeBaseUrl: i.hdeBaseUrl,
    adminEmail: i.adminEmail,
    botUserId: i.botUserId,
    apiKeyVersion: i.apiKeyVersion,
    ...settingsView(i),
  };
}

/** The JSON API under /api/admin/v1: every action the UI offers, authenticated by personal API tokens. */
export function apiRoutes(deps: AppDeps, sessions: Sessions, testBoxLimit: RequestHandler): Router {
  const router = Router();
  router.use(express.json({ limit: '5mb' }));
  router.get('/openapi.json', (_req, res) => void res.json(OPENAPI_DOCUMENT));
  router.use(sessions.requireApiToken);
  const admin = (res: Response) => {
    const { user } = ctx(res);
    requireAdminRole(user);
    return user;
  };

  router.get('/me', (_req, res) => {
    const { user } = ctx(res);
    res.json({ id: user.id, email: user.email, name: user.name, role: user.role, organizationId: user.organizationId });
  });

  // Settings: consultants and skills.
  router.get('/consultants', async (_req, res) => void res.json(await deps.admin.catalog.consultants(ctx(res).user.organizationId)));
  router.post('/consultants', async (req, res) => {
    const user = admin(res);
    const name = typeof body(req).name === 'string' ? String(body(req).name).trim() : '';
    if (!name) throw invalid();
    res.status(201).json(await deps.store.organizations.createConsultant(user.organizationId, name));
  });
  router.get('/consultants/:id/skills', async (req, res) => {
    const { user } = ctx(res);
    if (!isUuid(req.params.id) || !(await deps.admin.catalog.consultant(user.organizationId, req.params.id))) throw notFound();
    res.json(await deps.admin.catalog.skills(user.organizationId, req.params.id));
  });
  router.post('/consultants/:id/skills', async (req, res) => {
    const user = admin(res);
    if (!isUuid(req.params.id) || !(await deps.admin.catalog.consultant(user.organizationId, req.params.id))) throw notFound();
    const b = body(req);
    const name = typeof b.name === 'string' ? b.name.trim() : '';
    if (!name) throw invalid();
    res.status(201).json(
      await deps.store.organizations.createSkill({
        organizationId: user.organizationId,
        consultantId: req.params.id,
        name,
        language: b.language === 'en' ? 'en' : 'ru',
      }),
    );
  });
  router.get('/skills/:id', async (req, res) => void res.json(await loadSkill(deps, ctx(res).user, req.params.id)));
  router.put('/skills/:id/settings', async (req, res) => {
    const skill = await loadSkill(deps, admin(res), req.params.id);
    const parsed = SkillSettingsSchema.safeParse(req.body);
    if (!parsed.success) throw invalid();
    // The parsed settings are stored: unknown keys dropped, defaults filled.
    await deps.store.organizations.updateSkillSettings(skill.id, parsed.data);
    res.json(await deps.store.organizations.getSkill(skill.id));
  });
  router.put('/skills/:id/owners/:userId', async (req, res) => {
    const user = admin(res);
    const skill = await loadSkill(deps, user, req.params.id);
    const target = await loadOrgUser(deps, user, req.params.userId);
    await deps.admin.access.setSkillOwner(skill.id, target.id, true);
    res.status(204).end();
  });
  router.delete('/skills/:id/owners/:userId', async (req, res) => {
    const user = admin(res);
    const skill = await loadSkill(deps, user, req.params.id);
    const target = await loadOrgUser(deps, user, req.params.userId);
    await deps.admin.access.setSkillOwner(skill.id, target.id, false);
    res.status(204).end();
  });

  // Integrations (admins only).
  router.post('/skills/:id/integrations', async (req, res) => {
    const user = admin(res);
    const skill = await loadSkill(deps, user, req.params.id);
    const b = body(req);
    const result = await setupIntegration(deps, user, skill.id, {
      domain: String(b.domain ?? ''),
      email: String(b.email ?? ''),
      apiKey: String(b.apiKey ?? ''),
      timeZone: b.timeZone === undefined ? undefined : String(b.timeZone),
      ...handoffFromForm({
        handoffTarget: b.handoffTarget,
        handoffDepartmentId: b.handoffDepartmentId ?? undefined,
        handoffAgentId: b.handoffAgentId ?? undefined,
      }),
    });
    res.status(201).json({
      integration: integrationJson(result.integration),
      botUser: result.botUser,
      token: result.token,
      webhookUrl: result.webhookUrl,
      body: result.body,
      warnings: result.warnings,
      timeZoneCheck: result.timeZoneCheck,
    });
  });
  router.get('/integrations', async (_req, res) => {
    const user = admin(res);
    res.json((await deps.store.integrations.list(user.organizationId)).map(integrationJson));
  });
  router.get(
    '/integrations/:id',
    async (req, res) => void res.json(integrationJson(await loadIntegrationForAdmin(deps, admin(res), req.params.id))),
  );
  router.patch('/integrations/:id', async (req, res) => {
    const user = admin(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    res.json(integrationJson(await updateIntegrationSettings(deps, user, integration, req.body)));
  });
  router.put('/integrations/:id/api-key', async (req, res) => {
    const user = admin(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    res.json(integrationJson(await replaceApiKey(deps, user, integration, body(req).apiKey)));
  });
  router.delete('/integrations/:id', async (req, res) => {
    const user = admin(res);
    await deleteIntegration(deps, user, await loadIntegrationForAdmin(deps, user, req.params.id));
    res.status(204).end();
  });
  router.get('/integrations/:id/hde-directory', async (req, res) => {
    const integration = await loadIntegrationForAdmin(deps, admin(res), req.params.id);
    res.json(await hdeDirectory(deps, integration));
  });
  router.get('/integrations/:id/tokens', async (req, res) => {
    const integration = await loadIntegrationForAdmin(deps, admin(res), req.params.id);
    res.json(await deps.store.integrations.listTokens(integration.id));
  });
  router.post('/integrations/:id/tokens', async (req, res) => {
    const user = admin(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    res.status(201).json(await rotateToken(deps, user, integration));
  });
  router.delete('/integrations/:id/tokens/:tokenId', async (req, res) => {
    const integration = await loadIntegrationForAdmin(deps, admin(res), req.params.id);
    const tokens = await deps.store.integrations.listTokens(integration.id);
    if (!tokens.some((k) => k.id === req.params.tokenId)) throw notFound();
    await deps.store.integrations.revokeToken(req.params.tokenId);
    res.status(204).end();
  });
  router.get('/integrations/:id/access', async (req, res) => {
    const integration = await loadIntegrationForAdmin(deps, admin(res), req.params.id);
    res.json(await deps.admin.access.grants(integration.id));
  });
  router.put('/integrations/:id/access/:userId', async (req, res) => {
    const user = admin(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    const target = await loadOrgUser(deps, user, req.params.userId);
    await deps.admin.access.grant(integration.id, target.id, user.id);
    res.status(204).end();
  });
  router.delete('/integrations/:id/access/:userId', async (req, res) => {
    const user = admin(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    const target = await loadOrgUser(deps, user, req.params.userId);
    await deps.admin.access.revoke(integration.id, target.id);
    res.status(204).end();
  });
  router.get('/integrations/:id/overview', async (req, res) => {
    const integration = await loadVisibleIntegration(deps, ctx(res).user, req.params.id);
    const result = await overviewOf(deps, integration, daysParam(req.query.days));
    // Queue depths count every organization's work: the deployment's operators only.
    res.json({ ...result, queues: ctx(res).operator ? result.queues : [] });
  });

  // Dialogs (visibility per integration).
  router.get(
    '/dialogs',
    async (req, res) => void res.json(await deps.admin.dialogs.list(viewerOf(ctx(res).user), filterFromQuery(req.query))),
  );
  router.get('/dialogs/:id', async (req, res) => {
    const { user } = ctx(res);
    const { dialog, integration } = await loadVisibleDialog(deps, user, req.params.id);
    res.json(await dialogDetail(deps, user, dialog, integration, { before: pageCursor(req.query.before) }));
  });
  router.post('/dialogs/:id/turns/:turnId/approve', async (req, res) => {
    const { user } = ctx(res);
    const { dialog, integration } = await loadVisibleDialog(deps, user, req.params.id);
    res.json(
      await approveDraft(deps, user, { dialog, integration, turnId: String(req.params.turnId), text: String(body(req).text ?? '') }),
    );
  });
  router.post('/dialogs/:id/take-over', async (req, res) => {
    const { user } = ctx(res);
    const { dialog } = await loadVisibleDialog(deps, user, req.params.id);
    const now = await changeHolder(deps, user, dialog, 'take_over');
    res.json({ id: now.id, state: now.state, handoffReason: now.handoffReason });
  });
  router.post('/dialogs/:id/return', async (req, res) => {
    const { user } = ctx(res);
    const { dialog } = await loadVisibleDialog(deps, user, req.params.id);
    const now = await changeHolder(deps, user, dialog, 'return');
    res.json({ id: now.id, state: now.state, handoffReason: now.handoffReason });
  });
  router.post('/dialogs/:id/turns/:turnId/rating', async (req, res) => {
    const { user } = ctx(res);
    const { dialog } = await loadVisibleDialog(deps, user, req.params.id);
    const turn = await deps.store.decisions.get(String(req.params.turnId));
    if (!turn || turn.dialogId !== dialog.id) throw notFound();
    await deps.admin.access.rate({ dialogId: dialog.id, turnId: turn.turnId, userId: user.id, ...parseRating(body(req)) });
    res.status(204).end();
  });

  // Knowledge base per skill.
  router.get('/skills/:id/kb', async (req, res) => {
    const skill = await loadSkill(deps, ctx(res).user, req.params.id);
    res.json(await deps.admin.catalog.findArticles(skill.id, typeof req.query.q === 'string' ? req.query.q : ''));
  });
  router.get('/skills/:id/kb/search', async (req, res) => {
    const skill = await loadSkill(deps, ctx(res).user, req.params.id);
    // The consultant's own search (the worker's in-process index) of the text a turn searches with
    // (without a letter's greeting and closing thanks), so the API shows what a turn would find.
    const query = searchableText(String(req.query.q ?? ''));
    res.json(await consultantSearch(deps.store.kb, deps.settings.kbLearnEveryMs).search(skill.id, query, { limit: 10 }));
  });
  router.post('/skills/:id/kb', async (req, res) => {
    const { user } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    await requireSkillOwner(deps, user, skill.id);
    res.status(201).json(await saveArticle(deps, skill.id, req.body));
  });
  router.post('/skills/:id/kb/import', async (req, res) => {
    const { user } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    await requireSkillOwner(deps, user, skill.id);
    res.json(await importArticles(deps, skill.id, req.body));
  });
  router.post('/skills/:id/kb/sync', async (req, res) => {
    const { user } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    await requireSkillOwner(deps, user, skill.id);
    res.status(202).json({ queued: await queueKbSync(deps, skill.id) });
  });
  const article = async (req: Request, res: Response) => {
    const skill = await loadSkill(deps, ctx(res).user, req.params.id);
    const a = await deps.store.kb.get(intId(req.params.articleId));
    if (!a || a.skillId !== skill.id) throw notFound();
    return { skill, a };
  };
  router.get('/skills/:id/kb/:articleId', async (req, res) => void res.json((await article(req, res)).a));
  router.put('/skills/:id/kb/:articleId', async (req, res) => {
    const { skill, a } = await article(req, res);
    await requireSkillOwner(deps, ctx(res).user, skill.id);
    res.json(await saveArticle(deps, skill.id, req.body, a));
  });
  router.delete('/skills/:id/kb/:articleId', async (req, res) => {
    const { skill, a } = await article(req, res);
    await requireSkillOwner(deps, ctx(res).user, skill.id);
    await deps.admin.catalog.deleteArticle(skill.id, a.id);
    res.status(204).end();
  });
  router.post('/skills/:id/preview', testBoxLimit, async (req, res) => {
    const skill = await loadSkill(deps, ctx(res).user, req.params.id);
    const message = String(body(req).message ?? '').slice(0, 5000);
    if (!message.trim()) throw invalid();
    res.json(await previewConsultant(deps, skill, message));
  });
  router.get('/skills/:id/ratings', async (req, res) => {
    const { user } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    if (!(await ownsSkill(deps, user, skill.id))) throw new HttpError(403, 'forbidden', 'error.forbidden');
    res.json(await deps.admin.access.ratingsOfSkill(skill.id));
  });

  // Users and personal API tokens (admins only).
  router.get('/users', async (_req, res) => void res.json(await deps.admin.accounts.listUsers(admin(res).organizationId)));
  router.post('/users', async (req, res) => void res.status(201).json(await createUser(deps, admin(res), req.body)));
  router.patch('/users/:id', async (req, res) => {
    const user = admin(res);
    const target = await loadOrgUser(deps, user, req.params.id);
    const b = body(req);
    if (target.id === user.id && (b.role !== undefined || b.disabled !== undefined)) throw invalid();
    assertMayManage(deps, user, target.email);
    await deps.admin.accounts.updateUser(target.id, {
      role: b.role === 'admin' || b.role === 'member' ? b.role : undefined,
      disabled: typeof b.disabled === 'boolean' ? b.disabled : undefined,
    });
    res.json(await deps.admin.accounts.getUser(target.id));
  });
  router.delete('/users/:id', async (req, res) => {
    await deleteOrgUser(deps, admin(res), req.params.id);
    res.status(204).end();
  });
  // The generated password is in this response only; the user's sessions end.
  router.post('/users/:id/reset-password', async (req, res) => {
    const reset = await resetOrgUserPassword(deps, admin(res), req.params.id);
    res.json({ userId: reset.user.id, password: reset.password });
  });
  router.get('/api-tokens', async (_req, res) => void res.json(await deps.admin.accounts.listApiTokens(admin(res).organizationId)));
  router.post(
    '/api-tokens',
    async (req, res) =>
      void res.status(201).json(await issueApiToken(deps, admin(res), { userId: body(req).userId, name: body(req).name })),
  );
  router.delete('/api-tokens/:id', async (req, res) => {
    const user = admin(res);
    if (!isUuid(req.params.id) || !(await deps.admin.accounts.revokeApiToken(user.organizationId, req.params.id))) throw notFound();
    res.status(204).end();
  });

  router.use((_req: Request, _res: Response, next: NextFunction) => next(notFound()));
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = error instanceof HttpError ? error : undefined;
    const parser = (error as { type?: string; status?: number } | undefined)?.type ? (error as { status: number }).status : undefined;
    const status = known?.status ?? parser ?? 500;
    if (status >= 500) deps.logger.error('API request failed', { path: req.path, method: req.method, error });
    res.status(status).json({
      error: known?.code ?? (status < 500 ? 'invalid' : 'internal'),
      ...(known ? { message: (res.locals.t as (k: string, v?: unknown) => string)(known.messageKey, known.vars) } : {}),
      ...(known instanceof IntegrationFieldError ? { field: known.field, retryable: known.retryable } : {}),
    });
  });
  return router;
}
