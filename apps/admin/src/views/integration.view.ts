import { webhookText } from './webhook-log.view';
import type { AdminUser, Integration } from '@repo/store';
import { fmtDate, html, type Html } from './html';
import { csrfField, type PageContext } from './layout';
import { settingsView } from '../services/integration-settings.service';
import { RESUME_AFTER_MAX_MINUTES } from '@repo/domain';
import { nameOf, type HdeDirectory } from '../services/hde-directory.service';
import { fieldError, type FieldProblem } from './field-problem';
import { syncAndBudgetFields } from './integration-sync-budget.view';
import type { AccountLimit } from '../services/account-limit.service';

export type { FieldProblem } from './field-problem';

/** The hand-off department and agent fields: HDE's lists when it answered, else id inputs. */
function targetFields(
  p: PageContext,
  directory: HdeDirectory | undefined,
  values: { departmentId: number | null; agentId: number | null },
  problem: FieldProblem | undefined,
): Html {
  const listed = directory?.available ? directory : undefined;
  return html`<div>
      ${targetField(
        {
          id: 'hd',
          name: 'handoffDepartmentId',
          label: p.t('integration.handoffDepartment'),
          choose: p.t('integration.chooseDepartment'),
          testId: 'handoff-department',
        },
        listed?.departments,
        values.departmentId,
        problem,
      )}
    </div>
    <div>
      ${targetField(
        {
          id: 'ha',
          name: 'handoffAgentId',
          label: p.t('integration.handoffAgent'),
          choose: p.t('integration.chooseAgent'),
          testId: 'handoff-agent',
        },
        listed?.agents,
        values.agentId,
        problem,
      )}
    </div>`;
}

/**
 * A hand-off target field: a dropdown of HDE's departments or agents when HDE answered, else a plain
 * id input. An id HDE does not list any more stays selectable, shown as `#id`.
 */
function targetField(
  input: { id: string; name: string; label: string; choose: string; testId: string },
  entries: Array<{ id: number; name: string }> | undefined,
  value: number | null,
  problem: FieldProblem | undefined,
): Html {
  const invalid = problem?.field === input.name ? 'true' : 'false';
  if (!entries)
    return html`<label for="${input.id}">${input.label} (ID HDE)</label
      ><input
        id="${input.id}"
        name="${input.name}"
        type="number"
        min="1"
        value="${value ?? ''}"
        aria-invalid="${invalid}"
        data-testid="${input.testId}"
      />
      ${fieldError(problem, input.name)}`;
  const options = value !== null && !entries.some((e) => e.id === value) ? [...entries, { id: value, name: `#${value}` }] : entries;
  return html`<label for="${input.id}">${input.label}</label
    ><select id="${input.id}" name="${input.name}" aria-invalid="${invalid}" data-testid="${input.testId}">
      <option value="">${input.choose}</option>
      ${options.map((e) => html`<option value="${e.id}" ${e.id === value ? 'selected' : ''}>${e.name}</option>`)}
    </select>
    ${fieldError(problem, input.name)}`;
}

/** The hand-off target in words, with HDE's names: "the department Sales", "Maria Ivanova". */
export function handoffSummary(p: PageContext, integration: Integration, directory: HdeDirectory): string {
  const s = settingsView(integration);
  const departments = directory.available ? directory.departments : undefined;
  const agents = directory.available ? directory.agents : undefined;
  const department = nameOf(departments, s.handoffDepartmentId);
  const agent = nameOf(agents, s.handoffAgentId);
  const who = s.handoffTarget === 'agent' ? (agent ?? p.t('integration.noTarget')) : (department ?? p.t('integration.noTarget'));
  const also = s.handoffTarget !== 'agent' && agent ? ` (${agent})` : '';
  return `${p.t(`integration.target.${s.handoffTarget}`)}: ${who}${also}`;
}

