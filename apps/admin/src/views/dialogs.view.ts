import { DECISION_REASONS, parseIntegrationSettings } from '@repo/domain';
import {
  AGENT_QUIET,
  AGENT_REPLIED,
  RETURNED_IN_ADMIN,
  TAKEN_OVER_IN_ADMIN,
  type DialogFilter,
  type DialogListRow,
  type Integration,
  type TurnDecision,
} from '@repo/store';
import type { DialogDetail } from '../services/dialog-detail.service';
import { draftText } from '../services/approve-draft.service';
import { html, qs, raw, type Html } from './html';
import { csrfField, type PageContext } from './layout';
import { codeText, ledgerActionText } from '../i18n/codes';
import { knownZone, zonedTime } from './zoned-time';
import { holderForms, holderHistory, holderReasonText } from './dialog-holder.view';

/**
 * The reasons a dialog's holder can carry, for the list's filter: the bot's hand-off reasons, and why
 * a ticket changed hands otherwise (a staff reply, the admin app, the agents' quiet period, HDE).
 */
const DIALOG_REASONS: readonly string[] = [
  ...DECISION_REASONS,
  AGENT_REPLIED,
  TAKEN_OVER_IN_ADMIN,
  RETURNED_IN_ADMIN,
  AGENT_QUIET,
  'reopened',
  'ticket_restored',
  'ticket_trashed',
  'ticket_gone',
];

const STATES = ['bot', 'handed_off', 'agent', 'closed'] as const;

function day(d: Date | undefined): string {
  return d ? d.toISOString().slice(0, 10) : '';
}

/** What to do first, on an empty app: admins set up HDE; members wait to be given access. */
export function firstStepsView(p: PageContext): Html {
  const { t } = p;
  if (p.user?.role !== 'admin') return html`<div class="card" data-testid="first-steps"><p>${t('start.member')}</p></div>`;
  return html`<div class="card" data-testid="first-steps">
    <h2>${t('start.title')}</h2>
    <ol class="steps">
      <li>${t('start.step1')} <a href="/settings">${t('nav.settings')}</a></li>
      <li>${t('start.step2')}</li>
      <li>${t('start.step3')}</li>
      <li>${t('start.step4')}</li>
    </ol>
  </div>`;
}

