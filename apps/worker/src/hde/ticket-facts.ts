import { AppError } from '@repo/domain';
import type { HdeClient, HdeTicket } from '@repo/hde-client';
import type { Dialog, DialogsRepo } from '@repo/store';

/**
 * The ticket is in HDE's trash (`deleted: 1`; HDE's default delete moves a ticket there, where
 * agents put spam): the bot writes nothing into it. Not retried; nothing was lost.
 */
export class TicketTrashedError extends AppError<'ticket_trashed'> {
  constructor(ticketId: number) {
    super('ticket_trashed', `Ticket ${ticketId} is in HDE's trash`, { retryable: false });
    this.name = 'TicketTrashedError';
  }
}

/** Whether an error says the ticket is in HDE's trash. */
export const isTicketTrashed = (error: unknown): error is TicketTrashedError => error instanceof TicketTrashedError;

/**
 * Reads the ticket from HDE (one request) and stores what the webhooks cannot tell. A ticket in
 * HDE's trash closes the dialog for the bot (state `closed`, reason `ticket_trashed`), so later
 * turns — which do not read the ticket while its webhooks are fresh — stay silent too, and is
 * reported as {@link TicketTrashedError}.
 */
export async function refreshTicketFacts(
  hde: Pick<HdeClient, 'getTicket'>,
  dialogs: Pick<DialogsRepo, 'recordTicketFacts' | 'setState'>,
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
  if (ticket.deleted) {
    await dialogs.setState(dialog.id, 'closed', 'ticket_trashed');
    throw new TicketTrashedError(dialog.ticketId);
  }
  return ticket;
}

/** A ticket seen in the trash is read again at most this often, however fast messages come into it. */
export const TRASH_RECHECK_MS = 60_000;

/**
 * Whether a ticket the bot last saw in HDE's trash has been restored since: one read, made when its
 * customer writes again (an agent may have put it back, a spam filter's mistake undone), at most
 * once per {@link TRASH_RECHECK_MS}, so a spammer writing on into a trashed ticket cannot spend the
 * account's HDE budget. True once the ticket is out of the trash; the dialog's state is then the
 * caller's to set.
 */
export async function restoredFromTrash(
  hde: Pick<HdeClient, 'getTicket'>,
  dialogs: Pick<DialogsRepo, 'recordTicketFacts' | 'setState'>,
  dialog: Dialog,
  now = Date.now(),
): Promise<boolean> {
  if (dialog.state !== 'closed' || dialog.handoffReason !== 'ticket_trashed') return false;
  if (dialog.ticketReadAt && now - dialog.ticketReadAt.getTime() < TRASH_RECHECK_MS) return false;
  try {
    await refreshTicketFacts(hde, dialogs, dialog);
    return true;
  } catch (error) {
    if (isTicketTrashed(error)) return false;
    throw error;
  }
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
  dialogs: Pick<DialogsRepo, 'recordTicketFacts' | 'setState'>,
  dialog: Dialog,
): Promise<boolean> {
  try {
    return (await refreshTicketFacts(hde, dialogs, dialog)).statusId === 'closed';
  } catch (error) {
    // A trashed ticket is as closed as it gets: the rest of the turn must not write into it.
    return isTicketTrashed(error);
  }
}
