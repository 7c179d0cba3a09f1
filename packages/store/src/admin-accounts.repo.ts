import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db';

/** A role in the admin app: admins do everything, members read what they are allowed to. */
export type AdminRole = 'admin' | 'member';

/** A user of the admin app (no password hash). */
export type AdminUser = {
  id: string;
  organizationId: string;
  email: string;
  name: string;
  role: AdminRole;
  locale: 'ru' | 'en';
  disabled: boolean;
  createdAt: Date;
};

/** A personal API token as listed (hint only). */
export type AdminApiToken = {
  id: string;
  userId: string;
  name: string;
  hint: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** Prefix of personal API tokens, so leaked ones are easy to recognise. */
export const ADMIN_TOKEN_PREFIX = 'hdea_';

/* eslint-disable @typescript-eslint/no-explicit-any */
function toUser(r: any): AdminUser {
  return {
    id: r.id,
    organizationId: r.organization_id,
    email: r.email,
    name: r.name,
    role: r.role,
    locale: r.locale === 'en' ? 'en' : 'ru',
    disabled: r.disabled_at !== null,
    createdAt: r.created_at,
  };
}
function toToken(r: any): AdminApiToken {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    hint: r.hint,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const USER_COLUMNS = 'id, organization_id, email, name, role, locale, disabled_at, created_at';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Repository of admin-app users, their browser sessions and their personal API tokens. */
export function createAdminAccountsRepo(db: Db) {
  return {
    /** Creates a user; `passwordHash` comes from the app's password hasher. */
    async createUser(input: {
      organizationId: string;
      email: string;
      name?: string;
      role: AdminRole;
      passwordHash: string | null;
      locale?: 'ru' | 'en';
    }): Promise<AdminUser> {
      const rows = await db.query(
        `INSERT INTO users (organization_id, email, name, role, password_hash, locale) VALUES ($1,$2,$3,$4,$5,$6) RETURNING ${USER_COLUMNS}`,
        [input.organizationId, input.email.trim(), input.name ?? '', input.role, input.passwordHash, input.locale ?? 'ru'],
      );
      return toUser(rows[0]);
    },

    /** Reads a user. */
    async getUser(id: string): Promise<AdminUser | undefined> {
      const rows = await db.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
      return rows[0] ? toUser(rows[0]) : undefined;
    },

    /** Reads a user and the password hash to verify, by e-mail (case-insensitive). */
    async findForLogin(email: string): Promise<{ user: AdminUser; passwordHash: string | null } | undefined> {
      const rows = await db.query(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE lower(email) = lower($1)`, [email.trim()]);
      const r = rows[0] as { password_hash: string | null } | undefined;
      return r ? { user: toUser(r), passwordHash: r.password_hash } : undefined;
    },

    /** Lists an organization's users. */
    async listUsers(organizationId: string): Promise<AdminUser[]> {
      const rows = await db.query(`SELECT ${USER_COLUMNS} FROM users WHERE organization_id = $1 ORDER BY lower(email)`, [organizationId]);
      return rows.map(toUser);
    },

    /** Counts users with a role across every organization (first-start bootstrap). */
    async countAdmins(): Promise<number> {
      const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
      return rows[0]?.n ?? 0;
    },

    /** Changes a user's role, name, locale or disabled flag. */
    async updateUser(id: string, patch: { role?: AdminRole; name?: string; locale?: 'ru' | 'en'; disabled?: boolean }): Promise<void> {
      await db.query(
        `UPDATE users SET role = COALESCE($2, role), name = COALESCE($3, name), locale = COALESCE($4, locale),
           disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at WHEN $5 THEN COALESCE(disabled_at, now()) ELSE NULL END
         WHERE id = $1`,
        [id, patch.role ?? null, patch.name ?? null, patch.locale ?? null, patch.disabled ?? null],
      );
      if (patch.disabled) await db.query('DELETE FROM admin_sessions WHERE user_id = $1', [id]);
    },

    /** Replaces a user's password hash and ends their sessions, except the one given (the user's own). */
    async setPasswordHash(id: string, passwordHash: string, keepSessionId?: string): Promise<void> {
      await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
      await db.query('DELETE FROM admin_sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR id_hash <> $2)', [
        id,
        keepSessionId ? sha256(keepSessionId) : null,
      ]);
    },

    /**
     * Deletes a user of the organization with their sessions, tokens and grants (cascade). Refused
     * (`last_admin`) when it would leave the organization without an enabled admin; the check and the
     * delete are one statement, so two admins deleting each other at once cannot both succeed.
     */
    async deleteUser(organizationId: string, id: string): Promise<'deleted' | 'not_found' | 'last_admin'> {
      return db.tx(async (client) => {
        // Locks the organization's admins so two admins deleting each other at once are serialised.
        const admins = await client.query<{ id: string; enabled: boolean }>(
          `SELECT id, disabled_at IS NULL AS enabled FROM users WHERE organization_id = $1 AND role = 'admin' FOR UPDATE`,
          [organizationId],
        );
        const target = await client.query<{ role: AdminRole }>('SELECT role FROM users WHERE id = $2 AND organization_id = $1', [
          organizationId,
          id,
        ]);
        const row = target.rows[0];
        if (!row) return 'not_found';
        if (row.role === 'admin' && !admins.rows.some((a) => a.id !== id && a.enabled)) return 'last_admin';
        await client.query('DELETE FROM users WHERE id = $1', [id]);
        return 'deleted';
      });
    },

    /** Starts a session; returns the session id for the cookie (only its hash is stored). */
    async createSession(userId: string, ttlSeconds: number): Promise<string> {
      const id = randomBytes(32).toString('base64url');
      await db.query(`INSERT INTO admin_sessions (id_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`, [
        sha256(id),
        userId,
        ttlSeconds,
      ]);
      return id;
    },

    /** The enabled user of a live session, sliding its expiry. */
    async sessionUser(sessionId: string, ttlSeconds: number): Promise<AdminUser | undefined> {
      const rows = await db.query(
        `UPDATE admin_sessions s SET last_seen_at = now(), expires_at = now() + make_interval(secs => $2)
         FROM users u WHERE s.id_hash = $1 AND s.expires_at > now() AND u.id = s.user_id AND u.disabled_at IS NULL
         RETURNING u.id, u.organization_id, u.email, u.name, u.role, u.locale, u.disabled_at, u.created_at`,
        [sha256(sessionId), ttlSeconds],
      );
      return rows[0] ? toUser(rows[0]) : undefined;
    },

    /** Ends a session. */
    async deleteSession(sessionId: string): Promise<void> {
      await db.query('DELETE FROM admin_sessions WHERE id_hash = $1', [sha256(sessionId)]);
    },

    /** Issues a personal API token; the token is returned once and only its hash is stored. */
    async issueApiToken(input: { userId: string; name: string; createdBy: string }): Promise<{ id: string; token: string }> {
      const token = ADMIN_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const rows = await db.query<{ id: string }>(
        'INSERT INTO admin_api_tokens (user_id, name, token_hash, hint, created_by) VALUES ($1,$2,$3,$4,$5) RETURNING id',
        [input.userId, input.name, sha256(token), `${ADMIN_TOKEN_PREFIX}…${token.slice(-4)}`, input.createdBy],
      );
      return { id: rows[0]!.id, token };
    },

    /** The enabled user an active API token belongs to. */
    async apiTokenUser(token: string): Promise<{ user: AdminUser; tokenId: string } | undefined> {
      const rows = await db.query(
        `SELECT u.id, u.organization_id, u.email, u.name, u.role, u.locale, u.disabled_at, u.created_at, t.id AS token_id
         FROM admin_api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL`,
        [sha256(token)],
      );
      const r = rows[0] as { token_id: string } | undefined;
      if (!r) return undefined;
      await db.query(
        `UPDATE admin_api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [r.token_id],
      );
      return { user: toUser(r), tokenId: r.token_id };
    },

    /** Lists the API tokens of an organization's users. */
    async listApiTokens(organizationId: string): Promise<Array<AdminApiToken & { userEmail: string }>> {
      const rows = await db.query(
        `SELECT t.*, u.email AS user_email FROM admin_api_tokens t JOIN users u ON u.id = t.user_id
         WHERE u.organization_id = $1 ORDER BY t.created_at DESC`,
        [organizationId],
      );
      return rows.map((r) => ({ ...toToken(r), userEmail: String(r.user_email) }));
    },

    /** Revokes an API token of the organization; false when there is no such active token. */
    async revokeApiToken(organizationId: string, tokenId: string): Promise<boolean> {
      const rows = await db.query(
        `UPDATE admin_api_tokens t SET revoked_at = now() FROM users u
         WHERE t.id = $2 AND u.id = t.user_id AND u.organization_id = $1 AND t.revoked_at IS NULL RETURNING t.id`,
        [organizationId, tokenId],
      );
      return rows.length === 1;
    },
  };
}
/** See {@link createAdminAccountsRepo}. */
export type AdminAccountsRepo = ReturnType<typeof createAdminAccountsRepo>;
