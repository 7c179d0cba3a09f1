import type { Integration, OverviewStats } from '@repo/store';
import type { QueueDepth } from '../services/overview.service';
import { html, type Html } from './html';
import type { PageContext } from './layout';

/** A grouped bar chart (messages, answers, hand-offs per day) as inline SVG: no script, no CSS. */
function perDayChart(perDay: OverviewStats['perDay']): Html {
  const width = 900;
  const height = 180;
  const max = Math.max(1, ...perDay.map((d) => Math.max(d.messages, d.answered, d.handedOff)));
  const slot = width / Math.max(1, perDay.length);
  const bar = Math.max(2, Math.min(16, (slot - 6) / 3));
  const colors = ['#2d6cdf', '#2f9e5b', '#d9822b'];
  const bars = perDay.map((d, i) =>
    [d.messages, d.answered, d.handedOff].map((v, k) => {
      const h = (v / max) * (height - 30);
      return html`<rect x="${(i * slot + k * bar + 3).toFixed(1)}" y="${(height - 20 - h).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" fill="${colors[k]}"><title>${d.day}: ${v}</title></rect>`;
    }),
  );
  const labels = perDay
    .filter((_, i) => perDay.length <= 14 || i % Math.ceil(perDay.length / 14) === 0)
    .map((d) => html`<text x="${(perDay.indexOf(d) * slot + 3).toFixed(1)}" y="${height - 4}" font-size="11" fill="#556">${d.day.slice(5)}</text>`);
  return html`<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="chart">${bars}${labels}<text x="${width - 4}" y="12" font-size="11" text-anchor="end" fill="#556">max ${max}</text></svg>`;
}

/** The overview of one integration and period. */
export function overviewView(p: PageContext, input: { integrations: Integration[]; integration?: Integration; days: number; stats?: OverviewStats; queues: QueueDepth[] }): Html {
  const { t } = p;
  const s = input.stats;
  const pct = (n: number, of: number) => (of > 0 ? `${Math.round((n / of) * 100)}%` : '—');
  const stat = (label: string, value: string | number, id: string) => html`<div class="stat" data-testid="stat-${id}"><b>${value}</b>${label}</div>`;
  return html`<form method="get" action="/overview" class="card inline">
      <div><label for="oi">${t('dialogs.integration')}</label><select id="oi" name="integration">${input.integrations.map((i) => html`<option value="${i.id}" ${input.integration?.id === i.id ? 'selected' : ''}>${i.name}</option>`)}</select></div>
      <div><label for="od">${t('overview.period')}</label><select id="od" name="days">${[1, 7, 30, 90].map((d) => html`<option value="${d}" ${input.days === d ? 'selected' : ''}>${t('overview.days', { n: d })}</option>`)}</select></div>
      <div><button type="submit">${t('common.search')}</button></div></form>
    ${s ? html`<div class="grid">
      ${stat(t('overview.messages'), s.messages, 'messages')}
      ${stat(t('overview.answered'), pct(s.answered, s.turns), 'answered')}
      ${stat(t('overview.handedOff'), s.handedOff, 'handed-off')}
      ${stat(t('overview.silent'), s.silent, 'silent')}
      ${stat(t('overview.resolved'), `${s.resolvedWithoutHuman} / ${s.dialogs}`, 'resolved')}
      ${stat(t('overview.badRatings'), s.badRatings, 'bad-ratings')}
      ${stat(t('overview.failed'), s.failedSends, 'failed')}
      ${stat(t('overview.quarantined'), s.quarantinedSends, 'quarantined')}</div>
      <div class="card"><h2>${t('overview.perDay')}</h2>${perDayChart(s.perDay)}</div>
      <div class="card"><h2>${t('overview.byReason')}</h2><table><tr><th>${t('dialog.reasons')}</th><th>#</th></tr>${s.handoffByReason.map((r) => html`<tr><td>${r.reason}</td><td>${r.count}</td></tr>`)}</table></div>`
      : html`<p class="muted">${t('common.none')}</p>`}
    <div class="card"><h2>${t('overview.queues')}</h2><table><tr><th></th><th>waiting</th><th>active</th><th>delayed</th><th>failed</th></tr>
      ${input.queues.map((q) => html`<tr><td class="mono">${q.name}</td><td>${q.waiting}</td><td>${q.active}</td><td>${q.delayed}</td><td>${q.failed}</td></tr>`)}</table></div>`;
}
