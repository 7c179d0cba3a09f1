import { parseIntegrationSettings } from '@repo/domain';
import type { SuspectedBan } from '@repo/hde-client';
import type { Integration, OverviewStats } from '@repo/store';
import { codeText } from '../i18n/codes';
import type { QueueDepth, ZoneMismatch } from '../services/overview.service';
import { html, utcOffsetText, type Html } from './html';
import type { PageContext } from './layout';
import { firstStepsView } from './dialogs.view';

const CHART_COLORS = ['#2d6cdf', '#2f9e5b', '#d9822b'];

/**
 * Who receives the bot's hand-offs, or a warning key when nobody does: the default target "agent"
 * without an agent id, or "department" without a department id, leaves handed-off tickets unassigned.
 */
export function handoffProblem(integration: Integration): 'overview.handoffUnassigned' | undefined {
  const target = parseIntegrationSettings(integration.settings).handoff.target;
  if (target === 'agent' && integration.handoffAgentId === null) return 'overview.handoffUnassigned';
  if ((target === 'department' || target === 'least_loaded') && integration.handoffDepartmentId === null)
    return 'overview.handoffUnassigned';
  return undefined;
}

/** A grouped bar chart (messages, answers, hand-offs per day) as inline SVG: no script, no CSS. */
function perDayChart(perDay: OverviewStats['perDay']): Html {
  const width = 900;
  const height = 180;
  const max = Math.max(1, ...perDay.map((d) => Math.max(d.messages, d.answered, d.handedOff)));
  const slot = width / Math.max(1, perDay.length);
  const bar = Math.max(2, Math.min(16, (slot - 6) / 3));
  const colors = CHART_COLORS;
  const bars = perDay.map((d, i) =>
    [d.messages, d.answered, d.handedOff].map((v, k) => {
      const h = (v / max) * (height - 30);
      return html`<rect
        x="${(i * slot + k * bar + 3).toFixed(1)}"
        y="${(height - 20 - h).toFixed(1)}"
        width="${bar.toFixed(1)}"
        height="${h.toFixed(1)}"
        fill="${colors[k]}"
        ><title>${d.day}: ${v}</title></rect
      >`;
    }),
  );
  const labels = perDay
    .filter((_, i) => perDay.length <= 14 || i % Math.ceil(perDay.length / 14) === 0)
    .map(
      (d) =>
        html`<text x="${(perDay.indexOf(d) * slot + 3).toFixed(1)}" y="${height - 4}" font-size="11" fill="#556">${d.day.slice(5)}</text>`,
    );
  return html`<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="chart">
    ${bars}${labels}
    <text x="${width - 4}" y="12" font-size="11" text-anchor="end" fill="#556">max ${max}</text>
  </svg>`;
}

