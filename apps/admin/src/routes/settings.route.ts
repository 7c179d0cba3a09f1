import { Router, type Request, type Response } from 'express';
import { SkillSettingsSchema, type SkillSettings } from '@repo/domain';
import type { AppDeps } from '../deps';
import { ctx, requireAdminRole } from '../context';
import { notFound } from '../errors';
import { FormError } from '../services/form-errors';
import type { Translate } from '../i18n/translate';
import { isUuid, loadSkill, ownsSkill } from '../services/access.service';
import { consultantsView, consultantView, skillView } from '../views/settings.view';
import { pageContext, sendPage } from '../views/page';
import { typedValues, type FieldErrors, type FormState } from '../views/form-field';

const invalidFlash = (t: Translate) => ({ kind: 'error' as const, text: t('error.invalid') });
import { parsePolicyForm, policyToValues, postedValues, type PolicyValues } from '../services/skill-policy-form';

/** The stored policy with defaults filled; a policy stored before a schema change that no longer parses shows the defaults. */
function storedPolicy(settings: unknown): SkillSettings {
  const parsed = SkillSettingsSchema.safeParse(settings ?? {});
  return parsed.success ? parsed.data : SkillSettingsSchema.parse({});
}

/** The name of a new consultant or skill, or a {@link FormError} on the `name` field. */
function nameOf(body: unknown): string {
  const name = String((body as Record<string, unknown>).name ?? '').trim();
  if (!name || name.length > 100) throw new FormError({ name: 'form.name100' });
  return name;
}

/** The form state of a failed create: what was typed and the errors. */
function failed(body: unknown, error: unknown): FormState {
  if (!(error instanceof FormError)) throw error;
  return { values: typedValues(body), errors: error.errors };
}

/** Settings → Consultants → a consultant → a skill. Reading is for everyone; changes are admins-only. */
export function settingsRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/settings', async (req, res) => {
    const { user, t } = ctx(res);
    sendPage(
      req,
      res,
      t('settings.title'),
      consultantsView(pageContext(req, res), await deps.admin.catalog.consultants(user.organizationId)),
    );
  });

  router.post('/settings/consultants', async (req, res) => {
    const { user, t } = ctx(res);
    requireAdminRole(user);
    let name: string;
    try {
      name = nameOf(req.body);
    } catch (error) {
      const form = failed(req.body, error);
      const consultants = await deps.admin.catalog.consultants(user.organizationId);
      return sendPage(req, res, t('settings.title'), consultantsView(pageContext(req, res), consultants, form), invalidFlash(t), 400);
    }
    const created = await deps.store.organizations.createConsultant(user.organizationId, name);
    res.redirect(303, `/settings/consultants/${created.id}`);
  });

  router.get('/settings/consultants/:id', async (req, res) => {
    const { user } = ctx(res);
    const consultant = isUuid(req.params.id) ? await deps.admin.catalog.consultant(user.organizationId, req.params.id) : undefined;
    if (!consultant) throw notFound();
    const skills = await deps.admin.catalog.skills(user.organizationId, consultant.id);
    sendPage(req, res, consultant.name, consultantView(pageContext(req, res), consultant, skills));
  });

  router.post('/settings/consultants/:id/skills', async (req, res) => {
    const { user } = ctx(res);
    requireAdminRole(user);
    const consultant = isUuid(req.params.id) ? await deps.admin.catalog.consultant(user.organizationId, req.params.id) : undefined;
    if (!consultant) throw notFound();
    const language = (req.body as Record<string, unknown>).language === 'en' ? 'en' : 'ru';
    let name: string;
    try {
      name = nameOf(req.body);
    } catch (error) {
      const form = failed(req.body, error);
      const skills = await deps.admin.catalog.skills(user.organizationId, consultant.id);
      return sendPage(
        req,
        res,
        consultant.name,
        consultantView(pageContext(req, res), consultant, skills, form),
        invalidFlash(ctx(res).t),
        400,
      );
    }
    const skill = await deps.store.organizations.createSkill({
      organizationId: user.organizationId,
      consultantId: consultant.id,
      name,
      language,
    });
    res.redirect(303, `/settings/skills/${skill.id}`);
  });

  /** The skill page; after a failed policy save, with what was typed and the errors beside the fields. */
  async function skillPage(req: Request, res: Response, policy?: { values: PolicyValues; errors: FieldErrors }) {
    const { user, t } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    const integrations = (await deps.store.integrations.list(user.organizationId)).filter((i) => i.skillId === skill.id);
    const owners = await deps.admin.access.skillOwners(skill.id);
    const users = user.role === 'admin' ? await deps.admin.accounts.listUsers(user.organizationId) : [];
    const isOwner = await ownsSkill(deps, user, skill.id);
    const shown = policy ?? { values: policyToValues(storedPolicy(skill.settings)), errors: {} };
    sendPage(
      req,
      res,
      skill.name,
      skillView(pageContext(req, res), { skill, integrations, owners, users, isOwner, policy: shown }),
      policy ? { kind: 'error', text: t('policy.fixErrors') } : undefined,
      policy ? 422 : 200,
    );
  }

  router.get('/settings/skills/:id', (req, res) => skillPage(req, res));

  router.post('/settings/skills/:id/policy', async (req, res) => {
    const { user } = ctx(res);
    requireAdminRole(user);
    const skill = await loadSkill(deps, user, req.params.id);
    const values = postedValues(req.body);
    const parsed = parsePolicyForm(values);
    if (!parsed.ok) return skillPage(req, res, { values, errors: parsed.errors });
    await deps.store.organizations.updateSkillSettings(skill.id, parsed.settings);
    deps.logger.info('Skill policy saved', { skillId: skill.id, by: user.id });
    res.redirect(303, `/settings/skills/${skill.id}?flash=common.saved`);
  });

  router.post('/settings/skills/:id/owners', async (req, res) => {
    const { user } = ctx(res);
    requireAdminRole(user);
    const skill = await loadSkill(deps, user, req.params.id);
    const body = req.body as Record<string, unknown>;
    const target = isUuid(body.userId) ? await deps.admin.accounts.getUser(body.userId) : undefined;
    if (!target || target.organizationId !== user.organizationId) throw notFound();
    await deps.admin.access.setSkillOwner(skill.id, target.id, body.owner === '1');
    res.redirect(303, `/settings/skills/${skill.id}?flash=common.saved`);
  });

  return router;
}
