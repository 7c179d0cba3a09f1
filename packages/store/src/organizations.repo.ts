import type { Db } from './db';

/** A skill row with its raw settings JSON. */
export type SkillRow = { id: string; consultantId: string; organizationId: string; name: string; language: string; settings: unknown };

/** Repository of organizations, consultants and skills. */
export function createOrganizationsRepo(db: Db) {
  return {
    /** Creates an organization. */
    async createOrganization(name: string): Promise<{ id: string; name: string }> {
      const rows = await db.query<{ id: string; name: string }>('INSERT INTO organizations (name) VALUES ($1) RETURNING id, name', [name]);
      return rows[0]!;
    },
    /**
     * The organization of this exact name (the oldest, if several share it), else a new one: what
     * the CLI joins, so a company whose admin app started first (its bootstrap organization) gets
     * its integrations where its admins see them.
     */
    async organizationNamed(name: string): Promise<{ id: string; name: string; created: boolean }> {
      const rows = await db.query<{ id: string; name: string }>(
        'SELECT id, name FROM organizations WHERE name = $1 ORDER BY created_at LIMIT 1',
        [name],
      );
      if (rows[0]) return { ...rows[0], created: false };
      return { ...(await this.createOrganization(name)), created: true };
    },
    /** An organization by id. */
    async getOrganization(id: string): Promise<{ id: string; name: string } | undefined> {
      const rows = await db.query<{ id: string; name: string }>('SELECT id, name FROM organizations WHERE id::text = $1', [id]);
      return rows[0];
    },
    /** Creates a consultant of an organization. */
    async createConsultant(organizationId: string, name: string): Promise<{ id: string; name: string }> {
      const rows = await db.query<{ id: string; name: string }>(
        'INSERT INTO consultants (organization_id, name) VALUES ($1, $2) RETURNING id, name',
        [organizationId, name],
      );
      return rows[0]!;
    },
    /** Creates a skill of a consultant. */
    async createSkill(input: {
      organizationId: string;
      consultantId: string;
      name: string;
      language?: string;
      settings?: unknown;
    }): Promise<SkillRow> {
      const rows = await db.query<{ id: string }>(
        'INSERT INTO skills (organization_id, consultant_id, name, language, settings) VALUES ($1,$2,$3,$4,$5) RETURNING id',
        [input.organizationId, input.consultantId, input.name, input.language ?? 'ru', JSON.stringify(input.settings ?? {})],
      );
      return (await this.getSkill(rows[0]!.id))!;
    },
    /** Reads a skill. */
    async getSkill(id: string): Promise<SkillRow | undefined> {
      const rows = await db.query<{
        id: string;
        consultant_id: string;
        organization_id: string;
        name: string;
        language: string;
        settings: unknown;
      }>('SELECT id, consultant_id, organization_id, name, language, settings FROM skills WHERE id = $1', [id]);
      const r = rows[0];
      return r
        ? {
            id: r.id,
            consultantId: r.consultant_id,
            organizationId: r.organization_id,
            name: r.name,
            language: r.language,
            settings: r.settings,
          }
        : undefined;
    },
    /** Replaces a skill's settings JSON. */
    async updateSkillSettings(id: string, settings: unknown): Promise<void> {
      await db.query('UPDATE skills SET settings = $2 WHERE id = $1', [id, JSON.stringify(settings)]);
    },
  };
}
/** See {@link createOrganizationsRepo}. */
export type OrganizationsRepo = ReturnType<typeof createOrganizationsRepo>;
