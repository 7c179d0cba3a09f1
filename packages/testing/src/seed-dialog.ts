/** What {@link seedDialog} needs of the store's database: one query at a time, rows back. */
export type SeedableDb = { query(sql: string, params?: unknown[]): Promise<unknown[]> };

/**
 * One message of a seeded dialog: who wrote it, its text, as the worker keeps agents' replies its
 * HTML, how many minutes ago HDE says it was posted (none: not known), and its HDE author id (an
 * agent's defaults to {@link SEED_AGENT_ID}; `null`: not known).
 */
export type SeedMessage = [
  author: 'customer' | 'bot' | 'agent' | 'system',
  text: string,
  html?: string | null,
  postedMinutesAgo?: number | null,
  authorId?: number | null,
];

/** The HDE user id seeded agents' messages carry unless one is given. */
export const SEED_AGENT_ID = 7001;

/**
 * A dialog of one ticket with its messages in order, last active `minutesAgo` (what the store's
 * reads of recent conversations sort by), written straight into the tables. Returns the dialog's id.
 */
export async function seedDialog(
  db: SeedableDb,
  integrationId: string,
  ticketId: number,
  messages: SeedMessage[],
  minutesAgo = 0,
): Promise<string> {
  const rows = (await db.query(
    `INSERT INTO dialogs (integration_id, ticket_id, updated_at) VALUES ($1, $2, now() - make_interval(mins => $3)) RETURNING id`,
    [integrationId, ticketId, minutesAgo],
  )) as Array<{ id: string }>;
  const dialogId = rows[0]!.id;
  for (const [author, text, html, postedMinutesAgo, authorId] of messages) {
    await db.query(
      `INSERT INTO messages (dialog_id, author_kind, text, html, posted_at, author_id)
       VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE now() - make_interval(mins => $5::int) END, $6)`,
      [
        dialogId,
        author,
        text,
        html ?? null,
        postedMinutesAgo ?? null,
        authorId === undefined ? (author === 'agent' ? SEED_AGENT_ID : null) : authorId,
      ],
    );
  }
  return dialogId;
}
