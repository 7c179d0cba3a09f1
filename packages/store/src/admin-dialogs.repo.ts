import type { Db } from './db';
import { toDecision, type TurnDecision } from './decisions.repo';
import { recentMessagesOf, type DialogMessage, type DialogState } from './dialogs.repo';
import { toEntry, type LedgerEntry } from './ledger.repo';
import { visibleIntegrationSql, type Viewer } from './admin-access.repo';

/** Filters of the dialog list. */
export type DialogFilter = {
  integrationId?: string;
  state?: DialogState;
  /** Dialogs updated at or after this time. */
  from?: Date;
  /** Dialogs updated before this time. */
  to?: Date;
  /** Substring of any message, the customer's name, or the ticket id. */
  text?: string;
  /** Dialogs handed off for this reason (a decision reason code). */
  handoffReason?: string;
  /** Only dialogs with a bot draft (reply mode "note") that no one has approved yet. */
  awaitingApproval?: boolean;
  page?: number;
  perPage?: number;
};

/** Messages a dialog page shows at most; older ones are a page further (`DialogPage.olderBefore`). */
export const DIALOG_PAGE_MESSAGES = 200;

/** One page of a dialog: its newest messages (or those before a message), with their turns. */
export type DialogPage = {
  /** Oldest first. */
  messages: DialogMessage[];
  /** The decisions of the shown messages' turns (and, on the newest page, any newer decision). */
  decisions: TurnDecision[];
  /** The HDE actions of those turns, their approved drafts included. */
  ledger: LedgerEntry[];
  /** Pass as `beforeId` for the page of older messages; null when these are the oldest. */
  olderBefore: number | null;
};

/** One row of the dialog list. */
export type DialogListRow = {
  id: number;
  integrationId: string;
  integrationName: string;
  ticketId: number;
  customerName: string | null;
  state: DialogState;
  handoffReason: string | null;
  botReplies: number;
  messages: number;
  lastAction: string | null;
  /** The start of the customer's first message (at most 140 characters). */
  preview: string | null;
  updatedAt: Date;
};

/** Counters of one integration over a period, for the overview page. */
export type OverviewStats = {
  messages: number;
  turns: number;
  /** Answers actually delivered in HDE; an answer whose send failed counts in `failedTurns`, never here. */
  answered: number;
  /** Turns that ended failed: no reply or hand-off reached HDE. */
  failedTurns: number;
  /**
   * Customer messages marked failed: no reply and no hand-off reached HDE for them, whether their
   * turn failed or their event could not be processed at all (quarantined after repeated errors).
   */
  failedMessages: number;
  handedOff: number;
  silent: number;
  clarified: number;
  handoffByReason: Array<{ reason: string; count: number }>;
  dialogs: number;
  resolvedWithoutHuman: number;
  goodRatings: number;
  badRatings: number;
  failedSends: number;
  quarantinedSends: number;
  perDay: Array<{ day: string; messages: number; answered: number; handedOff: number }>;
};

function escapeLike(text: string): string {
  return text.replace(/[%_\\]/g, (c) => `\\${c}`);
}

