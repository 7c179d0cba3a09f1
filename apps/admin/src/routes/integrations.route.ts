import { Router, type Request, type Response } from 'express';
import type { Integration } from '@repo/store';
import type { AppDeps } from '../deps';
import { ctx, requireAdminRole } from '../context';
import { HttpError, invalid, notFound } from '../errors';
import { isUuid, loadIntegrationForAdmin, loadSkill } from '../services/access.service';
import { rotateToken, setupIntegration } from '../services/integration-setup.service';
import { previewIntegration, updateIntegrationSettings } from '../services/integration-settings.service';
import { integrationView, setupFormView, tokenView, type FieldProblem } from '../views/integration.view';
import { hdeDirectory } from '../services/hde-directory.service';
import { IntegrationFieldError, PROBLEM_MESSAGES } from '../services/integration-errors';
import type { HandoffChoice } from '../services/handoff-target.service';
import { replaceApiKey } from '../services/integration-key.service';
import { deleteIntegration, setIntegrationEnabled } from '../services/integration-lifecycle.service';
import { syncAndBudgetFromForm } from '../services/sync-and-budget-form';
import { accountLimitOf } from '../services/account-limit.service';
import { pageContext, sendPage } from '../views/page';
import { utcOffsetText } from '../views/html';

function optionalInt(value: unknown): number | null {
  const s = String(value ?? '').trim();
  if (!s) return null;
  if (!/^\d{1,12}$/.test(s)) throw invalid();
  return Number(s);
}

/** The setup form's hand-off target; none when the request has no `handoffTarget` (API-style clients). */
export function handoffFromForm(body: Record<string, unknown>): { handoff?: HandoffChoice } {
  const target = body.handoffTarget;
  if (target === undefined) return {};
  if (target !== 'agent' && target !== 'department' && target !== 'least_loaded') throw invalid();
  return { handoff: { target, departmentId: optionalInt(body.handoffDepartmentId), agentId: optionalInt(body.handoffAgentId) } };
}

