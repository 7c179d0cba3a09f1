import type { Integration, WebhookLogRow } from '@repo/store';
import type { Locale } from '../i18n/messages';
import { fmtDate, html, type Html } from './html';
import type { PageContext } from './layout';
import { OPTIONAL_WEBHOOK_FIELDS, eventOutcomeWord } from '@repo/domain';
import { hdeTicketUrl } from '../services/webhook-guide';

/** The strings of the webhook log and the connection check, per locale. */
const TEXT = {
  ru: {
    title: 'Журнал вебхуков',
    check: 'Проверка подключения',
    intro: 'Последние события, которые HDE прислал этой интеграции, и как они поняты. Текст сообщений здесь не показывается.',
    time: 'Получено',
    source: 'Источник',
    status: 'Разбор',
    ticket: 'Заявка',
    fields: 'Поля',
    outcome: 'Итог',
    empty: 'Событий пока нет.',
    missing: 'нет',
    unexpanded: 'не подставлены',
    alias: 'под другим именем',
    raw: 'тело запроса',
    waiting: 'Ждём первый вебхук от HDE… Создайте тестовую заявку от имени клиента; страница обновляется сама.',
    arrived: 'Вебхук получен',
    allGood: 'Все нужные поля на месте: бот будет отвечать на новые сообщения.',
    fix: 'Что исправить в правиле диспетчера HDE:',
    since: 'Ждём события, полученные после',
    openCheck: 'Проверить подключение',
    openLog: 'Журнал вебхуков',
    statuses: { ok: 'разобран', salvaged: 'восстановлен', unparseable: 'не разобран', quarantined: 'отложен (ошибка записи)' },
    hints: {
      ticket_id: 'в теле нет номера заявки: добавьте "ticket_id": "{ticket_id}" (не {unique_id} — нужен числовой id).',
      message: 'нет текста сообщения: добавьте "message": "{answer_last}".',
      message_author_id: 'нет автора сообщения: добавьте "message_author_id": "{last_post_user_id}".',
      customer_id: 'нет клиента заявки: добавьте "customer_id": "{user_id}".',
      post_id: 'нет id сообщения: добавьте "post_id": "{last_post_id}" — без него одинаковые короткие ответы («да») могут склеиться.',
      unexpanded: 'HDE не подставил теги: {list}. Проверьте написание тегов и что правило срабатывает на «Новый ответ в заявке».',
      ticket_id_not_numeric: 'номер заявки не числовой: используйте {ticket_id}, а не {unique_id}.',
      ticket_id_unexpanded: 'тег номера заявки не подставлен: проверьте "ticket_id": "{ticket_id}".',
      ticket_id_missing: 'в теле нет номера заявки: вставьте тело из инструкции целиком.',
      salvaged:
        'тело пришло не как корректный JSON (кавычки или переводы строк в тексте): мы его восстановили, но лучше выбрать формат JSON в действии «Отправить вебхук».',
    },
  },
  en: {
    title: 'Webhook log',
    check: 'Check the connection',
    intro: 'The newest events HDE sent to this integration and how they were understood. Message text is never shown here.',
    time: 'Received',
    source: 'Source',
    status: 'Parse',
    ticket: 'Ticket',
    fields: 'Fields',
    outcome: 'Outcome',
    empty: 'No events yet.',
    missing: 'missing',
    unexpanded: 'unexpanded',
    alias: 'read as alias',
    raw: 'request body',
    waiting: 'Waiting for the first webhook from HDE… Create a test ticket as a customer; this page refreshes itself.',
    arrived: 'Webhook received',
    allGood: 'Every field the bot needs is there: it will answer new messages.',
    fix: 'What to fix in the HDE dispatcher rule:',
    since: 'Waiting for events received after',
    openCheck: 'Check the connection',
    openLog: 'Webhook log',
    statuses: { ok: 'parsed', salvaged: 'salvaged', unparseable: 'not understood', quarantined: 'set aside (storage error)' },
    hints: {
      ticket_id: 'no ticket id in the body: add "ticket_id": "{ticket_id}" (not {unique_id}: the numeric id is needed).',
      message: 'no message text: add "message": "{answer_last}".',
      message_author_id: 'no message author: add "message_author_id": "{last_post_user_id}".',
      customer_id: 'no ticket customer: add "customer_id": "{user_id}".',
      post_id: 'no post id: add "post_id": "{last_post_id}", or two identical short answers ("yes") may be taken for one.',
      unexpanded: 'HDE left tags unexpanded: {list}. Check their spelling and that the rule fires on «Новый ответ в заявке».',
      ticket_id_not_numeric: 'the ticket id is not a number: use {ticket_id}, not {unique_id}.',
      ticket_id_unexpanded: 'the ticket id tag was not expanded: check "ticket_id": "{ticket_id}".',
      ticket_id_missing: 'the body has no ticket id: paste the whole body from the instructions.',
      salvaged:
        'the body was not valid JSON (quotes or newlines in the text): it was salvaged, but choose the JSON format in the «Отправить вебхук» action.',
    },
  },
} as const;

/** The strings of a locale. */
export function webhookText(locale: Locale) {
  return TEXT[locale] ?? TEXT.en;
}

/** A link to a ticket in HDE's agent interface (the dialog page's `hdeTicketUrl`). */
export function ticketLink(integration: Integration, ticketId: number): string {
  return `${hdeTicketUrl(integration.hdeBaseUrl, ticketId)}/`;
}