/** Repository of the admin app's dialog reads: the filtered list and the overview counters. */
export function createAdminDialogsRepo(db: Db) {
  return {
    /** Dialogs the viewer may see, filtered, newest first, one page at a time. */
    async list(viewer: Viewer, filter: DialogFilter): Promise<{ rows: DialogListRow[]; total: number; page: number; perPage: number }> {
      const perPage = Math.min(Math.max(filter.perPage ?? 25, 1), 200);
      const page = Math.max(filter.page ?? 1, 1);
      const params: unknown[] = [viewer.organizationId, viewer.role === 'admin', viewer.userId];
      const where = [visibleIntegrationSql('i', '$1', '$2', '$3')];
      const add = (sql: (p: string) => string, value: unknown) => {
        params.push(value);
        where.push(sql(`$${params.length}`));
      };
      if (filter.integrationId) add((p) => `d.integration_id = ${p}::uuid`, filter.integrationId);
      if (filter.state) add((p) => `d.state = ${p}`, filter.state);
      if (filter.from) add((p) => `d.updated_at >= ${p}`, filter.from);
      if (filter.to) add((p) => `d.updated_at < ${p}`, filter.to);
      if (filter.handoffReason) add((p) => `d.handoff_reason = ${p}`, filter.handoffReason);
      if (filter.awaitingApproval) {
        where.push(`EXISTS (SELECT 1 FROM decisions x WHERE x.dialog_id = d.id AND COALESCE(x.reply_mode, i.reply_mode) = 'note' AND x.action IN ('answer', 'clarify')
          AND x.reply_html IS NOT NULL AND NOT EXISTS (SELECT 1 FROM send_ledger l WHERE l.dialog_id = d.id
            AND l.action_key = 'approved-' || x.turn_id AND l.state IN ('planned', 'sending', 'sent', 'ambiguous')))`);
      }
      const text = filter.text?.trim();
      if (text) {
        add(
          (p) => `(d.customer_name ILIKE '%' || ${p} || '%' OR d.ticket_id::text = ${p}
            OR EXISTS (SELECT 1 FROM messages m WHERE m.dialog_id = d.id AND m.text ILIKE '%' || ${p} || '%'))`,
          escapeLike(text),
        );
      }
      const whereSql = where.join(' AND ');
      const count = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM dialogs d JOIN integrations i ON i.id = d.integration_id WHERE ${whereSql}`,
        params,
      );
      const rows = await db.query<DialogListRow>(
        `SELECT d.id, d.integration_id AS "integrationId", i.name AS "integrationName", d.ticket_id AS "ticketId",
           d.customer_name AS "customerName", d.state, d.handoff_reason AS "handoffReason", d.bot_replies AS "botReplies",
           (SELECT count(*)::int FROM messages m WHERE m.dialog_id = d.id) AS messages,
           (SELECT x.action FROM decisions x WHERE x.dialog_id = d.id ORDER BY x.id DESC LIMIT 1) AS "lastAction",
           (SELECT left(m.text, 140) FROM messages m WHERE m.dialog_id = d.id AND m.author_kind = 'customer' ORDER BY m.id LIMIT 1) AS preview,
           d.updated_at AS "updatedAt"
         FROM dialogs d JOIN integrations i ON i.id = d.integration_id WHERE ${whereSql}
         ORDER BY d.updated_at DESC, d.id DESC LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`,
        params,
      );
      return { rows, total: count[0]?.n ?? 0, page, perPage };
    },

    /**
     * One page of a dialog for people to read: a ticket may hold thousands of posts (a notification
     * rule, a long conversation with agents), and the page, the API and the agents' names read from
     * HDE must stay bounded. The newest `limit` messages before `beforeId` (all of them without it),
     * the decisions and HDE actions of their turns, and the cursor of the page before.
     */
    async page(dialogId: number, options: { limit?: number; beforeId?: number | undefined } = {}): Promise<DialogPage> {
      const limit = Math.max(1, Math.min(options.limit ?? DIALOG_PAGE_MESSAGES, 1000));
      const newest = options.beforeId === undefined;
      const rows = await recentMessagesOf(db, dialogId, limit + 1, options.beforeId);
      const older = rows.length > limit;
      const messages = older ? rows.slice(1) : rows;
      const turnIds = [...new Set(messages.flatMap((m) => (m.turnId ? [m.turnId] : [])))];
      // On the newest page also the turns newer than its oldest message, whether or not a message
      // names them (a turn whose messages were not linked still shows).
      const since = newest ? (messages[0]?.createdAt ?? new Date(0)) : null;
      const [decisions, ledger] = await Promise.all([
        db.query(
          `SELECT * FROM (SELECT * FROM decisions WHERE dialog_id = $1 AND (turn_id = ANY($2::text[]) OR created_at >= $3)
             ORDER BY id DESC LIMIT $4) x ORDER BY id`,
          [dialogId, turnIds, since, limit * 2],
        ),
        db.query(
          `SELECT * FROM (SELECT * FROM send_ledger WHERE dialog_id = $1
             AND (turn_id = ANY($2::text[]) OR action_key = ANY($3::text[]) OR created_at >= $4)
             ORDER BY id DESC LIMIT $5) l ORDER BY id`,
          [dialogId, turnIds, turnIds.map((t) => `approved-${t}`), since, limit * 8],
        ),
      ]);
      return {
        messages,
        decisions: decisions.map(toDecision),
        ledger: ledger.map(toEntry),
        olderBefore: older ? (messages[0]?.id ?? null) : null,
      };
    },

    /** Counters of one integration between `from` (inclusive) and `to` (exclusive). */
    async overview(integrationId: string, from: Date, to: Date): Promise<OverviewStats> {
      const p = [integrationId, from, to];
      const one = async (sql: string): Promise<number> => (await db.query<{ n: number }>(sql, p))[0]?.n ?? 0;
      const messages = await one(
        `SELECT count(*)::int AS n FROM messages m JOIN dialogs d ON d.id = m.dialog_id
         WHERE d.integration_id = $1 AND m.author_kind = 'customer' AND m.created_at >= $2 AND m.created_at < $3`,
      );
      // From the few failed messages (a partial index) to their dialogs by primary key, not a join
      // that walked the integration's dialogs once per failed message.
      const failedMessages = await one(
        `SELECT count(*)::int AS n FROM messages m
         WHERE m.author_kind = 'customer' AND m.status = 'failed' AND m.created_at >= $2 AND m.created_at < $3
           AND (SELECT d.integration_id FROM dialogs d WHERE d.id = m.dialog_id) = $1`,
      );
      const actions = await db.query<{ action: string | null; n: number; delivered: number; failed: number }>(
        // A turn failed when its stage says so or when one of its HDE actions failed or was quarantined.
        `WITH t AS (
           SELECT x.action, x.stage,
             (x.stage = 'failed' OR EXISTS (SELECT 1 FROM send_ledger l WHERE l.dialog_id = x.dialog_id
                AND l.action_key LIKE '%-' || x.turn_id AND l.state IN ('failed', 'quarantined'))) AS failed
           FROM decisions x JOIN dialogs d ON d.id = x.dialog_id
           WHERE d.integration_id = $1 AND x.created_at >= $2 AND x.created_at < $3)
         SELECT action, count(*)::int AS n, count(*) FILTER (WHERE stage = 'delivered' AND NOT failed)::int AS delivered,
           count(*) FILTER (WHERE failed)::int AS failed
         FROM t GROUP BY action`,
        p,
      );
      const byAction = (a: string) => actions.find((r) => r.action === a)?.n ?? 0;
      const deliveredOf = (a: string) => actions.find((r) => r.action === a)?.delivered ?? 0;
      const handoffByReason = await db.query<{ reason: string; count: number }>(
        `SELECT COALESCE(x.reasons[1], 'unknown') AS reason, count(*)::int AS count FROM decisions x JOIN dialogs d ON d.id = x.dialog_id
         WHERE d.integration_id = $1 AND x.action = 'handoff' AND x.created_at >= $2 AND x.created_at < $3
         GROUP BY 1 ORDER BY 2 DESC`,
        p,
      );
      const dialogs = await one(
        `SELECT count(*)::int AS n FROM dialogs d WHERE d.integration_id = $1 AND d.created_at >= $2 AND d.created_at < $3`,
      );
      const resolvedWithoutHuman = await one(
        `SELECT count(*)::int AS n FROM dialogs d WHERE d.integration_id = $1 AND d.created_at >= $2 AND d.created_at < $3
           AND d.bot_replies > 0 AND d.state IN ('bot', 'closed') AND d.last_agent_at IS NULL`,
      );
      const ratings = await db.query<{ rating: string; n: number }>(
        `SELECT r.rating, count(*)::int AS n FROM reply_ratings r JOIN dialogs d ON d.id = r.dialog_id
         WHERE d.integration_id = $1 AND r.created_at >= $2 AND r.created_at < $3 GROUP BY r.rating`,
        p,
      );
      const sends = await db.query<{ state: string; n: number }>(
        `SELECT state, count(*)::int AS n FROM send_ledger WHERE integration_id = $1 AND created_at >= $2 AND created_at < $3
           AND state IN ('failed', 'quarantined') GROUP BY state`,
        p,
      );
      const perDay = await db.query<{ day: string; messages: number; answered: number; handedOff: number }>(
        `WITH days AS (SELECT generate_series(date_trunc('day', $2::timestamptz), $3::timestamptz - interval '1 microsecond', interval '1 day') AS day)
         SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
           (SELECT count(*)::int FROM messages m JOIN dialogs d ON d.id = m.dialog_id WHERE d.integration_id = $1
              AND m.author_kind = 'customer' AND m.created_at >= days.day AND m.created_at < days.day + interval '1 day') AS messages,
           (SELECT count(*)::int FROM decisions x JOIN dialogs d ON d.id = x.dialog_id WHERE d.integration_id = $1
              AND x.action = 'answer' AND x.stage = 'delivered' AND x.created_at >= days.day AND x.created_at < days.day + interval '1 day') AS answered,
           (SELECT count(*)::int FROM decisions x JOIN dialogs d ON d.id = x.dialog_id WHERE d.integration_id = $1
              AND x.action = 'handoff' AND x.created_at >= days.day AND x.created_at < days.day + interval '1 day') AS "handedOff"
         FROM days ORDER BY days.day LIMIT 92`,
        p,
      );
      return {
        messages,
        turns: actions.reduce((s, r) => s + r.n, 0),
        answered: deliveredOf('answer'),
        failedTurns: actions.reduce((s, r) => s + r.failed, 0),
        failedMessages,
        handedOff: deliveredOf('handoff'),
        silent: byAction('ignore'),
        clarified: byAction('clarify'),
        handoffByReason,
        dialogs,
        resolvedWithoutHuman,
        goodRatings: ratings.find((r) => r.rating === 'good')?.n ?? 0,
        badRatings: ratings.find((r) => r.rating === 'bad')?.n ?? 0,
        failedSends: sends.find((r) => r.state === 'failed')?.n ?? 0,
        quarantinedSends: sends.find((r) => r.state === 'quarantined')?.n ?? 0,
        perDay,
      };
    },
  };
}
/** See {@link createAdminDialogsRepo}. */
export type AdminDialogsRepo = ReturnType<typeof createAdminDialogsRepo>;
