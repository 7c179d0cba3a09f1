import type { Db } from './db';
import type { IntakeRecord } from './intake';
import type { Integration } from './integrations.repo';

/** Dependencies of {@link createEchoRecognizer}. */
export type EchoRecognizerDeps = {
  db: Pick<Db, 'query'>;
  /** The integration (its bot user id), usually from the in-process config cache. */
  integration: (id: string) => Promise<Integration | undefined>;
};

type Candidate = { id: string; integrationId: string; ticketId: number; postId: number };

function candidateOf(record: IntakeRecord, botUserId: number | null | undefined): Candidate | undefined {
  if (!record.enqueue || record.ticketId === null || botUserId === null || botUserId === undefined) return undefined;
  const payload = record.payload as { authorId?: unknown; postId?: unknown } | null;
  if (!payload || payload.authorId !== botUserId || typeof payload.postId !== 'number') return undefined;
  return { id: record.id, integrationId: record.integrationId, ticketId: record.ticketId, postId: payload.postId };
}

/**
 * Recognises the webhooks of our own posts coming back, so the intake stores them as processed and
 * never queues them: the author is the integration's bot user and the send ledger holds a sent reply
 * or note with exactly that HDE post id on that ticket. Anything less certain (no post id, the ledger
 * not yet updated, the bot account's owner writing by hand) is left to the classify stage, which
 * decides with the full rules. One query per batch, only when a batch has such candidates.
 */
export function createEchoRecognizer(deps: EchoRecognizerDeps) {
  return async function recogniseEchoes(records: readonly IntakeRecord[]): Promise<Set<string>> {
    const bots = new Map<string, number | null>();
    for (const id of new Set(records.map((r) => r.integrationId))) bots.set(id, (await deps.integration(id))?.botUserId ?? null);
    const candidates = records.map((r) => candidateOf(r, bots.get(r.integrationId))).filter((c): c is Candidate => c !== undefined);
    if (candidates.length === 0) return new Set();
    const rows = await deps.db.query<{ integration_id: string; ticket_id: number; hde_ref: string }>(
      `SELECT l.integration_id, l.ticket_id, l.hde_ref FROM send_ledger l
       JOIN unnest($1::uuid[], $2::bigint[], $3::text[]) AS c(integration_id, ticket_id, hde_ref)
         ON l.integration_id = c.integration_id AND l.hde_ref = c.hde_ref AND l.ticket_id = c.ticket_id
       WHERE l.state = 'sent' AND l.kind IN ('reply', 'note')`,
      [candidates.map((c) => c.integrationId), candidates.map((c) => c.ticketId), candidates.map((c) => String(c.postId))],
    );
    const sent = new Set(rows.map((r) => `${r.integration_id}:${r.ticket_id}:${r.hde_ref}`));
    return new Set(candidates.filter((c) => sent.has(`${c.integrationId}:${c.ticketId}:${c.postId}`)).map((c) => c.id));
  };
}
/** See {@link createEchoRecognizer}. */
export type EchoRecognizer = ReturnType<typeof createEchoRecognizer>;
