import type { Classification, DecisionAction, KbHit } from '@repo/domain';
import type { Db } from './db';
import type { ReplyMode } from './integrations.repo';

/** How far a turn got through the pipeline. */
export type TurnStage = 'classified' | 'retrieved' | 'decided' | 'delivered' | 'failed';

/** What the bot found and decided for one turn. */
export type TurnDecision = {
  id: number;
  dialogId: number;
  turnId: string;
  messageIds: number[];
  stage: TurnStage;
  classification: Classification | null;
  kbHits: KbHit[] | null;
  action: DecisionAction | null;
  reasons: string[];
  confidence: number | null;
  replyHtml: string | null;
  citations: number[];
  result: Record<string, unknown> | null;
  /** The integration's reply mode when the turn was decided (null for turns decided before it was kept). */
  replyMode: ReplyMode | null;
  createdAt: Date;
};

/** Fields a stage may set on a turn's decision. */
export type TurnPatch = Partial<
  Pick<
    TurnDecision,
    'stage' | 'classification' | 'kbHits' | 'action' | 'reasons' | 'confidence' | 'replyHtml' | 'citations' | 'result' | 'replyMode'
  >
>;

/* eslint-disable @typescript-eslint/no-explicit-any */
export function toDecision(r: any): TurnDecision {
  return {
    id: r.id,
    dialogId: r.dialog_id,
    turnId: r.turn_id,
    messageIds: (r.message_ids ?? []).map(Number),
    stage: r.stage,
    classification: r.classification,
    kbHits: r.kb_hits,
    action: r.action,
    reasons: r.reasons ?? [],
    confidence: r.confidence,
    replyHtml: r.reply_html,
    citations: (r.citations ?? []).map(Number),
    result: r.result,
    replyMode: r.reply_mode ?? null,
    createdAt: r.created_at,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const JSON_COLUMNS = new Set(['classification', 'kb_hits', 'result']);
const COLUMN_OF: Record<keyof TurnPatch, string> = {
  stage: 'stage',
  classification: 'classification',
  kbHits: 'kb_hits',
  action: 'action',
  reasons: 'reasons',
  confidence: 'confidence',
  replyHtml: 'reply_html',
  citations: 'citations',
  result: 'result',
  replyMode: 'reply_mode',
};

/** Repository of per-turn decisions. */
export function createDecisionsRepo(db: Db) {
  return {
    /**
     * Records a turn's classification and what the knowledge base gave it (stage `retrieved`), in one
     * statement. A turn left at `classified` (by an earlier run) is completed; a turn at a later stage
     * is never moved back.
     */
    async recordRetrieved(input: {
      dialogId: number;
      turnId: string;
      messageIds: number[];
      classification: Classification;
      kbHits: KbHit[];
      /** See `TurnClaim.claimedSeq`. */
      claimedSeq?: number;
    }): Promise<void> {
      await db.query(
        `INSERT INTO decisions (dialog_id, turn_id, message_ids, classification, kb_hits, stage, claimed_seq)
         VALUES ($1,$2,$3,$4,$5,'retrieved',$6)
         ON CONFLICT (turn_id) DO UPDATE SET classification = EXCLUDED.classification, kb_hits = EXCLUDED.kb_hits,
           stage = 'retrieved', updated_at = now()
         WHERE decisions.stage = 'classified'`,
        [
          input.dialogId,
          input.turnId,
          input.messageIds,
          JSON.stringify(input.classification),
          JSON.stringify(input.kbHits),
          input.claimedSeq ?? null,
        ],
      );
    },

    /** Reads a turn's decision. */
    async get(turnId: string): Promise<TurnDecision | undefined> {
      const rows = await db.query('SELECT * FROM decisions WHERE turn_id = $1', [turnId]);
      return rows[0] ? toDecision(rows[0]) : undefined;
    },

    /** Updates what a stage found or did. */
    async update(turnId: string, patch: TurnPatch): Promise<void> {
      const sets: string[] = [];
      const params: unknown[] = [turnId];
      for (const [key, value] of Object.entries(patch) as Array<[keyof TurnPatch, unknown]>) {
        if (value === undefined) continue;
        const column = COLUMN_OF[key];
        params.push(JSON_COLUMNS.has(column) ? JSON.stringify(value) : value);
        sets.push(`${column} = $${params.length}`);
      }
      if (sets.length === 0) return;
      await db.query(`UPDATE decisions SET ${sets.join(', ')}, updated_at = now() WHERE turn_id = $1`, params);
    },

    /** A dialog's decisions in order. */
    async forDialog(dialogId: number): Promise<TurnDecision[]> {
      const rows = await db.query('SELECT * FROM decisions WHERE dialog_id = $1 ORDER BY id', [dialogId]);
      return rows.map(toDecision);
    },
  };
}
/** See {@link createDecisionsRepo}. */
export type DecisionsRepo = ReturnType<typeof createDecisionsRepo>;
