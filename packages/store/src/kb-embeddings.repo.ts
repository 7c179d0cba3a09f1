import type { Db } from './db';

/** A passage waiting for a vector: `text` is what gets embedded (article title, heading, passage). */
export type PassageToEmbed = { id: number; skillId: string; text: string };

/** One embedded passage with what a hit needs to quote it. */
export type StoredPassageVector = { id: number; articleId: number; title: string; text: string; sourceUrl?: string };

/** A skill's embedded passages for one model; `vectors[i]` belongs to `passages[i]`. */
export type StoredSkillVectors = { version: string; passages: StoredPassageVector[]; vectors: number[][] };

/**
 * Repository of passage embeddings (columns of kb_passages, see the kb_embeddings migration).
 * Vectors are keyed by passage id: a passage re-created by an upsert has a new id and no vector, so
 * a vector computed for the old text can never be saved onto the new one.
 */
export function createKbEmbeddingsRepo(db: Db) {
  // Version of a skill's vectors: count, highest id and id sum of its embedded passages. Ids only
  // grow, so any insert, delete or newly embedded passage changes it; cheap enough to ask per query.
  const versionSql = `SELECT count(*)::int AS n, coalesce(max(id), 0)::text AS max_id, coalesce(sum(id), 0)::text AS sum_id
    FROM kb_passages WHERE skill_id = $1 AND embedding_model = $2 AND embedding IS NOT NULL`;
  const versionOf = (r: { n: number; max_id: string; sum_id: string } | undefined) => (r ? `${r.n}:${r.max_id}:${r.sum_id}` : '0:0:0');

  return {
    /**
     * Up to `limit` passages (of one skill, or of all when `skillId` is undefined) without a vector
     * of `model`, oldest first.
     */
    async missing(skillId: string | undefined, model: string, limit: number): Promise<PassageToEmbed[]> {
      const rows = await db.query<{ id: number; skill_id: string; title: string; heading: string; text: string }>(
        `SELECT p.id, p.skill_id, a.title, p.heading, p.text
         FROM kb_passages p JOIN kb_articles a ON a.id = p.article_id
         WHERE (p.embedding_model IS NULL OR p.embedding_model <> $2) AND ($1::uuid IS NULL OR p.skill_id = $1)
         ORDER BY p.id LIMIT $3`,
        [skillId ?? null, model, limit],
      );
      // The title (and heading) give a short passage its topic: "300 рублей" alone embeds as nothing.
      return rows.map((r) => ({
        id: r.id,
        skillId: r.skill_id,
        text: [r.title, r.heading, r.text]
          .map((s) => s.trim())
          .filter((s) => s !== '')
          .join('\n'),
      }));
    },

    /** Stores vectors of `model`; a `null` vector marks a passage the provider rejected. Unknown ids are ignored. */
    async save(rows: Array<{ id: number; vector: number[] | null }>, model: string): Promise<void> {
      if (rows.length === 0) return;
      // Vectors travel as array literals cast to real[]: a text[] parameter keeps one row per passage
      // where a 2-D real[] would need equal lengths and a NULL could not stand for one row.
      const literals = rows.map((r) => (r.vector ? `{${r.vector.map((x) => (Number.isFinite(x) ? x : 0)).join(',')}}` : null));
      await db.query(
        `UPDATE kb_passages p SET embedding = u.vec::real[], embedding_model = $3
         FROM unnest($1::bigint[], $2::text[]) AS u(id, vec) WHERE p.id = u.id`,
        [rows.map((r) => r.id), literals, model],
      );
    },

    /** The version of a skill's vectors of `model` (see {@link createKbEmbeddingsRepo}). */
    async version(skillId: string, model: string): Promise<string> {
      return versionOf((await db.query<{ n: number; max_id: string; sum_id: string }>(versionSql, [skillId, model]))[0]);
    },

    /** Every embedded passage of a skill with its vector of `model`, and the version they make up. */
    async load(skillId: string, model: string): Promise<StoredSkillVectors> {
      // One snapshot for the rows and their version, so a concurrent save cannot make them disagree.
      return db.tx(async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        const version = versionOf(
          (await client.query<{ n: number; max_id: string; sum_id: string }>(versionSql, [skillId, model])).rows[0],
        );
        const { rows } = await client.query<{
          id: number;
          article_id: number;
          title: string;
          text: string;
          url: string | null;
          embedding: number[];
        }>(
          `SELECT p.id, p.article_id, a.title, p.text, a.url, p.embedding
           FROM kb_passages p JOIN kb_articles a ON a.id = p.article_id
           WHERE p.skill_id = $1 AND p.embedding_model = $2 AND p.embedding IS NOT NULL ORDER BY p.id`,
          [skillId, model],
        );
        return {
          version,
          passages: rows.map((r) => ({
            id: r.id,
            articleId: r.article_id,
            title: r.title,
            text: r.text,
            ...(r.url ? { sourceUrl: r.url } : {}),
          })),
          vectors: rows.map((r) => r.embedding.map(Number)),
        };
      });
    },

    /**
     * Runs `fn` unless another process is running it: a transaction-scoped advisory lock, so worker
     * processes do not pay the provider twice for the same passages. Resolves `{ ran: false }` when
     * the lock is taken. Holds one pooled connection while `fn` runs.
     */
    async exclusive<T>(fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
      return db.tx(async (client) => {
        const { rows } = await client.query<{ locked: boolean }>(
          `SELECT pg_try_advisory_xact_lock(hashtext('kb_embeddings_backfill')) AS locked`,
        );
        if (!rows[0]?.locked) return { ran: false as const };
        return { ran: true as const, value: await fn() };
      });
    },
  };
}
/** See {@link createKbEmbeddingsRepo}. */
export type KbEmbeddingsRepo = ReturnType<typeof createKbEmbeddingsRepo>;
