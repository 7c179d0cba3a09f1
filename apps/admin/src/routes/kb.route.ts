import { Router, type RequestHandler } from 'express';
import type { AppDeps } from '../deps';
import { ctx } from '../context';
import { notFound } from '../errors';
import { intId, loadSkill, ownsSkill, readsAllDialogsOf, requireSkillOwner } from '../services/access.service';
import { articlePage, importArticlesText, saveArticle, splitTags } from '../services/kb.service';
import { queueKbSync } from '../services/kb-sync.service';
import { answeredWithArticle, previewConsultant } from '../services/preview.service';
import { articleFormView, articleView, kbListView, ratingsView, testBoxView } from '../views/kb.view';
import { pageContext, sendPage } from '../views/page';
import { FormError } from '../services/form-errors';
import { typedValues, type FieldErrors } from '../views/form-field';
import type { Translate } from '../i18n/translate';

const formFlash = (t: Translate) => ({ kind: 'error' as const, text: t('error.invalid') });

/** Knowledge base per skill: everyone reads and tests; admins and the skill's owners edit. */
export function kbRoutes(deps: AppDeps, testBoxLimit: RequestHandler): Router {
  const router = Router();

  async function listPage(
    req: Parameters<Parameters<typeof router.get>[1]>[0],
    res: Parameters<Parameters<typeof router.get>[1]>[1],
    message = '',
    status = 200,
    testErrors: FieldErrors = {},
  ) {
    const { user, t } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    const query = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const list = await articlePage(deps, skill.id, query, req.query.page);
    const p = pageContext(req, res);
    const preview = message ? await previewConsultant(deps, skill, message) : undefined;
    const testBox = testBoxView(p, skill.id, message, preview, testErrors);
    sendPage(
      req,
      res,
      `${t('kb.title')}: ${skill.name}`,
      kbListView(p, { skill, query, ...list, canEdit: await ownsSkill(deps, user, skill.id), testBox }),
      status >= 400 ? formFlash(t) : undefined,
      status,
    );
  }

  router.get('/skills/:id/kb', (req, res) => listPage(req, res));
  router.post('/skills/:id/kb/test', testBoxLimit, (req, res) => {
    const message = String((req.body as Record<string, unknown>).message ?? '').slice(0, 5000);
    // An empty message is marked at the field, with the rest of the page as it was.
    if (!message.trim()) return listPage(req, res, message, 400, { message: 'form.testMessage' });
    return listPage(req, res, message);
  });

  router.get('/skills/:id/kb/new', async (req, res) => {
    const { user, t } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    await requireSkillOwner(deps, user, skill.id);
    sendPage(req, res, t('kb.newArticle'), articleFormView(pageContext(req, res), skill));
  });

  router.post('/skills/:id/kb', async (req, res) => {
    const { user, t } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    await requireSkillOwner(deps, user, skill.id);
    const body = req.body as Record<string, unknown>;
    try {
      const { id } = await saveArticle(deps, skill.id, { title: body.title, body: body.body, tags: splitTags(body.tags) });
      res.redirect(303, `/skills/${skill.id}/kb/${id}?flash=common.saved`);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const form = { values: typedValues(req.body), errors: error.errors };
      sendPage(req, res, t('kb.newArticle'), articleFormView(pageContext(req, res), skill, undefined, form), formFlash(t), 400);
    }
  });

  router.post('/skills/:id/kb/import', async (req, res) => {
    const { user, t } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    await requireSkillOwner(deps, user, skill.id);
    const form = req.body as Record<string, unknown>;
    const counts = await importArticlesText(deps, skill.id, String(form.articles ?? ''), String(form.fileName ?? ''));
    const p = pageContext(req, res);
    const list = await articlePage(deps, skill.id, '', 1);
    // Every rejected record is listed with its line and reason; nothing is dropped silently.
    const summary = t('kb.importedOf', {
      imported: counts.imported,
      total: counts.total,
      rejected: counts.rejected.length,
      created: counts.created,
      updated: counts.updated,
      unchanged: counts.unchanged,
    });
    const where = (w: string) =>
      w.replace(/^line (\d+)$/, (_m, n: string) => t('kb.line', { n })).replace(/^record (\d+)$/, (_m, n: string) => t('kb.record', { n }));
    const lines = counts.rejected.slice(0, 50).map((r) => `${where(r.where)}: ${r.error}`);
    if (counts.rejected.length > lines.length) lines.push(t('kb.rejectedMore', { n: counts.rejected.length - lines.length }));
    const text = [summary, ...lines].join('\n');
    sendPage(
      req,
      res,
      `${t('kb.title')}: ${skill.name}`,
      kbListView(p, { skill, query: '', ...list, canEdit: true, testBox: testBoxView(p, skill.id, '') }),
      {
        kind: counts.imported === 0 ? 'error' : 'ok',
        text,
      },
      counts.imported === 0 ? 400 : 200,
    );
  });

  router.post('/skills/:id/kb/sync', async (req, res) => {
    const { user, t } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    await requireSkillOwner(deps, user, skill.id);
    const count = await queueKbSync(deps, skill.id);
    const p = pageContext(req, res);
    const list = await articlePage(deps, skill.id, '', 1);
    sendPage(
      req,
      res,
      `${t('kb.title')}: ${skill.name}`,
      kbListView(p, { skill, query: '', ...list, canEdit: true, testBox: testBoxView(p, skill.id, '') }),
      { kind: 'ok', text: t('kb.syncQueued', { count }) },
    );
  });

  async function article(req: { params: Record<string, string> }, res: Parameters<Parameters<typeof router.get>[1]>[1]) {
    const { user } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    const a = await deps.store.kb.get(intId(req.params.articleId));
    if (!a || a.skillId !== skill.id) throw notFound();
    return { user, skill, a };
  }

  router.get('/skills/:id/kb/:articleId', async (req, res) => {
    const { user, skill, a } = await article(req, res);
    // The questions are customers' text from the skill's dialogs: shown only to who may read them all.
    const answered = (await readsAllDialogsOf(deps, user, skill.id))
      ? await answeredWithArticle(deps.store.kb, skill.id, a.id, deps.settings.kbLearnEveryMs)
      : [];
    sendPage(req, res, a.title, articleView(pageContext(req, res), skill, a, await ownsSkill(deps, user, skill.id), answered));
  });

  router.get('/skills/:id/kb/:articleId/edit', async (req, res) => {
    const { user, skill, a } = await article(req, res);
    await requireSkillOwner(deps, user, skill.id);
    sendPage(req, res, a.title, articleFormView(pageContext(req, res), skill, a));
  });

  router.post('/skills/:id/kb/:articleId', async (req, res) => {
    const { user, skill, a } = await article(req, res);
    await requireSkillOwner(deps, user, skill.id);
    const body = req.body as Record<string, unknown>;
    try {
      await saveArticle(
        deps,
        skill.id,
        { title: body.title, body: body.body, tags: splitTags(body.tags), url: a.url, language: a.language },
        a,
      );
      res.redirect(303, `/skills/${skill.id}/kb/${a.id}?flash=common.saved`);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const form = { values: typedValues(req.body), errors: error.errors };
      sendPage(req, res, a.title, articleFormView(pageContext(req, res), skill, a, form), formFlash(ctx(res).t), 400);
    }
  });

  router.post('/skills/:id/kb/:articleId/delete', async (req, res) => {
    const { user, skill, a } = await article(req, res);
    await requireSkillOwner(deps, user, skill.id);
    await deps.admin.catalog.deleteArticle(skill.id, a.id);
    res.redirect(303, `/skills/${skill.id}/kb?flash=common.saved`);
  });

  router.get('/skills/:id/ratings', async (req, res) => {
    const { user, t } = ctx(res);
    const skill = await loadSkill(deps, user, req.params.id);
    await requireSkillOwner(deps, user, skill.id);
    sendPage(
      req,
      res,
      `${t('skill.ratings')}: ${skill.name}`,
      ratingsView(pageContext(req, res), skill, await deps.admin.access.ratingsOfSkill(skill.id)),
    );
  });

  return router;
}
