import { createHash } from 'node:crypto';
import type { Db } from './db';
import { checkedKbUrl } from './kb-url';
import { stripNul } from './db';
import { checkArticleSize } from './article-limits';
import { splitArticleOffThread } from './article-splitter';
import { articleLinks } from './passages';

/** An article as importers give it. */
export type ArticleInput = {
  skillId: string;
  source?: string;
  externalId: string;
  title: string;
  body: string;
  bodyFormat?: 'markdown' | 'html' | 'text';
  tags?: string[];
  language?: string;
  url?: string | null;
};

/** A stored article. */
export type KbArticle = {
  id: number;
  skillId: string;
  source: string;
  externalId: string;
  title: string;
  body: string;
  bodyFormat: 'markdown' | 'html' | 'text';
  tags: string[];
  language: string;
  url: string | null;
  updatedAt: Date;
};

/** An article with its passages as the in-process search index reads it. */
export type KbIndexArticle = {
  id: number;
  title: string;
  tags: string[];
  url: string | null;
  /** The addresses its body links to (see `articleLinks`), which its passages do not keep. */
  links: string[];
  passages: Array<{ id: number; heading: string; text: string }>;
};

/** A skill's knowledge base at one version, with the skill's synonym groups (they change matching). */
export type KbIndexSnapshot = { version: string; articles: KbIndexArticle[]; synonyms: string[][] };

/** What an upsert did. */
export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

