import type { Db } from './db';

/** Who is asking: the store filters every admin read by it. */
export type Viewer = { userId: string; organizationId: string; role: 'admin' | 'member' };

/** A rating of one bot turn. */
export type ReplyRating = {
  id: number;
  dialogId: number;
  turnId: string;
  userId: string;
  userEmail: string;
  rating: 'good' | 'bad';
  reason: string | null;
  createdAt: Date;
};

/**
 * SQL that is true when the viewer may read the dialogs of integration alias `i`. Parameters:
 * `$org` organization, `$admin` whether the viewer is an admin, `$user` the viewer's id.
 */
export function visibleIntegrationSql(alias: string, org: string, admin: string, user: string): string {
  return `(${alias}.organization_id = ${org}::uuid AND (${admin}::boolean OR ${alias}.dialogs_visible_to_all
    OR EXISTS (SELECT 1 FROM integration_access ia WHERE ia.integration_id = ${alias}.id AND ia.user_id = ${user}::uuid)))`;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function toRating(r: any): ReplyRating {
  return {
    id: r.id,
    dialogId: r.dialog_id,
    turnId: r.turn_id,
    userId: r.user_id,
    userEmail: r.user_email,
    rating: r.rating,
    reason: r.reason,
    createdAt: r.created_at,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Repository of who may see what: dialog access grants, skill owners, and reply ratings. */
export function createAdminAccessRepo(db: Db) {
  return {
    /** Whether the viewer may read the dialogs of an integration. */
    async canSeeIntegration(viewer: Viewer, integrationId: string): Promise<boolean> {
      const rows = await db.query(`SELECT 1 FROM integrations i WHERE i.id = $4 AND ${visibleIntegrationSql('i', '$1', '$2', '$3')}`, [
        viewer.organizationId,
        viewer.role === 'admin',
        viewer.userId,
        integrationId,
      ]);
      return rows.length === 1;
    },

    /** Ids of the integrations whose dialogs the viewer may read. */
    async visibleIntegrationIds(viewer: Viewer): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        `SELECT i.id FROM integrations i WHERE ${visibleIntegrationSql('i', '$1', '$2', '$3')} ORDER BY i.created_at`,
        [viewer.organizationId, viewer.role === 'admin', viewer.userId],
      );
      return rows.map((r) => r.id);
    },

    /** Grants a user access to an integration's dialogs. */
    async grant(integrationId: string, userId: string, grantedBy: string): Promise<void> {
      await db.query('INSERT INTO integration_access (integration_id, user_id, granted_by) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING', [
        integrationId,
        userId,
        grantedBy,
      ]);
    },

    /** Withdraws a grant. */
    async revoke(integrationId: string, userId: string): Promise<void> {
      await db.query('DELETE FROM integration_access WHERE integration_id = $1 AND user_id = $2', [integrationId, userId]);
    },

    /** Users granted access to an integration. */
    async grants(integrationId: string): Promise<Array<{ userId: string; email: string }>> {
      return db.query<{ userId: string; email: string }>(
        `SELECT u.id AS "userId", u.email FROM integration_access a JOIN users u ON u.id = a.user_id
         WHERE a.integration_id = $1 ORDER BY lower(u.email)`,
        [integrationId],
      );
    },

    /** Makes a user an owner of a skill (or stops it). */
    async setSkillOwner(skillId: string, userId: string, owner: boolean): Promise<void> {
      if (owner) await db.query('INSERT INTO skill_owners (skill_id, user_id) VALUES ($1,$2) ON CONFLICT DO NOTHING', [skillId, userId]);
      else await db.query('DELETE FROM skill_owners WHERE skill_id = $1 AND user_id = $2', [skillId, userId]);
    },

    /** A skill's owners. */
    async skillOwners(skillId: string): Promise<Array<{ userId: string; email: string }>> {
      return db.query<{ userId: string; email: string }>(
        `SELECT u.id AS "userId", u.email FROM skill_owners o JOIN users u ON u.id = o.user_id WHERE o.skill_id = $1 ORDER BY lower(u.email)`,
        [skillId],
      );
    },

    /** Whether a user owns a skill. */
    async isSkillOwner(skillId: string, userId: string): Promise<boolean> {
      const rows = await db.query('SELECT 1 FROM skill_owners WHERE skill_id = $1 AND user_id = $2', [skillId, userId]);
      return rows.length === 1;
    },

    /** Records (or replaces) a user's rating of a bot turn. */
    async rate(input: { dialogId: number; turnId: string; userId: string; rating: 'good' | 'bad'; reason?: string | null }): Promise<void> {
      await db.query(
        `INSERT INTO reply_ratings (dialog_id, turn_id, user_id, rating, reason) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (turn_id, user_id) DO UPDATE SET rating = EXCLUDED.rating, reason = EXCLUDED.reason, created_at = now()`,
        [input.dialogId, input.turnId, input.userId, input.rating, input.reason ?? null],
      );
    },

    /**
     * Ratings of some of a dialog's turns (those a page shows): bounded by the turns asked for, not
     * by how many ratings the dialog has collected.
     */
    async ratingsOfTurns(dialogId: number, turnIds: readonly string[]): Promise<ReplyRating[]> {
      if (turnIds.length === 0) return [];
      const rows = await db.query(
        `SELECT r.*, u.email AS user_email FROM reply_ratings r JOIN users u ON u.id = r.user_id
         WHERE r.turn_id = ANY($2::text[]) AND r.dialog_id = $1 ORDER BY r.id`,
        [dialogId, turnIds],
      );
      return rows.map(toRating);
    },

    /** Ratings of every dialog of a skill's integrations, newest first. */
    async ratingsOfSkill(skillId: string, limit = 200): Promise<Array<ReplyRating & { ticketId: number; integrationId: string }>> {
      const rows = await db.query(
        `SELECT r.*, u.email AS user_email, d.ticket_id, d.integration_id FROM reply_ratings r
         JOIN users u ON u.id = r.user_id JOIN dialogs d ON d.id = r.dialog_id JOIN integrations i ON i.id = d.integration_id
         WHERE i.skill_id = $1 ORDER BY r.created_at DESC LIMIT $2`,
        [skillId, limit],
      );
      return rows.map((r) => ({ ...toRating(r), ticketId: Number(r.ticket_id), integrationId: String(r.integration_id) }));
    },
  };
}
/** See {@link createAdminAccessRepo}. */
export type AdminAccessRepo = ReturnType<typeof createAdminAccessRepo>;
