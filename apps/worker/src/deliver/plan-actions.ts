import { enrichmentFor, type IntegrationSettings } from '@repo/domain';
import type { HdeClient } from '@repo/hde-client';
import type { Dialog, Integration, LedgerKind, TurnDecision } from '@repo/store';
import { draftNoteHtml } from './draft-marker';
import { handoffNoteHtml } from './handoff-note';
import { assignSpec, noteSpec, replySpec, updateSpec } from './hde-actions';
import type { SendSpec } from './send-once';

/** One HDE call of a turn; `key` makes its ledger key unique within the turn. */
export type Action = { key: string; kind: LedgerKind; request: Record<string, unknown>; spec: SendSpec; customerVisible: boolean };

/** Input of {@link planActions}. */
export type PlanInput = {
  turn: TurnDecision;
  dialog: Dialog;
  integration: Integration;
  settings: IntegrationSettings;
  hde: HdeClient;
  /** The customer's messages of the turn, for the hand-off note. */
  questions: string[];
  /** Who gets a handed-off ticket, resolved once per turn (see resolveHandoffTarget). */
  assignTo: { ownerId?: number; departmentId?: number };
  /** How the turn may speak to the customer: the stricter of the mode it was decided in and today's. */
  replyMode: 'public' | 'note';
};

/** The enrichment request: tags to add (merged with the ticket's tags read at send time) and custom fields. */
function enrichRequest(addTags: string[], customFields: Record<string, string | number | boolean>): Record<string, unknown> | undefined {
  const request: Record<string, unknown> = {};
  if (addTags.length > 0) request.addTags = [...new Set(addTags)];
  if (Object.keys(customFields).length > 0) request.customFields = customFields;
  return Object.keys(request).length > 0 ? request : undefined;
}

/**
 * The HDE calls that carry out a decision, in order. An answer is one public reply (or a note in
 * draft mode); a hand-off is the customer notice, an internal note with a summary, the reassignment
 * (owner/department, status) alone, and then the enrichment (hand-off tag, mapped tags and custom
 * fields) as a separate update whose refusal leaves the hand-off done; enrichment of an answered
 * turn is one update, only when the integration maps the classification to tags or custom fields.
 */
export function planActions(input: PlanInput): Action[] {
  const { turn, dialog, integration, settings, hde } = input;
  const ticketId = dialog.ticketId;
  const bot = integration.botUserId;
  const text = turn.replyHtml ?? '';
  const asNote = input.replyMode === 'note';
  const customerMessage: Action = asNote
    ? {
        key: 'draft',
        kind: 'note',
        request: { text: draftNoteHtml(text, turn.classification?.language) },
        spec: noteSpec(hde, ticketId, bot),
        customerVisible: false,
      }
    : { key: 'reply', kind: 'reply', request: { text }, spec: replySpec(hde, ticketId, bot), customerVisible: true };
  const enrichment = turn.classification ? enrichmentFor(settings.enrichment, turn.classification) : { tags: [], customFields: {} };

  if (turn.action !== 'handoff') {
    const actions = text ? [customerMessage] : [];
    const request = enrichRequest(enrichment.tags, enrichment.customFields);
    if (request) actions.push({ key: 'enrich', kind: 'enrich', request, spec: updateSpec(hde, ticketId), customerVisible: false });
    return actions;
  }

  const actions: Action[] = [];
  if (text) actions.push(customerMessage);
  const note = handoffNoteHtml({
    questions: input.questions,
    classification: turn.classification!,
    reasons: turn.reasons,
    hits: turn.kbHits ?? [],
  });
  actions.push({ key: 'summary', kind: 'note', request: { text: note }, spec: noteSpec(hde, ticketId, bot), customerVisible: false });
  // The reassignment goes alone: HDE may refuse an update carrying `tags` as a whole.
  const update: Record<string, unknown> = { ...input.assignTo };
  if (settings.handoff.statusId) update.statusId = settings.handoff.statusId;
  if (Object.keys(update).length > 0)
    actions.push({ key: 'assign', kind: 'assign', request: update, spec: assignSpec(hde, ticketId), customerVisible: false });
  const request = enrichRequest([...enrichment.tags, ...(settings.handoff.tag ? [settings.handoff.tag] : [])], enrichment.customFields);
  if (request) actions.push({ key: 'enrich', kind: 'enrich', request, spec: updateSpec(hde, ticketId), customerVisible: false });
  return actions;
}
