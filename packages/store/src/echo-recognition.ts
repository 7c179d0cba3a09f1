import { comparableText } from './comparable-text';
import type { Db } from './db';
import type { IntakeRecord } from './intake';
import type { Integration } from './integrations.repo';

/** Dependencies of {@link createEchoRecognizer}. */
export type EchoRecognizerDeps = {
  db: Pick<Db, 'query'>;
  /** The integration (its bot user id), usually from the in-process config cache. */
  integration: (id: string) => Promise<Integration | undefined>;
};

type Candidate = { id: string; integrationId: string; ticketId: number; postId: number; html: string | undefined };

function candidateOf(record: IntakeRecord, botUserId: number | null | undefined): Candidate | undefined {
  if (!record.enqueue || record.ticketId === null || botUserId === null || botUserId === undefined) return undefined;
  const payload = record.payload as { authorId?: unknown; postId?: unknown; messageHtml?: unknown } | null;
  if (!payload || payload.authorId !== botUserId || typeof payload.postId !== 'number') return undefined;
  const html = typeof payload.messageHtml === 'string' ? payload.messageHtml : undefined;
  return { id: record.id, integrationId: record.integrationId, ticketId: record.ticketId, postId: payload.postId, html };
}

/**
 * Recognises the webhooks of our own posts coming back, so the intake stores them as processed and
 * never queued: the author is the integration's bot user and the ticket's send ledger holds either a
 * sent reply or note with exactly that HDE post id, or — because HDE dispatches the webhook as soon
 * as the post exists, often before the worker recorded the send — a reply or note still `sending`
 * with the same text (the rule the classify stage applies too). Anything less certain (no post id,
 * the bot account's owner writing by hand) is left to classify. One query per batch, only when the
 * batch has such candidates.
 */
export function createEchoRecognizer(deps: EchoRecognizerDeps) {
  return async function recogniseEchoes(records: readonly IntakeRecord[]): Promise<Set<string>> {
    const bots = new Map<string, number | null>();
    for (const id of new Set(records.map((r) => r.integrationId))) bots.set(id, (await deps.integration(id))?.botUserId ?? null);
    const candidates = records.map((r) => candidateOf(r, bots.get(r.integrationId))).filter((c): c is Candidate => c !== undefined);
    if (candidates.length === 0) return new Set();
    const rows = await deps.db.query<{
      integration_id: string;
      ticket_id: number;
      hde_ref: string | null;
      state: string;
      text: string | null;
    }>(
      // One index lookup per ticket, whatever the planner believes of the ledger's size: a cached
      // plan made while the table was new and small otherwise scans the whole ledger on every batch
      // until the table is next analysed (OFFSET 0 keeps the lookup from being flattened into a join).
      `SELECT l.integration_id, l.ticket_id, l.hde_ref, l.state, l.text
       FROM (SELECT DISTINCT * FROM unnest($1::uuid[], $2::bigint[])) AS c(integration_id, ticket_id)
       CROSS JOIN LATERAL (
         SELECT integration_id, ticket_id, hde_ref, state, CASE WHEN state = 'sending' THEN request->>'text' END AS text
         FROM send_ledger
         WHERE integration_id = c.integration_id AND ticket_id = c.ticket_id
           AND kind IN ('reply', 'note') AND (state = 'sent' OR (state = 'sending' AND hde_ref IS NULL))
         OFFSET 0) l`,
      [candidates.map((c) => c.integrationId), candidates.map((c) => c.ticketId)],
    );
    const sent = new Set(rows.filter((r) => r.state === 'sent').map((r) => `${r.integration_id}:${r.ticket_id}:${r.hde_ref}`));
    const inFlight = new Map<string, string[]>();
    for (const r of rows) {
      if (r.state !== 'sending' || !r.text) continue;
      const key = `${r.integration_id}:${r.ticket_id}`;
      inFlight.set(key, [...(inFlight.get(key) ?? []), comparableText(r.text)]);
    }
    return new Set(
      candidates
        .filter((c) => {
          if (sent.has(`${c.integrationId}:${c.ticketId}:${c.postId}`)) return true;
          const texts = inFlight.get(`${c.integrationId}:${c.ticketId}`);
          if (!texts || c.html === undefined) return false;
          const wanted = comparableText(c.html);
          return wanted !== '' && texts.includes(wanted);
        })
        .map((c) => c.id),
    );
  };
}
/** See {@link createEchoRecognizer}. */
export type EchoRecognizer = ReturnType<typeof createEchoRecognizer>;