/** The settings form as the service's input. */
export function settingsFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const ids = String(body.scopeDepartmentIds ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (ids.some((x) => !/^\d{1,12}$/.test(x))) throw invalid();
  const list = (v: unknown) =>
    String(v ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  let enrichment: unknown = [];
  const enrichmentText = String(body.enrichment ?? '').trim();
  if (enrichmentText) {
    try {
      enrichment = JSON.parse(enrichmentText);
    } catch {
      throw invalid();
    }
  }
  const tz = String(body.whTimezone ?? '').trim();
  const workingHours = tz
    ? {
        timezone: tz,
        days: String(body.whDays ?? '1,2,3,4,5')
          .split(',')
          .map((d) => Number(d.trim()))
          .filter((d) => Number.isInteger(d)),
        from: String(body.whFrom ?? '09:00').trim() || '09:00',
        to: String(body.whTo ?? '18:00').trim() || '18:00',
      }
    : null;
  return {
    name: String(body.name ?? '').trim(),
    replyMode: body.replyMode,
    scopeDepartmentIds: ids.map(Number),
    scopeSources: list(body.scopeSources),
    scopeTags: list(body.scopeTags),
    handoffTarget: body.handoffTarget,
    handoffStatusId: String(body.handoffStatusId ?? '').trim() || null,
    handoffTag: String(body.handoffTag ?? '').trim() || null,
    handBackOnReopen: body.handBackOnReopen === '1',
    ...(body.afterAgentReply !== undefined ? { afterAgentReply: body.afterAgentReply } : {}),
    ...(String(body.resumeAfterMinutes ?? '').trim() ? { resumeAfterMinutes: Number(String(body.resumeAfterMinutes).trim()) } : {}),
    // A field the form did not post stays as it is (an empty one clears it).
    ...(body.handoffDepartmentId !== undefined ? { handoffDepartmentId: optionalInt(body.handoffDepartmentId) } : {}),
    ...(body.handoffAgentId !== undefined ? { handoffAgentId: optionalInt(body.handoffAgentId) } : {}),
    workingHours,
    enrichment,
    dialogsVisibleToAll: body.dialogsVisibleToAll === '1',
    // Switching on and off has its own confirmed buttons; a form that still posts `enabled` may set it.
    ...(body.enabled !== undefined ? { enabled: body.enabled === '1' } : {}),
    ...(String(body.timeZone ?? '').trim() ? { timeZone: String(body.timeZone).trim() } : {}),
    ...(body.automationUserIds !== undefined ? { automationUserIds: list(body.automationUserIds).map(Number) } : {}),
    ...syncAndBudgetFromForm(body),
  };
}

/** Integrations: the HDE setup flow, settings, webhook tokens and dialog access. Admins only. */
export function integrationRoutes(deps: AppDeps): Router {
  const router = Router();
  const graceHours = Math.round((deps.settings.tokenGraceSeconds / 3600) * 10) / 10;

  router.get('/settings/skills/:id/integrations/new', async (req, res) => {
    const { user, t } = ctx(res);
    requireAdminRole(user);
    const skill = await loadSkill(deps, user, req.params.id);
    sendPage(req, res, t('setup.title'), setupFormView(pageContext(req, res), skill.id));
  });

  router.post('/settings/skills/:id/integrations', async (req: Request, res) => {
    const { user, t } = ctx(res);
    requireAdminRole(user);
    const skill = await loadSkill(deps, user, req.params.id);
    const body = req.body as Record<string, string | undefined>;
    const input = { domain: body.domain ?? '', email: body.email ?? '', apiKey: body.apiKey ?? '', timeZone: body.timeZone ?? '' };
    const handoffValues = {
      handoffTarget: body.handoffTarget,
      handoffDepartmentId: body.handoffDepartmentId,
      handoffAgentId: body.handoffAgentId,
    };
    try {
      const result = await setupIntegration(deps, user, skill.id, { ...input, ...handoffFromForm(body) });
      const connected = t('setup.connected', { id: result.botUser.id, name: result.botUser.name });
      const warnings = result.warnings.map((w) => t(`setup.warn.${w}`));
      const zone = result.timeZoneCheck;
      if (zone?.suggestedOffsetMinutes !== undefined) {
        warnings.push(
          t('setup.warn.timeZone', {
            offset: utcOffsetText(zone.suggestedOffsetMinutes),
            zones: zone.suggestedZones.slice(0, 3).join(', '),
            chosen: result.integration.settings.timeZone as string,
          }),
        );
      }
      sendPage(
        req,
        res,
        t('setup.title'),
        tokenView(pageContext(req, res), {
          integrationId: result.integration.id,
          webhookUrl: result.webhookUrl,
          body: result.body,
          connected,
          warnings,
          replyMode: result.integration.replyMode,
        }),
      );
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 400) throw error;
      const p = pageContext(req, res);
      const problem =
        error instanceof IntegrationFieldError
          ? { field: error.field, message: p.t(PROBLEM_MESSAGES[error.problem], error.details) }
          : undefined;
      sendPage(
        req,
        res,
        t('setup.title'),
        setupFormView(
          p,
          skill.id,
          { ...input, ...handoffValues },
          problem,
          error instanceof IntegrationFieldError ? error.choices : undefined,
        ),
        { kind: 'error', text: problem?.message ?? t(error.messageKey, error.vars) },
        400,
      );
    }
  });

  /** The integration page; with `error`, a refused change is shown beside its field (status 400). */
  async function sendIntegration(
    req: Request,
    res: Response,
    integration: Integration,
    error?: IntegrationFieldError,
    shown: Integration = integration,
  ): Promise<void> {
    const { user } = ctx(res);
    const [tokens, grants, users, directory, accountLimit] = await Promise.all([
      deps.store.integrations.listTokens(integration.id),
      deps.admin.access.grants(integration.id),
      deps.admin.accounts.listUsers(user.organizationId),
      hdeDirectory(deps, integration),
      accountLimitOf(deps, integration),
    ]);
    const p = pageContext(req, res);
    const problem: FieldProblem | undefined = error && {
      field: error.field,
      message: p.t(PROBLEM_MESSAGES[error.problem], error.details),
    };
    const page = integrationView(p, { integration: shown, tokens, grants, users, graceHours, directory, problem, accountLimit });
    if (!error) return sendPage(req, res, integration.name, page);
    sendPage(
      req,
      res,
      integration.name,
      page,
      { kind: 'error', text: problem?.field === 'apiKey' ? problem.message : p.t('integration.fixErrors') },
      400,
    );
  }

  router.get('/integrations/:id', async (req, res) => {
    const { user } = ctx(res);
    await sendIntegration(req, res, await loadIntegrationForAdmin(deps, user, req.params.id));
  });

  router.post('/integrations/:id/settings', async (req, res) => {
    const { user } = ctx(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    const input = settingsFromForm(req.body as Record<string, unknown>);
    try {
      await updateIntegrationSettings(deps, user, integration, input);
    } catch (error) {
      if (!(error instanceof IntegrationFieldError)) throw error;
      // The form comes back with what was typed, the problem beside its field.
      return sendIntegration(req, res, integration, error, previewIntegration(integration, input));
    }
    res.redirect(303, `/integrations/${integration.id}?flash=common.saved`);
  });

  router.post('/integrations/:id/api-key', async (req, res) => {
    const { user } = ctx(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    try {
      await replaceApiKey(deps, user, integration, (req.body as Record<string, unknown>).apiKey);
    } catch (error) {
      if (!(error instanceof IntegrationFieldError)) throw error;
      return sendIntegration(req, res, integration, error);
    }
    res.redirect(303, `/integrations/${integration.id}?flash=integration.keySaved`);
  });

  router.post('/integrations/:id/enabled', async (req, res) => {
    const { user } = ctx(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    await setIntegrationEnabled(deps, user, integration, (req.body as Record<string, unknown>).enabled === '1');
    res.redirect(303, `/integrations/${integration.id}?flash=common.saved`);
  });

  router.post('/integrations/:id/delete', async (req, res) => {
    const { user } = ctx(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    await deleteIntegration(deps, user, integration);
    res.redirect(303, `/settings/skills/${integration.skillId}?flash=common.saved`);
  });

  router.post('/integrations/:id/tokens', async (req, res) => {
    const { user, t } = ctx(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    const result = await rotateToken(deps, user, integration);
    sendPage(req, res, t('token.list'), tokenView(pageContext(req, res), { integrationId: integration.id, ...result }));
  });

  router.post('/integrations/:id/tokens/:tokenId/revoke', async (req, res) => {
    const { user } = ctx(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    const tokens = await deps.store.integrations.listTokens(integration.id);
    if (!tokens.some((k) => k.id === req.params.tokenId)) throw notFound();
    await deps.store.integrations.revokeToken(req.params.tokenId);
    deps.logger.info('Webhook token revoked', { integrationId: integration.id, by: user.id });
    res.redirect(303, `/integrations/${integration.id}?flash=common.saved`);
  });

  router.post('/integrations/:id/access', async (req, res) => {
    const { user } = ctx(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    const userId = (req.body as Record<string, unknown>).userId;
    const target = isUuid(userId) ? await deps.admin.accounts.getUser(userId) : undefined;
    if (!target || target.organizationId !== user.organizationId) throw notFound();
    await deps.admin.access.grant(integration.id, target.id, user.id);
    res.redirect(303, `/integrations/${integration.id}?flash=common.saved`);
  });

  router.post('/integrations/:id/access/:userId/remove', async (req, res) => {
    const { user } = ctx(res);
    const integration = await loadIntegrationForAdmin(deps, user, req.params.id);
    if (!isUuid(req.params.userId)) throw notFound();
    await deps.admin.access.revoke(integration.id, req.params.userId);
    res.redirect(303, `/integrations/${integration.id}?flash=common.saved`);
  });

  return router;
}
