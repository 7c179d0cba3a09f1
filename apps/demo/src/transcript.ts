import { compile } from 'html-to-text';
import { HTML_TEXT_MAX_DEPTH } from '@repo/domain';
import type { HdeSim } from '@repo/hde-sim';

const toText = compile({
  wordwrap: false,
  limits: { maxDepth: HTML_TEXT_MAX_DEPTH },
  selectors: [{ selector: 'a', options: { ignoreHref: true } }],
});

function plain(html: string): string {
  return toText(html).trim();
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? l : `${prefix}${l}`))
    .join('\n');
}

/**
 * A ticket as an agent sees it in HDE: public replies and internal notes in time order, with who
 * wrote each, and the ticket's status, department and assignee.
 */
export function renderTranscript(sim: HdeSim, slug: string, ticketId: number, names: Map<number, string>): string {
  const ticket = sim.getTicket(slug, ticketId);
  const posts = sim
    .posts(slug, ticketId)
    .map((p) => ({ kind: 'post' as const, id: p.id, userId: p.user_id, text: p.text, at: p.date_created }));
  const notes = sim
    .comments(slug, ticketId)
    .map((c) => ({ kind: 'note' as const, id: c.id, userId: c.user_id, text: c.text, at: c.date_created }));
  const entries = [...posts, ...notes].sort((a, b) => (a.at === b.at ? (a.kind === b.kind ? a.id - b.id : a.kind === 'post' ? -1 : 1) : 0));
  const owner = ticket.owner_id ? (names.get(Number(ticket.owner_id)) ?? `#${ticket.owner_id}`) : '—';
  const lines = [
    `━━ Заявка #${ticket.id} «${ticket.title}» · статус: ${ticket.status_id} · отдел: ${ticket.department_name || '—'} · исполнитель: ${owner}`,
  ];
  for (const e of entries) {
    const who = names.get(Number(e.userId)) ?? `#${e.userId}`;
    const time = String(e.at).slice(0, 8);
    const label = e.kind === 'note' ? `  [внутренний комментарий] ${who}` : `  ${who}`;
    const body = plain(e.text);
    lines.push(`${label} · ${time}\n      ${indent(body, '      ')}`);
  }
  return lines.join('\n');
}
