import type { Db } from './db';

/** A consultant with how many skills it has. */
export type ConsultantRow = { id: string; organizationId: string; name: string; skills: number };
/** A skill as listed. */
export type SkillListRow = {
  id: string;
  consultantId: string;
  organizationId: string;
  name: string;
  language: string;
  integrations: number;
  articles: number;
};

/** Repository of what the settings pages list: organizations, consultants, skills. */
export function createAdminCatalogRepo(db: Db) {
  return {
    /** The first organization, or a new one with this name (first-start bootstrap). */
    async firstOrganization(nameIfNone: string): Promise<{ id: string; name: string }> {
      const rows = await db.query<{ id: string; name: string }>('SELECT id, name FROM organizations ORDER BY created_at LIMIT 1');
      if (rows[0]) return rows[0];
      const created = await db.query<{ id: string; name: string }>('INSERT INTO organizations (name) VALUES ($1) RETURNING id, name', [
        nameIfNone,
      ]);
      return created[0]!;
    },

    /** An organization's consultants. */
    async consultants(organizationId: string): Promise<ConsultantRow[]> {
      return db.query<ConsultantRow>(
        `SELECT c.id, c.organization_id AS "organizationId", c.name, (SELECT count(*)::int FROM skills s WHERE s.consultant_id = c.id) AS skills
         FROM consultants c WHERE c.organization_id = $1 ORDER BY c.created_at`,
        [organizationId],
      );
    },

    /** A consultant of an organization. */
    async consultant(organizationId: string, id: string): Promise<ConsultantRow | undefined> {
      const rows = await db.query<ConsultantRow>(
        `SELECT c.id, c.organization_id AS "organizationId", c.name, (SELECT count(*)::int FROM skills s WHERE s.consultant_id = c.id) AS skills
         FROM consultants c WHERE c.organization_id = $1 AND c.id = $2`,
        [organizationId, id],
      );
      return rows[0];
    },

    /** Skills of a consultant (or of the whole organization). */
    async skills(organizationId: string, consultantId?: string): Promise<SkillListRow[]> {
      return db.query<SkillListRow>(
        `SELECT s.id, s.consultant_id AS "consultantId", s.organization_id AS "organizationId", s.name, s.language,
           (SELECT count(*)::int FROM integrations i WHERE i.skill_id = s.id) AS integrations,
           (SELECT count(*)::int FROM kb_articles a WHERE a.skill_id = s.id) AS articles
         FROM skills s WHERE s.organization_id = $1 AND ($2::uuid IS NULL OR s.consultant_id = $2) ORDER BY s.created_at`,
        [organizationId, consultantId ?? null],
      );
    },

    /** Renames a skill. */
    async renameSkill(id: string, name: string): Promise<void> {
      await db.query('UPDATE skills SET name = $2 WHERE id = $1', [id, name]);
    },

    /** Deletes an article of a skill. */
    async deleteArticle(skillId: string, articleId: number): Promise<boolean> {
      const rows = await db.query('DELETE FROM kb_articles WHERE skill_id = $1 AND id = $2 RETURNING id', [skillId, articleId]);
      return rows.length === 1;
    },

    /** Searches a skill's article titles and bodies (substring, case-insensitive) for the KB list. */
    async findArticles(
      skillId: string,
      query: string,
      limit = 100,
    ): Promise<Array<{ id: number; title: string; source: string; externalId: string; updatedAt: Date }>> {
      return db.query(
        `SELECT id, title, source, external_id AS "externalId", updated_at AS "updatedAt" FROM kb_articles
         WHERE skill_id = $1 AND ($2 = '' OR title ILIKE '%' || $2 || '%' OR body ILIKE '%' || $2 || '%')
         ORDER BY title, id LIMIT $3`,
        [skillId, query.replace(/[%_\\]/g, (c) => `\\${c}`), limit],
      );
    },

    /**
     * One page of a skill's articles matching `query` (title or body, as {@link findArticles}) and how
     * many match in all. Ordered by title then id, so pages neither repeat nor skip an article.
     */
    async pageArticles(
      skillId: string,
      query: string,
      page: { offset: number; limit: number },
    ): Promise<{ total: number; rows: Array<{ id: number; title: string; source: string; externalId: string; updatedAt: Date }> }> {
      const where = `skill_id = $1 AND ($2 = '' OR title ILIKE '%' || $2 || '%' OR body ILIKE '%' || $2 || '%')`;
      const like = query.replace(/[%_\\]/g, (c) => `\\${c}`);
      const [count, rows] = await Promise.all([
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM kb_articles WHERE ${where}`, [skillId, like]),
        db.query<{ id: number; title: string; source: string; externalId: string; updatedAt: Date }>(
          `SELECT id, title, source, external_id AS "externalId", updated_at AS "updatedAt" FROM kb_articles
           WHERE ${where} ORDER BY title, id OFFSET $3 LIMIT $4`,
          [skillId, like, page.offset, page.limit],
        ),
      ]);
      return { total: count[0]?.n ?? 0, rows };
    },
  };
}
/** See {@link createAdminCatalogRepo}. */
export type AdminCatalogRepo = ReturnType<typeof createAdminCatalogRepo>;
