import { Router } from 'express';
import type { Integration } from '@repo/store';
import type { AppDeps } from '../deps';
import { ctx, requireAdminRole } from '../context';
import { OPENAPI_DOCUMENT } from '../api/openapi';
import { html, type Html } from '../views/html';
import type { PageContext } from '../views/layout';
import { pageContext, sendPage } from '../views/page';

type OpenApiOperation = {
  summary?: string;
  description?: string;
  requestBody?: { content?: Record<string, { schema?: { description?: string } }> };
};

/** The JSON API as a page: every operation, who may call it, and its body, rendered from the OpenAPI document. */
function apiReferenceView(p: PageContext): Html {
  const { t } = p;
  const doc = OPENAPI_DOCUMENT as unknown as { paths: Record<string, Record<string, OpenApiOperation>> };
  const rows = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const body = op.requestBody?.content?.['application/json']?.schema?.description;
      return html`<tr>
        <td><span class="badge">${method.toUpperCase()}</span></td>
        <td class="mono">/api/admin/v1${path}</td>
        <td>
          ${op.summary ?? ''}<br /><span class="muted">${op.description ?? ''}</span
          >${body ? html`<br /><span class="mono">${body}</span>` : ''}
        </td>
      </tr>`;
    }),
  );
  return html`<div class="card">
      <p>${t('api.intro')}</p>
      <pre>curl -H "Authorization: Bearer &lt;token&gt;" ${'<admin URL>'}/api/admin/v1/me</pre>
      <p><a href="/api-tokens">${t('nav.tokens')}</a> · <a href="/api/admin/v1/openapi.json">OpenAPI (JSON)</a></p>
    </div>
    <div class="table-wrap">
      <table data-testid="api-reference">
        <tr>
          <th>${t('api.method')}</th>
          <th>${t('api.path')}</th>
          <th>${t('api.what')}</th>
        </tr>
        ${rows}
      </table>
    </div>`;
}

/** Every integration of the organization, one menu click away. */
function integrationListView(p: PageContext, integrations: Integration[]): Html {
  const { t } = p;
  if (integrations.length === 0)
    return html`<div class="card">
      <p>${t('integrations.none')} <a href="/settings">${t('nav.settings')}</a></p>
    </div>`;
  return html`<div class="table-wrap">
    <table data-testid="integration-list">
      <tr>
        <th>${t('common.name')}</th>
        <th>HDE</th>
        <th>${t('integration.replyMode')}</th>
        <th>${t('integrations.state')}</th>
        <th></th>
      </tr>
      ${integrations.map(
        (i) =>
          html`<tr>
            <td><a href="/integrations/${i.id}">${i.name}</a></td>
            <td class="mono">${i.hdeBaseUrl}</td>
            <td>${t(`integration.mode.${i.replyMode}`)}</td>
            <td>${i.enabled ? t('integrations.enabled') : t('integrations.disabled')}</td>
            <td>
              <a href="/dialogs?integration=${i.id}">${t('nav.dialogs')}</a> ·
              <a href="/overview?integration=${i.id}">${t('nav.overview')}</a> ·
              <a href="/settings/skills/${i.skillId}">${t('integrations.skill')}</a>
            </td>
          </tr>`,
      )}
    </table>
  </div>`;
}

/** The API reference page and the list of integrations. */
export function referenceRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/api-docs', (req, res) => {
    const { t } = ctx(res);
    sendPage(req, res, t('api.title'), apiReferenceView(pageContext(req, res)));
  });
  router.get('/integrations', async (req, res) => {
    const { user, t } = ctx(res);
    requireAdminRole(user);
    const integrations = await deps.store.integrations.list(user.organizationId);
    sendPage(req, res, t('integrations.title'), integrationListView(pageContext(req, res), integrations));
  });
  return router;
}