/** The dialog list with its filters and pager. */
export function dialogListView(
  p: PageContext,
  input: { integrations: Integration[]; filter: DialogFilter; rows: DialogListRow[]; total: number; page: number; perPage: number },
): Html {
  const { t } = p;
  const f = input.filter;
  const pages = Math.max(1, Math.ceil(input.total / input.perPage));
  // Each row's time in its own integration's HDE zone, as on the dialog page.
  const zones = new Map(input.integrations.map((i) => [i.id, parseIntegrationSettings(i.settings).timeZone]));
  const link = (page: number) =>
    `/dialogs${qs({ integration: f.integrationId, state: f.state, reason: f.handoffReason, drafts: f.awaitingApproval ? 1 : undefined, from: day(f.from), to: f.to ? day(new Date(f.to.getTime() - 86400_000)) : '', q: f.text, page })}`;
  if (input.integrations.length === 0) return firstStepsView(p);
  return html`<form method="get" action="/dialogs" class="card inline" data-testid="dialog-filter">
      <div>
        <label for="fi">${t('dialogs.integration')}</label
        ><select id="fi" name="integration">
          <option value="">${t('common.all')}</option>
          ${input.integrations.map((i) => html`<option value="${i.id}" ${f.integrationId === i.id ? 'selected' : ''}>${i.name}</option>`)}
        </select>
      </div>
      <div>
        <label for="fs">${t('dialogs.state')}</label
        ><select id="fs" name="state">
          <option value="">${t('common.all')}</option>
          ${STATES.map((s) => html`<option value="${s}" ${f.state === s ? 'selected' : ''}>${t(`state.${s}`)}</option>`)}
        </select>
      </div>
      <div>
        <label for="fr">${t('dialog.handoffReason')}</label
        ><select id="fr" name="reason">
          <option value="">${t('common.all')}</option>
          ${DIALOG_REASONS.map((r) => html`<option value="${r}" ${f.handoffReason === r ? 'selected' : ''}>${holderReasonText(p, r)}</option>`)}
        </select>
      </div>
      <div>
        <label for="fd"
          ><input id="fd" name="drafts" type="checkbox" value="1" ${f.awaitingApproval ? 'checked' : ''} /> ${t('dialogs.drafts')}</label
        >
      </div>
      <div><label for="ff">${t('dialogs.from')}</label><input id="ff" name="from" type="date" value="${day(f.from)}" /></div>
      <div>
        <label for="ft">${t('dialogs.to')}</label
        ><input id="ft" name="to" type="date" value="${f.to ? day(new Date(f.to.getTime() - 86400_000)) : ''}" />
      </div>
      <div><label for="fq">${t('dialogs.text')}</label><input id="fq" name="q" type="text" value="${f.text ?? ''}" /></div>
      <div><button type="submit">${t('common.search')}</button></div>
    </form>
    <table data-testid="dialog-list">
      <tr>
        <th>${t('dialogs.ticket')}</th>
        <th>${t('dialogs.integration')}</th>
        <th>${t('dialogs.customer')}</th>
        <th>${t('dialogs.state')}</th>
        <th>${t('dialogs.lastAction')}</th>
        <th>${t('dialogs.messages')}</th>
        <th>${t('dialogs.updated')}</th>
      </tr>
      ${input.rows.map(
        (r) =>
          html`<tr data-testid="dialog-row">
            <td>
              <a href="/dialogs/${r.id}">#${r.ticketId}</a
              >${r.preview ? html`<span class="preview" data-testid="dialog-preview">${r.preview}</span>` : ''}
            </td>
            <td>${r.integrationName}</td>
            <td>${r.customerName ?? ''}</td>
            <td>
              ${t(`state.${r.state}`)}${r.handoffReason ? html`<br /><span class="muted">${holderReasonText(p, r.handoffReason)}</span>` : ''}
            </td>
            <td>
              ${r.lastAction ? html`<span class="badge ${r.lastAction}">${t(`action.${r.lastAction}` as 'action.answer')}</span>` : ''}
            </td>
            <td>${r.messages}</td>
            <td>${zonedTime(r.updatedAt, zones.get(r.integrationId) ?? '')}</td>
          </tr>`,
      )}
    </table>
    ${input.rows.length === 0 ? html`<p class="muted" data-testid="no-dialogs">${t('common.none')}</p>` : ''}
    <div class="pager">
      ${input.page > 1 ? html`<a href="${link(input.page - 1)}">${t('common.prev')}</a>` : ''}
      <span class="muted">${t('common.page', { page: input.page, pages, total: input.total })}</span>
      ${input.page < pages ? html`<a href="${link(input.page + 1)}">${t('common.next')}</a>` : ''}
    </div>`;
}

/** Who a hand-off went to, in words: « → Мария Сидорова, отдел «Поддержка»». */
function assigneeText(p: PageContext, to: { agent: string | null; department: string | null } | undefined): Html | string {
  if (!to || (!to.agent && !to.department)) return '';
  const parts = [...(to.agent ? [to.agent] : []), ...(to.department ? [`${p.t('dialog.department')} «${to.department}»`] : [])];
  return html` <span data-testid="assignee">→ ${p.t('dialog.assignedTo')}: ${parts.join(', ')}</span>`;
}

