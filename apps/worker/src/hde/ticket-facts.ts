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
    tags: ticket.tags ?? null,
  });
  return ticket;
}

/** Whether what we know of the ticket is too old to send on without reading it again. */
export function isStale(dialog: Dialog, staleAfterMs: number, now = Date.now()): boolean {
  const known = Math.max(dialog.updatedAt.getTime(), dialog.ticketReadAt?.getTime() ?? 0);
  return now - known > staleAfterMs;
}

/**
 * After HDE refused a reply with a 400 on posting (what it answers for a closed ticket, and also for
 * a bad request): reads the ticket (one request) and records what it is. Returns whether the ticket
 * is closed; a read that fails tells nothing (false), so the refusal stays a failure.
 */
export async function confirmClosed(
  hde: Pick<HdeClient, 'getTicket'>,
  dialogs: Pick<DialogsRepo, 'recordTicketFacts'>,
  dialog: Dialog,
): Promise<boolean> {
  try {
    return (await refreshTicketFacts(hde, dialogs, dialog)).statusId === 'closed';
  } catch {
    return false;
  }
}
