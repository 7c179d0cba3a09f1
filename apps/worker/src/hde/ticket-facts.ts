import type { HdeClient, HdeTicket } from '@repo/hde-client';
import type { Dialog, DialogsRepo } from '@repo/store';

/** Reads the ticket from HDE (one request) and stores what the webhooks cannot tell. */
export async function refreshTicketFacts(
  hde: Pick<HdeClient, 'getTicket'>,
  dialogs: Pick<DialogsRepo, 'recordTicketFacts'>,
  dialog: Dialog,
): Promise<HdeTicket> {
  const ticket = await hde.getTicket(dialog.ticketId);
  await dialogs.recordTicketFacts(dialog.id, {
    statusId: ticket.statusId,
    ownerId: ticket.ownerId,
    departmentId: ticket.departmentId,
    source: ticket.source,
    tags: ticket.tags,
  });
  return ticket;
}

/** Whether what we know of the ticket is too old to send on without reading it again. */
export function isStale(dialog: Dialog, staleAfterMs: number, now = Date.now()): boolean {
  const known = Math.max(dialog.updatedAt.getTime(), dialog.ticketReadAt?.getTime() ?? 0);
  return now - known > staleAfterMs;
}