function turnView(p: PageContext, detail: DialogDetail, turn: TurnDecision, canApprove: boolean): Html {
  const { t } = p;
  const c = turn.classification;
  const actions = detail.ledger.filter((e) => e.actionKey.endsWith(`-${turn.turnId}`));
  const approved = actions.find((e) => e.actionKey === `approved-${turn.turnId}`);
  const isDraft =
    detail.integration.replyMode === 'note' &&
    (turn.action === 'answer' || turn.action === 'clarify') &&
    turn.replyHtml &&
    approved?.state !== 'sent';
  const ratings = detail.ratings.filter((r) => r.turnId === turn.turnId);
  const L = p.locale;
  const broken = actions.filter((a) => a.state === 'failed' || a.state === 'quarantined');
  const failed = turn.stage === 'failed' || broken.length > 0;
  const failureText = (turn.result as { error?: unknown } | null | undefined)?.error;
  return html`<div class="turn card" data-testid="turn" data-turn="${turn.turnId}">
    <h3>
      ${t('dialog.turn')} · ${t('dialog.stage')}:
      <span class="badge ${failed ? 'failed' : ''}" data-testid="turn-stage">${codeText(L, 'stage', failed ? 'failed' : turn.stage)}</span>
    </h3>
    ${
      failed
        ? html`<div class="failure" role="alert" data-testid="turn-failed">
            <b>${t('dialog.failedTitle')}</b>
            ${t(turn.action === 'answer' || turn.action === 'clarify' ? 'dialog.failedReply' : 'dialog.failedAction')}
            ${broken.map((a) => html`<br />${ledgerActionText(L, a.actionKey)}: ${codeText(L, 'ledgerState', a.state)}${a.error ? html` <span class="muted">(${a.error})</span>` : ''}`)}
            ${broken.length === 0 && typeof failureText === 'string' ? html`<br /><span class="muted">${failureText}</span>` : ''}
          </div>`
        : ''
    }
    ${
      c
        ? html`<p>
            <b>${t('dialog.classification')}:</b> ${t('dialog.intent')}:
            <span class="badge">${codeText(L, 'intent', c.intent)}</span>
            (${t('dialog.sure', { pct: Math.round(c.intentConfidence * 100) })}), ${t('dialog.topic')}: ${c.topic ?? '—'},
            ${t('dialog.tone')}: ${codeText(L, 'tone', c.tone)}, ${t('dialog.language')}: ${codeText(L, 'language', c.language)}
          </p>`
        : ''
    }
    <p><b>${t('dialog.kbHits')}:</b></p>
    <ul>
      ${(turn.kbHits ?? []).map((h) => html`<li>${h.title} — ${(h.score * 100).toFixed(0)}% <span class="muted">(#${h.articleId})</span></li>`)}
    </ul>
    <p>
      <b>${t('dialog.decision')}:</b>
      ${turn.action ? html`<span class="badge ${turn.action}" data-testid="decision">${t(`action.${turn.action}`)}</span>` : '—'}
      ${turn.confidence !== null ? html` · <span data-testid="confidence">${t('dialog.confidenceVsThreshold', { confidence: Math.round(turn.confidence * 100), threshold: Math.round(detail.confidenceThreshold * 100) })}</span>` : ''}
    </p>
    <p><b>${t('dialog.reasons')}:</b> <span data-testid="reasons">${turn.reasons.map((r) => codeText(L, 'reason', r)).join('; ')}</span></p>
    ${
      turn.replyHtml
        ? html`<details>
            <summary>${t('dialog.reply')}</summary>
            <pre>${draftText(turn.replyHtml)}</pre>
          </details>`
        : ''
    }
    ${
      actions.length > 0
        ? html`<p><b>${t('dialog.hdeActions')}:</b></p>
            <ul data-testid="hde-actions">
              ${actions.map((a) => html`<li>${ledgerActionText(L, a.actionKey)}: <span class="badge ${a.state}">${codeText(L, 'ledgerState', a.state)}</span>${a.hdeRef ? html` → #${a.hdeRef}` : ''}${assigneeText(p, detail.assignees[a.actionKey])}${a.error ? html` <span class="muted">${a.state === 'skipped' ? codeText(L, 'reason', a.error) : a.error}</span>` : ''}</li>`)}
            </ul>`
        : ''
    }
    ${
      isDraft && canApprove
        ? html`<form method="post" action="/dialogs/${detail.dialog.id}/turns/${turn.turnId}/approve" data-testid="approve-form">
            ${csrfField(p)} <label for="draft-${turn.turnId}">${t('dialog.draft')}</label
            ><textarea id="draft-${turn.turnId}" name="text" rows="8">${draftText(turn.replyHtml ?? '')}</textarea>
            <p><button type="submit">${t('dialog.approve')}</button></p>
          </form>`
        : ''
    }
    ${
      turn.replyHtml
        ? html`<form method="post" action="/dialogs/${detail.dialog.id}/turns/${turn.turnId}/rate" class="inline">
            ${csrfField(p)}
            <div><b>${t('dialog.rate')}:</b></div>
            <div><button name="rating" value="good" type="submit" class="secondary">${t('dialog.good')}</button></div>
            <div><input name="reason" type="text" placeholder="${t('dialog.badReason')}" maxlength="500" /></div>
            <div><button name="rating" value="bad" type="submit" class="secondary">${t('dialog.bad')}</button></div>
          </form>`
        : ''
    }
    ${ratings.length > 0 ? html`<p class="muted">${t('dialog.ratings')}: ${ratings.map((r) => html`${r.userEmail}: ${r.rating}${r.reason ? html` (${r.reason})` : ''}; `)}</p>` : ''}
  </div>`;
}

/** One dialog: messages in order, each bot turn with what it found, decided and did. */
export function dialogView(p: PageContext, detail: DialogDetail): Html {
  const { t } = p;
  const d = detail.dialog;
  const turnsById = new Map(detail.decisions.map((x) => [x.turnId, x]));
  const shown = new Set<string>();
  const parts: Html[] = [];
  detail.messages.forEach((m, index) => {
    const who = t(`author.${m.authorKind}`);
    const name =
      m.authorKind === 'customer'
        ? (d.customerName ?? (m.authorId !== null ? `#${m.authorId}` : ''))
        : m.authorKind === 'agent' && m.authorId !== null
          ? (detail.authorNames[m.authorId] ?? `#${m.authorId}`)
          : '';
    const text = m.text || (m.html ? draftText(m.html) : '');
    const failed = m.status === 'failed';
    parts.push(
      html`<div class="msg ${m.authorKind} ${failed ? 'failed' : ''}" data-testid="message">
        <div class="who">
          ${who}${name ? html`: <span data-testid="author-name">${name}</span>` : ''} ·
          <time datetime="${new Date(m.postedAt ?? m.createdAt).toISOString()}" data-testid="message-time"
            >${zonedTime(m.postedAt ?? m.createdAt, detail.timeZone)}</time
          >${failed ? html` · <span class="badge failed" data-testid="message-failed">${codeText(p.locale, 'messageStatus', m.status)}</span>` : ''}
        </div>
        <div>${raw(escapeLines(text))}</div>
      </div>`,
    );
    const next = detail.messages[index + 1];
    if (m.turnId && turnsById.has(m.turnId) && next?.turnId !== m.turnId && !shown.has(m.turnId)) {
      shown.add(m.turnId);
      parts.push(turnView(p, detail, turnsById.get(m.turnId)!, true));
    }
  });
  for (const turn of detail.decisions) if (!shown.has(turn.turnId)) parts.push(turnView(p, detail, turn, true));
  return html`<div class="card">
      <p>
        <a href="${detail.hdeUrl}" target="_blank" rel="noopener noreferrer" data-testid="hde-link"
          >${t('dialog.openInHde')} #${d.ticketId}</a
        >
        · ${detail.integration.name} · ${t('dialogs.state')}:
        <b data-testid="dialog-state">${t(`state.${d.state}`)}</b>
        ${d.handoffReason ? html` · ${t('dialog.handoffReason')}: <span data-testid="handoff-reason">${holderReasonText(p, d.handoffReason)}</span>` : ''}
        · ${t('dialogs.customer')}:
        <span data-testid="customer-name">${d.customerName ?? (d.customerId !== null ? `#${d.customerId}` : '')}</span>
      </p>
      <p class="muted" data-testid="time-zone">${t('dialog.timesIn', { zone: knownZone(detail.timeZone) })}</p>
      ${holderForms(p, detail)} ${holderHistory(p, detail)}
    </div>
    ${pageLinks(p, detail)} ${parts} ${detail.page.newest ? '' : pageLinks(p, detail, true)}`;
}

/** Links to the older messages of a long ticket and back to the newest ones. */
function pageLinks(p: PageContext, detail: DialogDetail, newestOnly = false): Html | '' {
  const { t } = p;
  const older = !newestOnly && detail.page.olderBefore !== null;
  if (!older && detail.page.newest) return '';
  return html`<p class="muted" data-testid="dialog-pages">
    ${
      older
        ? html`${t('dialog.olderHidden', { n: String(detail.messages.length) })}
            <a href="/dialogs/${detail.dialog.id}?before=${detail.page.olderBefore}" data-testid="older-messages"
              >${t('dialog.olderMessages')}</a
            >`
        : ''
    }
    ${!detail.page.newest ? html`${older ? ' · ' : ''}<a href="/dialogs/${detail.dialog.id}" data-testid="newest-messages">${t('dialog.newestMessages')}</a>` : ''}
  </p>`;
}

function escapeLines(text: string): string {
  return html`${text}`.value.replace(/\n/g, '<br>');
}
