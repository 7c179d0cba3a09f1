import { createHash } from 'node:crypto';
import type { KbHit } from '@repo/domain';
import type { Db } from './db';
import { stripNul } from './db';
import { searchKb } from './kb-search';
import { splitArticle } from './passages';

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
    id: r.id, skillId: r.skill_id, source: r.source, externalId: r.external_id, title: r.title, body: r.body,
    bodyFormat: r.body_format, tags: r.tags, language: r.language, url: r.url, updatedAt: r.updated_at,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Repository of the knowledge base: articles, their passages, and search. */
export function createKbRepo(db: Db) {
  return {
    /** Creates or updates an article and re-indexes its passages when its content changed. */
    async upsertArticle(input: ArticleInput): Promise<{ id: number; outcome: UpsertOutcome }> {
      const source = input.source ?? 'manual';
      const hash = hashArticle(input);
      const format = input.bodyFormat ?? 'markdown';
      const title = stripNul(input.title);
      const body = stripNul(input.body);
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
            `UPDATE kb_articles SET title=$2, body=$3, body_format=$4, tags=$5, language=$6, url=$7, content_hash=$8, updated_at=now() WHERE id=$1`,
            [id, title, body, format, input.tags ?? [], input.language ?? 'ru', input.url ?? null, hash],
          );
          await client.query('DELETE FROM kb_passages WHERE article_id = $1', [id]);
        } else {
          const inserted = await client.query<{ id: number }>(
            `INSERT INTO kb_articles (skill_id, source, external_id, title, body, body_format, tags, language, url, content_hash)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
            [input.skillId, source, input.externalId, title, body, format, input.tags ?? [], input.language ?? 'ru', input.url ?? null, hash],
          );
          id = inserted.rows[0]!.id;
        }
        const passages = splitArticle(body, format);
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

    /** Lists a skill's articles. */
    async list(skillId: string, options: { limit?: number; offset?: number } = {}): Promise<KbArticle[]> {
      const rows = await db.query(
        'SELECT * FROM kb_articles WHERE skill_id = $1 ORDER BY title LIMIT $2 OFFSET $3',
        [skillId, options.limit ?? 500, options.offset ?? 0],
      );
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
     * Searches a skill's knowledge base: one hit per article, best first, each quoting the article's
     * best passage. The score (0..1, the same meaning in every skill) is the IDF-weighted share of the
     * query's words the article covers — in its best passage, anywhere in it, in its title and tags,
     * and in the passage's heading — lowered when the runner-up is nearly as good. Typos, related
     * word forms and the skill's synonyms are taken into account (see {@link searchKb}).
     */
    async search(skillId: string, query: string, options: { limit?: number } = {}): Promise<KbHit[]> {
      return searchKb(db, skillId, query, options.limit ?? 5);
    },
  };
}
/** See {@link createKbRepo}. */
export type KbRepo = ReturnType<typeof createKbRepo>;