/** The unexpanded tags worth fixing: those of the template that nothing reads are left out. */
function unexpandedToFix(row: WebhookLogRow): string[] {
  return row.unexpanded.filter((k) => !OPTIONAL_WEBHOOK_FIELDS.has(k));
}

/** What the admin should change in the rule, from one event (empty when nothing). */
export function fixesFor(locale: Locale, row: WebhookLogRow): string[] {
  const x = webhookText(locale);
  const out: string[] = [];
  if (row.problem && row.problem in x.hints) out.push(x.hints[row.problem as keyof typeof x.hints]);
  for (const field of row.missing) {
    if (field === 'ticket_id' && row.problem) continue;
    if (field in x.hints) out.push(x.hints[field as keyof typeof x.hints]);
  }
  const unexpanded = unexpandedToFix(row);
  if (unexpanded.length > 0) out.push(x.hints.unexpanded.replace('{list}', unexpanded.join(', ')));
  if (row.parseStatus === 'salvaged') out.push(x.hints.salvaged);
  return out;
}

function fieldsCell(locale: Locale, row: WebhookLogRow): Html {
  const x = webhookText(locale);
  const part = (label: string, list: string[]) =>
    list.length ? html`<div><span class="muted">${label}:</span> <span class="mono">${list.join(', ')}</span></div>` : '';
  return html`${part(x.missing, row.missing)}${part(x.unexpanded, unexpandedToFix(row))}${part(x.alias, row.aliases)}`;
}

/** The webhook log of one integration. */
export function webhookLogView(p: PageContext, input: { integration: Integration; rows: WebhookLogRow[]; canSeeRaw: boolean }): Html {
  const x = webhookText(p.locale);
  const i = input.integration;
  return html`<p><a href="/integrations/${i.id}">← ${i.name}</a> · <a href="/integrations/${i.id}/webhooks/check">${x.openCheck}</a></p>
    <p class="muted">${x.intro}</p>
    ${
      input.rows.length === 0
        ? html`<p data-testid="webhook-log-empty">${x.empty}</p>`
        : html`<table data-testid="webhook-log">
            <tr>
              <th>${x.time}</th>
              <th>${x.source}</th>
              <th>${x.status}</th>
              <th>${x.ticket}</th>
              <th>${x.fields}</th>
              <th>${x.outcome}</th>
              <th></th>
            </tr>
            ${input.rows.map(
              (r) =>
                html`<tr data-event="${r.id}" data-status="${r.parseStatus}">
                  <td>${fmtDate(r.receivedAt)}</td>
                  <td>${r.source}</td>
                  <td>${x.statuses[r.parseStatus]}${r.problem ? html` <span class="mono">(${r.problem})</span>` : ''}</td>
                  <td>
                    ${r.ticketId === null ? '—' : html`<a href="${ticketLink(i, r.ticketId)}" rel="noopener noreferrer" target="_blank">#${r.ticketId}</a>`}
                  </td>
                  <td>${fieldsCell(p.locale, r)}</td>
                  <td>${outcomeCell(p.locale, r.outcome)}</td>
                  <td>${input.canSeeRaw && r.bytes > 0 ? html`<a href="/integrations/${i.id}/webhooks/${r.id}/raw">${x.raw}</a>` : ''}</td>
                </tr>`,
            )}
          </table>`
    }`;
}

/**
 * An outcome in the words the rest of the admin uses for it (`@repo/domain`), its code beside it
 * (what logs and the API say); an unknown code (a spool's error code, an older version's) as it is.
 */
function outcomeCell(locale: Locale, outcome: string | null): Html | string {
  if (outcome === null) return '';
  const word = eventOutcomeWord(locale, outcome);
  return word === undefined ? outcome : html`${word} <span class="mono">(${outcome})</span>`;
}

/** The connection check: waits for the first webhook after `since`, then says what arrived and what to fix. */
export function connectionCheckView(p: PageContext, input: { integration: Integration; since: Date; row?: WebhookLogRow }): Html {
  const x = webhookText(p.locale);
  const i = input.integration;
  const back = html`<p><a href="/integrations/${i.id}">← ${i.name}</a> · <a href="/integrations/${i.id}/webhooks">${x.openLog}</a></p>`;
  if (!input.row) {
    return html`${back}
      <div class="card" data-testid="connection-waiting">
        <p>${x.waiting}</p>
        <p class="muted">${x.since} ${fmtDate(input.since)} UTC</p>
      </div>`;
  }
  const r = input.row;
  const fixes = fixesFor(p.locale, r);
  return html`${back}
    <div class="card" data-testid="connection-result" data-ok="${fixes.length === 0 ? '1' : '0'}">
      <h2>${x.arrived}: ${fmtDate(r.receivedAt)} UTC</h2>
      <p>
        ${x.status}: <b>${x.statuses[r.parseStatus]}</b> · ${x.ticket}:
        ${r.ticketId === null ? '—' : html`<a href="${ticketLink(i, r.ticketId)}" rel="noopener noreferrer" target="_blank">#${r.ticketId}</a>`}
      </p>
      ${fieldsCell(p.locale, r)}
      ${
        fixes.length === 0
          ? html`<p class="flash ok">${x.allGood}</p>`
          : html`<p><b>${x.fix}</b></p>
              <ul data-testid="connection-fixes">
                ${fixes.map((f) => html`<li>${f}</li>`)}
              </ul>`
      }
    </div>`;
}