/** The setup form: HDE domain, the bot agent account's e-mail and API key, the account's time zone. */
export function setupFormView(
  p: PageContext,
  skillId: string,
  values: {
    domain?: string;
    email?: string;
    timeZone?: string;
    handoffTarget?: string;
    handoffDepartmentId?: string;
    handoffAgentId?: string;
  } = {},
  problem?: FieldProblem,
  /** HDE's departments and agents, once a refused setup has proven the key (else plain id inputs). */
  choices?: HdeDirectory,
): Html {
  const { t } = p;
  const target = values.handoffTarget ?? 'department';
  const idOf = (v: string | undefined) => (v && /^\d{1,12}$/.test(v.trim()) ? Number(v.trim()) : null);
  return html`<form method="post" action="/settings/skills/${skillId}/integrations" class="card">
    ${csrfField(p)} <label for="domain">${t('setup.domain')}</label
    ><input id="domain" name="domain" type="text" required value="${values.domain ?? ''}" autocomplete="off" />
    <p class="warn" data-testid="bot-account-why">${t('setup.botAccountWhy')}</p>
    <label for="email">${t('setup.email')}</label
    ><input id="email" name="email" type="email" required value="${values.email ?? ''}" autocomplete="off" />
    <label for="apiKey">${t('setup.apiKey')}</label><input id="apiKey" name="apiKey" type="password" required autocomplete="off" />
    <p class="muted">${t('setup.apiKeyHint')}</p>
    <label for="timeZone">${t('setup.timeZone')}</label
    ><input id="timeZone" name="timeZone" type="text" value="${values.timeZone || 'Europe/Moscow'}" placeholder="Europe/Moscow" />
    <p class="muted">${t('setup.timeZoneHint')}</p>
    <div class="inline">
      <div>
        <label for="htg">${t('integration.handoffTarget')}</label
        ><select id="htg" name="handoffTarget" data-testid="setup-handoff-target">
          ${(['department', 'least_loaded', 'agent'] as const).map((v) => html`<option value="${v}" ${target === v ? 'selected' : ''}>${t(`integration.target.${v}`)}</option>`)}
        </select>
      </div>
      ${targetFields(p, choices, { departmentId: idOf(values.handoffDepartmentId), agentId: idOf(values.handoffAgentId) }, problem)}
    </div>
    <p class="muted">${p.t('integration.setupHandoffHint')}</p>
    <p><button type="submit" data-testid="setup-submit">${t('setup.check')}</button></p>
  </form>`;
}

/** The token, shown once, with copy buttons and the dispatcher rule step by step. */
export function tokenView(
  p: PageContext,
  input: { integrationId: string; webhookUrl: string; body: string; connected?: string; warnings?: string[]; replyMode?: string },
): Html {
  const { t } = p;
  const mode =
    input.replyMode === 'public'
      ? p.t('integration.replyModePublic')
      : input.replyMode === 'off'
        ? p.t('integration.replyModeOff')
        : p.t('integration.replyModeNote');
  return html`${input.connected ? html`<div class="flash ok">${input.connected}</div>` : ''}
    ${
      input.replyMode
        ? html`<div class="card">
            <p data-testid="setup-reply-mode"><b>${mode}</b></p>
          </div>`
        : ''
    }
    ${(input.warnings ?? []).map((w) => html`<div class="warn" data-testid="setup-warning"><b>⚠ ${w}</b></div>`)}
    <div class="warn"><b>${t('token.once')}</b></div>
    <div class="card">
      <h2>${t('token.url')}</h2>
      <p class="mono" id="webhook-url" data-testid="webhook-url">${input.webhookUrl}</p>
      ${input.webhookUrl.startsWith('https://') ? '' : html`<p class="warn" data-testid="webhook-url-not-https">${t('token.notHttps')}</p>`}
      <button type="button" data-copy="#webhook-url" data-copied="${t('common.copied')}" data-testid="copy-url">${t('common.copy')}</button>
    </div>
    <div class="card">
      <h2>${t('token.body')}</h2>
      <pre id="webhook-body" data-testid="webhook-body">${input.body}</pre>
      <button type="button" data-copy="#webhook-body" data-copied="${t('common.copied')}" data-testid="copy-body">
        ${t('common.copy')}
      </button>
    </div>
    <div class="card">
      <h2>${t('token.steps')}</h2>
      <ol class="steps">
        <li>${t('token.step1')}</li>
        <li>${t('token.step2')}</li>
        <li>${t('token.step3')}</li>
        <li>${t('token.step4')}</li>
        <li>${t('token.step5')}</li>
        <li>${t('token.step6')}</li>
        <li>${t('token.step7')}</li>
      </ol>
      <p class="warn">${t('token.warning')}</p>
    </div>
    <p>
      <a class="button" href="/integrations/${input.integrationId}/webhooks/check?since=${Date.now()}" data-testid="check-connection"
        >${webhookText(p.locale).openCheck} →</a
      >
      <a class="button" href="/integrations/${input.integrationId}">${t('integration.settings')} →</a>
    </p>`;
}