function hashArticle(a: ArticleInput): string {
  return createHash('sha256')
    .update(JSON.stringify([a.title, a.body, a.bodyFormat ?? 'markdown', a.tags ?? [], a.language ?? 'ru', a.url ?? null]))
    .digest('hex');
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function toArticle(r: any): KbArticle {
  return {
    id: r.id,
    skillId: r.skill_id,
    source: r.source,
    externalId: r.external_id,
    title: r.title,
    body: r.body,
    bodyFormat: r.body_format,
    tags: r.tags,
    language: r.language,
    url: r.url,
    updatedAt: r.updated_at,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Articles an import or sync must have created, changed or deleted before it refreshes the planner's
 * statistics itself. PostgreSQL's autovacuum analyzes a table once 50 rows plus a tenth of it have
 * changed, checked about once a minute; a new skill's thousand articles in a table other skills
 * already fill may never reach a tenth, and the worker reads them within seconds.
 */
export const KB_STATISTICS_MIN_CHANGES = 50;

/** Repository of the knowledge base: articles, their passages, and search. */
export function createKbRepo(db: Db) {
  return {
    /** Creates or updates an article and re-indexes its passages when its content changed. */
    async upsertArticle(input: ArticleInput): Promise<{ id: number; outcome: UpsertOutcome }> {
      checkArticleSize(input);
      const source = input.source ?? 'manual';
      const hash = hashArticle(input);
      const format = input.bodyFormat ?? 'markdown';
      const title = stripNul(input.title);
      const body = stripNul(input.body);
      // Every import and edit passes here: a `javascript:` link never reaches the KB.
      const url = checkedKbUrl(input.url);
      return db.tx(async (client) => {
        const existing = await client.query<{ id: number; content_hash: string }>(
          'SELECT id, content_hash FROM kb_articles WHERE skill_id = $1 AND source = $2 AND external_id = $3 FOR UPDATE',
          [input.skillId, source, input.externalId],
        );
        const found = existing.rows[0];
        if (found && found.content_hash === hash) return { id: found.id, outcome: 'unchanged' as const };
        let id: number;
        if (found) {
          id = found.id;
          await client.query(
            `UPDATE kb_articles SET title=$2, body=$3, body_format=$4, tags=$5, language=$6, url=$7, content_hash=$8, links=$9, updated_at=now() WHERE id=$1`,
            [id, title, body, format, input.tags ?? [], input.language ?? 'ru', url, hash, articleLinks(body, format)],
          );
          await client.query('DELETE FROM kb_passages WHERE article_id = $1', [id]);
        } else {
          const inserted = await client.query<{ id: number }>(
            `INSERT INTO kb_articles (skill_id, source, external_id, title, body, body_format, tags, language, url, content_hash, links)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
            [
              input.skillId,
              source,
              input.externalId,
              title,
              body,
              format,
              input.tags ?? [],
              input.language ?? 'ru',
              url,
              hash,
              articleLinks(body, format),
            ],
          );
          id = inserted.rows[0]!.id;
        }
        // Off the event loop: a hostile body costs the splitter's thread, not this process's loop.
        const { passages } = await splitArticleOffThread(body, format);
        const tagsText = (input.tags ?? []).join(' ');
        // The `russian` configuration stems Cyrillic words with the Russian stemmer and Latin words
        // with the English one, so one configuration serves both languages of the knowledge base.
        // One statement for all passages: the statement-level triggers that keep the search
        // statistics (see the kb_search migration) then run once per article, not once per passage.
        if (passages.length > 0) {
          await client.query(
            `INSERT INTO kb_passages (article_id, skill_id, position, heading, text, tsv)
             SELECT $1, $2, p.position - 1, p.heading, p.text,
               setweight(to_tsvector('russian', $3 || ' ' || $4), 'A') || setweight(to_tsvector('russian', p.heading), 'B') || setweight(to_tsvector('russian', p.text), 'C')
             FROM unnest($5::text[], $6::text[]) WITH ORDINALITY AS p(heading, text, position)`,
            [id, input.skillId, title, tagsText, passages.map((p) => p.heading), passages.map((p) => p.text)],
          );
        }
        return { id, outcome: found ? ('updated' as const) : ('created' as const) };
      });
    },

    /** Deletes a skill's articles of one source whose external ids are not in `keep`. */
    async deleteMissing(skillId: string, source: string, keep: string[]): Promise<number> {
      const rows = await db.query(
        'DELETE FROM kb_articles WHERE skill_id = $1 AND source = $2 AND NOT (external_id = ANY($3::text[])) RETURNING id',
        [skillId, source, keep],
      );
      return rows.length;
    },

    /**
     * Refreshes PostgreSQL's planner statistics of the knowledge-base tables after an import or
     * sync that changed at least {@link KB_STATISTICS_MIN_CHANGES} articles (fewer are left to
     * autovacuum), so the plans of the index snapshot and the admin's lists see the new rows at
     * once. ANALYZE samples a bounded number of rows and blocks neither reads nor writes; a table
     * another process is vacuuming or analysing (autovacuum, another import) is skipped rather than
     * waited for, since waiting would cancel autovacuum's work. It never fails the import that
     * calls it: the import has already committed and autovacuum catches up, so an error only comes
     * back as `false`. Returns whether the statement ran.
     */
    async refreshStatisticsAfter(changed: number): Promise<boolean> {
      if (changed < KB_STATISTICS_MIN_CHANGES) return false;
      try {
        await db.query('ANALYZE (SKIP_LOCKED) kb_articles, kb_passages');
        return true;
      } catch {
        return false;
      }
    },

    /** Lists a skill's articles. */
    async list(skillId: string, options: { limit?: number; offset?: number } = {}): Promise<KbArticle[]> {
      const rows = await db.query('SELECT * FROM kb_articles WHERE skill_id = $1 ORDER BY title LIMIT $2 OFFSET $3', [
        skillId,
        options.limit ?? 500,
        options.offset ?? 0,
      ]);
      return rows.map(toArticle);
    },

    /** Reads an article. */
    async get(id: number): Promise<KbArticle | undefined> {
      const rows = await db.query('SELECT * FROM kb_articles WHERE id = $1', [id]);
      return rows[0] ? toArticle(rows[0]) : undefined;
    },

    /** Counts a skill's articles. */
    async count(skillId: string): Promise<number> {
      const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb_articles WHERE skill_id = $1', [skillId]);
      return rows[0]?.n ?? 0;
    },

    /**
     * The version of a skill's searchable knowledge base: changes whenever passages are added or
     * removed (a trigger bumps it) or the skill's synonyms change. One cheap query, so a cached
     * index can be checked before each use.
     */
    async indexVersion(skillId: string): Promise<string> {
      const rows = await db.query<{ v: string }>(
        `SELECT coalesce((SELECT version FROM kb_search_stats WHERE skill_id = $1), 0)::text || ':' ||
                coalesce((SELECT md5(coalesce(settings->'synonyms', 'null'::jsonb)::text) FROM skills WHERE id = $1), '') AS v`,
        [skillId],
      );
      return rows[0]?.v ?? '0:';
    },

    /**
     * Everything the in-process index needs of a skill, read in one repeatable-read transaction so
     * the version matches the articles: articles in id order with their passages in order, and the
     * skill's synonym groups (settings are validated elsewhere, so malformed groups are skipped).
     */
    async indexSnapshot(skillId: string): Promise<KbIndexSnapshot> {
      return db.tx(async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const version = await client.query<{ v: string }>(
          `SELECT coalesce((SELECT version FROM kb_search_stats WHERE skill_id = $1), 0)::text || ':' ||
                  coalesce((SELECT md5(coalesce(settings->'synonyms', 'null'::jsonb)::text) FROM skills WHERE id = $1), '') AS v,
                  (SELECT settings->'synonyms' FROM skills WHERE id = $1) AS synonyms`,
          [skillId],
        );
        const rows = await client.query<{
          article_id: number;
          title: string;
          tags: string[];
          url: string | null;
          links: string[] | null;
          id: number | null;
          heading: string | null;
          text: string | null;
        }>(
          `SELECT a.id AS article_id, a.title, a.tags, a.url, a.links, p.id, p.heading, p.text
           FROM kb_articles a LEFT JOIN kb_passages p ON p.article_id = a.id
           WHERE a.skill_id = $1 ORDER BY a.id, p.position`,
          [skillId],
        );
        const articles: KbIndexArticle[] = [];
        for (const r of rows.rows) {
          let last = articles[articles.length - 1];
          if (!last || last.id !== r.article_id) {
            last = { id: r.article_id, title: r.title, tags: r.tags ?? [], url: r.url, links: r.links ?? [], passages: [] };
            articles.push(last);
          }
          if (r.id !== null) last.passages.push({ id: r.id, heading: r.heading ?? '', text: r.text ?? '' });
        }
        const raw = (version.rows[0] as { synonyms?: unknown } | undefined)?.synonyms;
        const synonyms = Array.isArray(raw)
          ? raw
              .filter((g): g is unknown[] => Array.isArray(g))
              .map((g) => g.filter((w): w is string => typeof w === 'string'))
              .filter((g) => g.length > 1)
          : [];
        return { version: version.rows[0]?.v ?? '0:', articles, synonyms };
      });
    },

    /** What answer calibration learnt for a skill, when it was computed for `kbVersion`. */
    async calibration(skillId: string, kbVersion: string): Promise<unknown | undefined> {
      const rows = await db.query<{ data: unknown }>('SELECT data FROM kb_calibrations WHERE skill_id = $1 AND kb_version = $2', [
        skillId,
        kbVersion,
      ]);
      return rows[0]?.data;
    },

    /**
     * The customer text of the skill's most recently active conversations, newest first: per
     * conversation its first three customer messages (each cut to 1,000 characters) as one string,
     * at most `limit` conversations. What ranking learns the skill's question traffic from.
     */
    async recentQuestions(skillId: string, limit: number): Promise<string[]> {
      // Per integration through its (integration, updated) index, so the work is bounded by `limit`
      // whatever the skill's history; twice as many dialogs as wanted leave room for bot-only ones.
      const rows = await db.query<{ text: string }>(
        `SELECT q.text
           FROM integrations i
          CROSS JOIN LATERAL (SELECT id, updated_at FROM dialogs
                               WHERE integration_id = i.id
                               ORDER BY updated_at DESC LIMIT $2 * 2) d
          CROSS JOIN LATERAL (
            SELECT string_agg(left(m.text, 1000), ' ' ORDER BY m.id) AS text
              FROM (SELECT id, text FROM messages
                     WHERE dialog_id = d.id AND author_kind = 'customer' AND text <> ''
                     ORDER BY id LIMIT 3) m) q
          WHERE i.skill_id = $1 AND q.text IS NOT NULL
          ORDER BY d.updated_at DESC
          LIMIT $2`,
        [skillId, Math.max(0, Math.floor(limit))],
      );
      return rows.map((r) => r.text);
    },

    /**
     * The skill's most recently active conversations a live agent answered, newest first, at most
     * `limit`: the agent's first reply as HDE sent it (its HTML, or its text; cut to 8,000
     * characters) and the customer's last three
     * messages before it (each cut to 1,000) as the question. What search learns which article
     * answers which question from (`AnsweredQuestions` in `@repo/ai`).
     */
    async answeredConversations(skillId: string, limit: number): Promise<Array<{ question: string; reply: string }>> {
      // Per integration through its (integration, updated) index and each dialog's (dialog, id)
      // index: bounded by `limit` whatever the skill's history. Most dialogs the bot settled have
      // no agent reply, so four times as many are looked at (fewer than `limit` come back when
      // agents answered under a quarter of them). Messages are ordered by when HDE says they were
      // posted: webhooks arrive out of order, so insertion order is not the dialog's. A reply counts
      // only from a known author other than the bot's account: a post of the bot's that its ledger
      // lost is recorded as an agent's, and would teach the bot its own choice back. The reply's
      // HTML is read when there is one, so its links' addresses are there to match.
      const rows = await db.query<{ question: string; reply: string }>(
        `SELECT q.text AS question, r.text AS reply
           FROM integrations i
          CROSS JOIN LATERAL (SELECT id, updated_at FROM dialogs
                               WHERE integration_id = i.id
                               ORDER BY updated_at DESC LIMIT $2 * 4) d
          CROSS JOIN LATERAL (SELECT id, coalesce(posted_at, created_at) AS at,
                                     left(coalesce(nullif(html, ''), text), 8000) AS text
                                FROM messages
                               WHERE dialog_id = d.id AND author_kind = 'agent'
                                 AND author_id IS NOT NULL AND author_id IS DISTINCT FROM i.bot_user_id
                                 AND (text <> '' OR coalesce(html, '') <> '')
                               ORDER BY coalesce(posted_at, created_at), id LIMIT 1) r
          CROSS JOIN LATERAL (
            SELECT string_agg(left(m.text, 1000), ' ' ORDER BY m.at, m.id) AS text
              FROM (SELECT id, coalesce(posted_at, created_at) AS at, text FROM messages
                     WHERE dialog_id = d.id AND author_kind = 'customer' AND text <> ''
                       AND (coalesce(posted_at, created_at), id) < (r.at, r.id)
                     ORDER BY coalesce(posted_at, created_at) DESC, id DESC LIMIT 3) m) q
          WHERE i.skill_id = $1 AND q.text IS NOT NULL
          ORDER BY d.updated_at DESC
          LIMIT $2`,
        [skillId, Math.max(0, Math.floor(limit))],
      );
      return rows;
    },

    /** Stores what answer calibration learnt for a skill at `kbVersion` (replacing older results). */
    async saveCalibration(skillId: string, kbVersion: string, data: unknown): Promise<void> {
      await db.query(
        `INSERT INTO kb_calibrations (skill_id, kb_version, data) VALUES ($1, $2, $3)
         ON CONFLICT (skill_id) DO UPDATE SET kb_version = EXCLUDED.kb_version, data = EXCLUDED.data, computed_at = now()`,
        [skillId, kbVersion, JSON.stringify(data)],
      );
    },
  };
}
/** See {@link createKbRepo}. */
export type KbRepo = ReturnType<typeof createKbRepo>;

/** What an import or sync writes through: upserts, deletions of what the source no longer has, and the statistics refresh after them. */
export type KbWriter = Pick<KbRepo, 'upsertArticle' | 'deleteMissing' | 'refreshStatisticsAfter'>;

/**
 * The knowledge-base search's view of the store (the shape of `KbSearchSource` in `@repo/ai`): one
 * wiring for the worker, the admin test box and the evaluation scripts, so they read the same.
 */
export function kbSearchSourceOf(
  kb: Pick<KbRepo, 'indexVersion' | 'indexSnapshot' | 'calibration' | 'saveCalibration' | 'recentQuestions' | 'answeredConversations'>,
) {
  return {
    version: (skillId: string) => kb.indexVersion(skillId),
    snapshot: (skillId: string) => kb.indexSnapshot(skillId),
    calibration: (skillId: string, version: string) => kb.calibration(skillId, version),
    saveCalibration: (skillId: string, version: string, data: unknown) => kb.saveCalibration(skillId, version, data),
    recentQuestions: (skillId: string, limit: number) => kb.recentQuestions(skillId, limit),
    answeredConversations: (skillId: string, limit: number) => kb.answeredConversations(skillId, limit),
  };
}