/** The overview of one integration and period. */
export function overviewView(
  p: PageContext,
  input: {
    integrations: Integration[];
    integration?: Integration;
    days: number;
    stats?: OverviewStats;
    queues: QueueDepth[];
    ban?: SuspectedBan;
    zone?: ZoneMismatch;
    customerOnlyRule?: boolean;
  },
): Html {
  const { t } = p;
  if (input.integrations.length === 0) return firstStepsView(p);
  const s = input.stats;
  const pct = (n: number, of: number) => (of > 0 ? `${Math.round((n / of) * 100)}%` : '—');
  const stat = (label: string, value: string | number, id: string, hint?: string) =>
    html`<div class="stat" data-testid="stat-${id}"><b>${value}</b>${label}${hint ? html`<small class="muted">${hint}</small>` : ''}</div>`;
  const problem = input.integration ? handoffProblem(input.integration) : undefined;
  const legend = [t('overview.messages'), t('overview.legendAnswered'), t('overview.handedOff')].map(
    (label, k) => html`<span class="legend-item"><span class="swatch s${k}"></span>${label}</span>`,
  );
  return html`<form method="get" action="/overview" class="card inline">
      <div>
        <label for="oi">${t('dialogs.integration')}</label
        ><select id="oi" name="integration">
          ${input.integrations.map((i) => html`<option value="${i.id}" ${input.integration?.id === i.id ? 'selected' : ''}>${i.name}</option>`)}
        </select>
      </div>
      <div>
        <label for="od">${t('overview.period')}</label
        ><select id="od" name="days">
          ${[1, 7, 30, 90].map((d) => html`<option value="${d}" ${input.days === d ? 'selected' : ''}>${t('overview.days', { n: d })}</option>`)}
        </select>
      </div>
      <div><button type="submit">${t('common.search')}</button></div>
    </form>
    ${input.integration && !input.integration.enabled ? html`<div class="warn" data-testid="integration-disabled"><b>${p.t('integration.disabledBanner')}</b></div>` : ''}
    ${problem && input.integration ? html`<div class="flash error" role="alert" data-testid="handoff-warning">${t(problem)} <a href="/integrations/${input.integration.id}">${t('overview.fixHandoff')}</a></div>` : ''}
    ${
      input.zone && input.integration
        ? html`<div class="flash error" role="alert" data-testid="zone-warning">
            ${t('overview.zoneMismatch', {
              offset: utcOffsetText(input.zone.suggestedOffsetMinutes),
              zones: input.zone.suggestedZones.slice(0, 3).join(', ') || '—',
              zone: input.zone.timeZone,
            })}
            <a href="/integrations/${input.integration.id}">${t('overview.fixZone')}</a>
          </div>`
        : ''
    }
    ${input.customerOnlyRule ? html`<div class="flash error" role="alert" data-testid="customer-only-rule-warning">${t('overview.customerOnlyRule')}</div>` : ''}
    ${input.ban ? html`<div class="flash error" role="alert" data-testid="ban-warning">${t('overview.banPersists', { since: new Date(input.ban.since).toISOString().slice(0, 16).replace('T', ' ') })}</div>` : ''}
    ${
      s
        ? html`<div class="grid">
              ${stat(t('overview.messages'), s.messages, 'messages')}
              ${stat(t('overview.answered'), pct(s.answered, s.turns), 'answered', t('overview.answeredHint', { n: s.answered, of: s.turns }))}
              ${stat(t('overview.handedOff'), s.handedOff, 'handed-off')} ${stat(t('overview.silent'), s.silent, 'silent')}
              ${stat(t('overview.resolved'), `${s.resolvedWithoutHuman} / ${s.dialogs}`, 'resolved')}
              ${stat(t('overview.badRatings'), s.badRatings, 'bad-ratings')}
              ${stat(t('overview.failedTurns'), s.failedTurns, 'failed-turns', t('overview.failedTurnsHint'))}
              ${stat(t('overview.failedMessages'), s.failedMessages, 'failed-messages', t('overview.failedMessagesHint'))}
              ${stat(t('overview.failed'), s.failedSends, 'failed')} ${stat(t('overview.quarantined'), s.quarantinedSends, 'quarantined')}
            </div>
            <div class="card">
              <h2>${t('overview.perDay')}</h2>
              <p class="legend" data-testid="chart-legend">${legend}</p>
              ${perDayChart(s.perDay)}
            </div>
            <div class="card">
              <h2>${t('overview.byReason')}</h2>
              <div class="table-wrap">
                <table>
                  <tr>
                    <th>${t('dialog.reasons')}</th>
                    <th>${t('overview.count')}</th>
                  </tr>
                  ${s.handoffByReason.map(
                    (r) =>
                      html`<tr>
                        <td>${codeText(p.locale, 'reason', r.reason)}</td>
                        <td>${r.count}</td>
                      </tr>`,
                  )}
                </table>
              </div>
            </div>`
        : html`<p class="muted">${t('common.none')}</p>`
    }
    ${
      input.queues.length > 0
        ? html`<div class="card">
            <h2>${t('overview.queues')}</h2>
            <div class="table-wrap">
              <table>
                <tr>
                  <th>${t('overview.queue')}</th>
                  <th>${t('overview.qWaiting')}</th>
                  <th>${t('overview.qActive')}</th>
                  <th>${t('overview.qDelayed')}</th>
                  <th>${t('overview.qFailed')}</th>
                </tr>
                ${input.queues.map(
                  (q) =>
                    html`<tr>
                      <td class="mono">${q.name}</td>
                      <td>${q.waiting}</td>
                      <td>${q.active}</td>
                      <td>${q.delayed}</td>
                      <td>${q.failed}</td>
                    </tr>`,
                )}
              </table>
            </div>
          </div>`
        : ''
    }`;
}