type TokenRow = { id: string; hint: string; created_at: Date; last_used_at: Date | null; expires_at: Date | null; revoked_at: Date | null };

/** An integration's settings, tokens and dialog access. */
export function integrationView(
  p: PageContext,
  input: {
    integration: Integration;
    tokens: TokenRow[];
    grants: Array<{ userId: string; email: string }>;
    users: AdminUser[];
    graceHours: number;
    directory: HdeDirectory;
    /** A refused settings change: shown beside its field. */
    problem?: FieldProblem;
    /** The smallest requests-per-minute limit of the organization's integrations on this HDE account. */
    accountLimit?: AccountLimit;
  },
): Html {
  const { t } = p;
  const i = input.integration;
  const s = settingsView(i);
  const directory = input.directory;
  const problem = input.problem;
  const confirmOff = t('integration.confirmDisable', { name: i.name });
  const confirmDelete = t('integration.confirmDelete', { name: i.name });
  const wh = s.workingHours;
  const mode = (m: string) =>
    html`<option value="${m}" ${s.replyMode === m ? 'selected' : ''}>${t(`integration.mode.${m}` as 'integration.mode.public')}</option>`;
  return html`<p>
      <a href="/settings/skills/${i.skillId}">← ${t('settings.skills')}</a> ·
      <a href="/dialogs?integration=${i.id}">${t('nav.dialogs')}</a> · <a href="/overview?integration=${i.id}">${t('nav.overview')}</a> ·
      <a href="/integrations/${i.id}/webhooks" data-testid="webhook-log-link">${webhookText(p.locale).openLog}</a>
    </p>
    ${i.enabled ? '' : html`<div class="warn" data-testid="integration-disabled"><b>${p.t('integration.disabledBanner')}</b></div>`}
    <div class="card">
      <p>HDE: <span class="mono">${i.hdeBaseUrl}</span> · ${i.adminEmail} · ${t('integration.bot')}: #${i.botUserId ?? '?'}</p>
      <p>${p.t('integration.handoffSummary')}: <span data-testid="handoff-summary">${handoffSummary(p, i, directory)}</span></p>
    </div>
    <form method="post" action="/integrations/${i.id}/settings" class="card" data-testid="integration-settings">
      ${csrfField(p)}
      <h2>${t('integration.settings')}</h2>
      <label for="name">${t('common.name')}</label><input id="name" name="name" type="text" value="${s.name}" required />
      <label for="replyMode">${t('integration.replyMode')}</label
      ><select id="replyMode" name="replyMode">
        ${mode('public')}${mode('note')}${mode('off')}
      </select>
      <label for="scope">${t('integration.scope')}</label
      ><input id="scope" name="scopeDepartmentIds" type="text" value="${s.scopeDepartmentIds.join(', ')}" />
      <div class="inline">
        <div>
          <label for="ss">${t('integration.scopeSources')}</label
          ><input id="ss" name="scopeSources" type="text" value="${s.scopeSources.join(', ')}" placeholder="telegram, email" />
        </div>
        <div>
          <label for="st">${t('integration.scopeTags')}</label
          ><input id="st" name="scopeTags" type="text" value="${s.scopeTags.join(', ')}" />
        </div>
      </div>
      <div class="inline">
        <div>
          <label for="htg">${t('integration.handoffTarget')}</label
          ><select id="htg" name="handoffTarget">
            ${(['agent', 'department', 'least_loaded'] as const).map((x) => html`<option value="${x}" ${s.handoffTarget === x ? 'selected' : ''}>${t(`integration.target.${x}`)}</option>`)}
          </select>
        </div>
        <div>
          <label for="hs">${t('integration.handoffStatus')}</label
          ><input id="hs" name="handoffStatusId" type="text" value="${s.handoffStatusId ?? ''}" placeholder="open" />
        </div>
        <div>
          <label for="htag">${t('integration.handoffTag')}</label
          ><input id="htag" name="handoffTag" type="text" value="${s.handoffTag ?? ''}" placeholder="bot-handoff" />
        </div>
      </div>
      ${directory.available ? '' : html`<p class="warn" data-testid="directory-unavailable">${p.t('integration.directoryUnavailable', { reason: directory.reason })}</p>`}
      <div class="inline">${targetFields(p, directory, { departmentId: s.handoffDepartmentId, agentId: s.handoffAgentId }, problem)}</div>
      <div class="inline">
        <div>
          <label for="tz">${t('integration.timeZone')}</label
          ><input id="tz" name="timeZone" type="text" value="${s.timeZone}" placeholder="Europe/Moscow" data-testid="time-zone" />
        </div>
        <div>
          <label for="auto">${t('integration.automationUserIds')}</label
          ><input
            id="auto"
            name="automationUserIds"
            type="text"
            value="${s.automationUserIds.join(', ')}"
            placeholder="17, 42"
            data-testid="automation-ids"
          />
        </div>
      </div>
      <p class="muted">${t('integration.botAccountHint')}</p>
      <h3>${t('integration.workingHours')}</h3>
      <div class="inline">
        <div>
          <label for="whtz">${t('integration.whTimezone')}</label
          ><input id="whtz" name="whTimezone" type="text" value="${wh?.timezone ?? ''}" placeholder="Europe/Moscow" />
        </div>
        <div>
          <label for="whd">${t('integration.whDays')}</label
          ><input id="whd" name="whDays" type="text" value="${wh?.days.join(',') ?? ''}" placeholder="1,2,3,4,5" />
        </div>
        <div>
          <label for="whf">${t('integration.whFrom')}</label
          ><input id="whf" name="whFrom" type="text" value="${wh?.from ?? ''}" placeholder="09:00" />
        </div>
        <div>
          <label for="wht">${t('integration.whTo')}</label
          ><input id="wht" name="whTo" type="text" value="${wh?.to ?? ''}" placeholder="18:00" />
        </div>
      </div>
      <label for="enrichment">${t('integration.enrichment')}</label
      ><textarea id="enrichment" name="enrichment" rows="4" class="mono">${JSON.stringify(s.enrichment, null, 2)}</textarea>
      <fieldset data-testid="after-agent-reply">
        <legend>${t('integration.afterAgentReply')}</legend>
        <label
          ><input type="radio" name="afterAgentReply" value="silent" ${s.afterAgentReply === 'silent' ? 'checked' : ''} />
          ${t('integration.afterAgentReply.silent')}</label
        >
        <label
          ><input type="radio" name="afterAgentReply" value="resume_after" ${s.afterAgentReply === 'resume_after' ? 'checked' : ''} />
          ${t('integration.afterAgentReply.resume_after')}
          <input
            name="resumeAfterMinutes"
            type="number"
            min="1"
            max="${RESUME_AFTER_MAX_MINUTES}"
            step="1"
            value="${s.resumeAfterMinutes}"
            aria-label="${t('integration.resumeAfterMinutes')}"
            data-testid="resume-after-minutes"
          />
          ${t('integration.resumeAfterMinutes')}</label
        >
        <p class="muted">${t('integration.afterAgentReplyHint')}</p>
      </fieldset>
      <p>
        <label
          ><input type="checkbox" name="handBackOnReopen" value="1" ${s.handBackOnReopen ? 'checked' : ''} />
          ${t('integration.handBack')}</label
        >
        <label
          ><input
            type="checkbox"
            name="dialogsVisibleToAll"
            value="1"
            ${s.dialogsVisibleToAll ? 'checked' : ''}
            data-testid="visible-to-all"
          />
          ${t('integration.visibleToAll')}</label
        >
      </p>
      ${syncAndBudgetFields(p, s, problem, input.accountLimit, directory.available ? directory.kbCategories : undefined)}
      <p><button type="submit" data-testid="save-settings">${t('common.save')}</button></p>
    </form>
    <form method="post" action="/integrations/${i.id}/api-key" class="card" data-testid="api-key-form">
      ${csrfField(p)}
      <h2>${p.t('integration.keyTitle')}</h2>
      <p class="muted">${p.t('integration.keyHint')}</p>
      <label for="apiKey">${p.t('integration.keyNew')}</label
      ><input
        id="apiKey"
        name="apiKey"
        type="password"
        required
        autocomplete="off"
        aria-invalid="${problem?.field === 'apiKey' ? 'true' : 'false'}"
      />
      ${fieldError(problem, 'apiKey')}
      <p><button type="submit" data-testid="save-api-key">${p.t('integration.keySave')}</button></p>
    </form>
    <div class="card">
      <h2>${t('token.list')}</h2>
      <table>
        <tr>
          <th>${t('token.hint')}</th>
          <th>${t('token.created')}</th>
          <th>${t('token.lastUsed')}</th>
          <th>${t('token.expires')}</th>
          <th>${t('token.revoked')}</th>
          <th></th>
        </tr>
        ${input.tokens.map(
          (k) =>
            html`<tr>
              <td class="mono">${k.hint}</td>
              <td>${fmtDate(k.created_at)}</td>
              <td>${fmtDate(k.last_used_at)}</td>
              <td>${fmtDate(k.expires_at)}</td>
              <td>${fmtDate(k.revoked_at)}</td>
              <td>
                ${k.revoked_at ? '' : html`<form method="post" action="/integrations/${i.id}/tokens/${k.id}/revoke" data-confirm="${t('confirm.revokeWebhookToken')}">${csrfField(p)}<button class="danger" type="submit">${t('token.revoke')}</button></form>`}
              </td>
            </tr>`,
        )}
      </table>
      <form method="post" action="/integrations/${i.id}/tokens">
        ${csrfField(p)}
        <p><button type="submit" data-testid="rotate-token">${t('token.rotate', { hours: input.graceHours })}</button></p>
      </form>
    </div>
    <div class="card">
      <h2>${t('integration.access')}</h2>
      <ul>
        ${input.grants.map(
          (g) =>
            html`<li>
              ${g.email}
              <form method="post" action="/integrations/${i.id}/access/${g.userId}/remove" class="inl">
                ${csrfField(p)}<button class="secondary" type="submit">${t('integration.revokeAccess')}</button>
              </form>
            </li>`,
        )}
      </ul>
      <form method="post" action="/integrations/${i.id}/access" class="inline">
        ${csrfField(p)}
        <div>
          <select name="userId">
            ${input.users.filter((u) => u.role !== 'admin').map((u) => html`<option value="${u.id}">${u.email}</option>`)}
          </select>
        </div>
        <div><button type="submit">${t('integration.grant')}</button></div>
      </form>
    </div>
    <div class="card" data-testid="integration-lifecycle">
      <h2>${p.t('integration.lifecycle')}</h2>
      <p class="muted">${p.t('integration.disableHint')}</p>
      ${
        i.enabled
          ? html`<form method="post" action="/integrations/${i.id}/enabled" data-confirm="${confirmOff}">
              ${csrfField(p)}<input type="hidden" name="enabled" value="0" /><button
                class="danger"
                type="submit"
                data-testid="disable-integration"
              >
                ${p.t('integration.disable')}
              </button>
            </form>`
          : html`<form method="post" action="/integrations/${i.id}/enabled">
              ${csrfField(p)}<input type="hidden" name="enabled" value="1" /><button type="submit" data-testid="enable-integration">
                ${p.t('integration.enable')}
              </button>
            </form>`
      }
      <p class="muted">${p.t('integration.deleteHint')}</p>
      <form method="post" action="/integrations/${i.id}/delete" data-confirm="${confirmDelete}">
        ${csrfField(p)}<button class="danger" type="submit" data-testid="delete-integration">${p.t('integration.delete')}</button>
      </form>
    </div>`;
}
