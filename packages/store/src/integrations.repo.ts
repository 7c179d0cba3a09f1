import { randomUUID } from 'node:crypto';
import type { Db } from './db';
import type { SecretBox } from './secret-box';
import { generateToken, hashToken, tokenHint } from './tokens';
import { DEFAULT_RATE_LIMIT_PER_MINUTE, trimTrailingSlashes } from '@repo/domain';

/** How the bot acts in HDE: public replies, internal notes only (draft mode), or nothing. */
export type ReplyMode = 'public' | 'note' | 'off';

/** An HDE integration as the pipeline needs it; the API key stays encrypted. */
export type Integration = {
  id: string;
  organizationId: string;
  skillId: string;
  name: string;
  hdeBaseUrl: string;
  adminEmail: string;
  botUserId: number | null;
  replyMode: ReplyMode;
  handoffDepartmentId: number | null;
  handoffAgentId: number | null;
  rateLimitPerMinute: number;
  dialogsVisibleToAll: boolean;
  settings: Record<string, unknown>;
  enabled: boolean;
  /**
   * Bumped each time the API key is replaced: whatever keeps a client (or any state) per integration
   * compares it, so a new key takes effect on the next job without restarting anything.
   */
  apiKeyVersion: number;
};

type IntegrationRow = {
  id: string;
  organization_id: string;
  skill_id: string;
  name: string;
  hde_base_url: string;
  admin_email: string;
  bot_user_id: number | null;
  reply_mode: ReplyMode;
  handoff_department_id: number | null;
  handoff_agent_id: number | null;
  rate_limit_per_minute: number;
  dialogs_visible_to_all: boolean;
  settings: Record<string, unknown>;
  enabled: boolean;
  api_key_version: number;
};

function toIntegration(row: IntegrationRow): Integration {
  return {
    id: row.id,
    organizationId: row.organization_id,
    skillId: row.skill_id,
    name: row.name,
    hdeBaseUrl: row.hde_base_url,
    adminEmail: row.admin_email,
    botUserId: row.bot_user_id,
    replyMode: row.reply_mode,
    handoffDepartmentId: row.handoff_department_id,
    handoffAgentId: row.handoff_agent_id,
    rateLimitPerMinute: row.rate_limit_per_minute,
    dialogsVisibleToAll: row.dialogs_visible_to_all,
    settings: row.settings,
    enabled: row.enabled,
    apiKeyVersion: row.api_key_version,
  };
}

const COLUMNS = `id, organization_id, skill_id, name, hde_base_url, admin_email, bot_user_id, reply_mode,
  handoff_department_id, handoff_agent_id, rate_limit_per_minute, dialogs_visible_to_all, settings, enabled, api_key_version`;

/** Fields of a new integration. */
export type NewIntegration = {
  organizationId: string;
  skillId: string;
  name?: string;
  hdeBaseUrl: string;
  adminEmail: string;
  apiKey: string;
  botUserId?: number | null;
  replyMode?: ReplyMode;
  handoffDepartmentId?: number | null;
  handoffAgentId?: number | null;
  rateLimitPerMinute?: number;
  dialogsVisibleToAll?: boolean;
  settings?: Record<string, unknown>;
};

/** Patchable fields of an integration. */
export type IntegrationPatch = Partial<Omit<NewIntegration, 'organizationId' | 'skillId'>> & { enabled?: boolean };

/** The context an API key is sealed under: binds the ciphertext to its row. */
export function keyContext(integrationId: string): string {
  return `integration:${integrationId}:api_key`;
}

/** Repository of integrations and their webhook tokens. */
export function createIntegrationsRepo(db: Db, box: SecretBox) {
  return {
    /** Creates an integration, encrypting its API key. */
    async create(input: NewIntegration): Promise<Integration> {
      const id = randomUUID();
      const rows = await db.query<IntegrationRow>(
        `INSERT INTO integrations (id, organization_id, skill_id, name, hde_base_url, admin_email, api_key_enc,
           bot_user_id, reply_mode, handoff_department_id, handoff_agent_id, rate_limit_per_minute,
           dialogs_visible_to_all, settings)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING ${COLUMNS}`,
        [
          id,
          input.organizationId,
          input.skillId,
          input.name ?? 'HelpDeskEddy',
          trimTrailingSlashes(input.hdeBaseUrl),
          input.adminEmail,
          box.seal(input.apiKey, keyContext(id)),
          input.botUserId ?? null,
          input.replyMode ?? 'public',
          input.handoffDepartmentId ?? null,
          input.handoffAgentId ?? null,
          input.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
          input.dialogsVisibleToAll ?? false,
          JSON.stringify(input.settings ?? {}),
        ],
      );
      return toIntegration(rows[0]!);
    },

    /** Updates an integration; a new API key is re-encrypted. */
    async update(id: string, patch: IntegrationPatch): Promise<Integration | undefined> {
      const sets: string[] = [];
      const params: unknown[] = [id];
      const set = (column: string, value: unknown) => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      if (patch.name !== undefined) set('name', patch.name);
      if (patch.hdeBaseUrl !== undefined) set('hde_base_url', trimTrailingSlashes(patch.hdeBaseUrl));
      if (patch.adminEmail !== undefined) set('admin_email', patch.adminEmail);
      if (patch.apiKey !== undefined) {
        set('api_key_enc', box.seal(patch.apiKey, keyContext(id)));
        sets.push('api_key_version = api_key_version + 1');
      }
      if (patch.botUserId !== undefined) set('bot_user_id', patch.botUserId);
      if (patch.replyMode !== undefined) set('reply_mode', patch.replyMode);
      if (patch.handoffDepartmentId !== undefined) set('handoff_department_id', patch.handoffDepartmentId);
      if (patch.handoffAgentId !== undefined) set('handoff_agent_id', patch.handoffAgentId);
      if (patch.rateLimitPerMinute !== undefined) set('rate_limit_per_minute', patch.rateLimitPerMinute);
      if (patch.dialogsVisibleToAll !== undefined) set('dialogs_visible_to_all', patch.dialogsVisibleToAll);
      if (patch.settings !== undefined) set('settings', JSON.stringify(patch.settings));
      if (patch.enabled !== undefined) set('enabled', patch.enabled);
      if (sets.length === 0) return this.get(id);
      const rows = await db.query<IntegrationRow>(
        `UPDATE integrations SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        params,
      );
      return rows[0] ? toIntegration(rows[0]) : undefined;
    },

    /**
     * Deletes an integration of an organization and everything that hangs on it: its webhook tokens
     * (its webhooks are then refused like an unknown token's), settings, dialog access, and its
     * history — dialogs, messages, decisions, the send ledger and the webhook log (the schema's
     * ON DELETE CASCADE; the quarantine has no foreign key and is cleared here). Returns whether a row
     * was deleted; another organization's id deletes nothing.
     */
    async delete(id: string, organizationId: string): Promise<boolean> {
      return db.tx(async (client) => {
        const deleted = await client.query('DELETE FROM integrations WHERE id = $1 AND organization_id = $2', [id, organizationId]);
        if (deleted.rowCount === 0) return false;
        await client.query('DELETE FROM webhook_quarantine WHERE integration_id = $1', [id]);
        return true;
      });
    },

    /** Reads one integration. */
    async get(id: string): Promise<Integration | undefined> {
      const rows = await db.query<IntegrationRow>(`SELECT ${COLUMNS} FROM integrations WHERE id = $1`, [id]);
      return rows[0] ? toIntegration(rows[0]) : undefined;
    },

    /** Lists integrations, optionally of one organization. */
    async list(organizationId?: string): Promise<Integration[]> {
      const rows = organizationId
        ? await db.query<IntegrationRow>(`SELECT ${COLUMNS} FROM integrations WHERE organization_id = $1 ORDER BY created_at`, [
            organizationId,
          ])
        : await db.query<IntegrationRow>(`SELECT ${COLUMNS} FROM integrations ORDER BY created_at`);
      return rows.map(toIntegration);
    },

    /** Decrypts an integration's HDE credentials. Call only right before talking to HDE. */
    async credentials(id: string): Promise<{ email: string; apiKey: string } | undefined> {
      const rows = await db.query<{ admin_email: string; api_key_enc: string }>(
        'SELECT admin_email, api_key_enc FROM integrations WHERE id = $1',
        [id],
      );
      const row = rows[0];
      if (!row) return undefined;
      return { email: row.admin_email, apiKey: box.open(row.api_key_enc, keyContext(id)) };
    },

    /**
     * Issues a webhook token. Returns the token itself, which is never stored and cannot be shown
     * again. With `graceSeconds`, the integration's other active tokens expire after that time.
     */
    async issueToken(integrationId: string, options: { graceSeconds?: number } = {}): Promise<{ id: string; token: string }> {
      const token = generateToken();
      return db.tx(async (client) => {
        if (options.graceSeconds !== undefined) {
          await client.query(
            `UPDATE webhook_tokens SET expires_at = LEAST(COALESCE(expires_at, 'infinity'), now() + make_interval(secs => $2))
             WHERE integration_id = $1 AND revoked_at IS NULL`,
            [integrationId, options.graceSeconds],
          );
        }
        const rows = await client.query<{ id: string }>(
          'INSERT INTO webhook_tokens (integration_id, token_hash, hint) VALUES ($1, $2, $3) RETURNING id',
          [integrationId, hashToken(token), tokenHint(token)],
        );
        return { id: rows.rows[0]!.id, token };
      });
    },

    /** Revokes one token at once; false when no token of that id was still in force. */
    async revokeToken(tokenId: string): Promise<boolean> {
      const rows = await db.query('UPDATE webhook_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [
        tokenId,
      ]);
      return rows.length > 0;
    },

    /** Lists an integration's tokens (hints only). */
    async listTokens(integrationId: string) {
      return db.query<{
        id: string;
        hint: string;
        created_at: Date;
        last_used_at: Date | null;
        expires_at: Date | null;
        revoked_at: Date | null;
      }>(
        'SELECT id, hint, created_at, last_used_at, expires_at, revoked_at FROM webhook_tokens WHERE integration_id = $1 ORDER BY created_at',
        [integrationId],
      );
    },

    /**
     * Finds the integration an active token belongs to, by the token's hash. A disabled integration's
     * token still resolves: its webhooks are acknowledged and stored, and the worker sends nothing.
     */
    async findByToken(token: string): Promise<{ integrationId: string; tokenId: string; expiresInMs: number | null } | undefined> {
      return this.findByTokenHash(hashToken(token));
    },

    /** Like `findByToken`, from the token's sha256 (what the ingress's spool keeps instead of the token). */
    async findByTokenHash(hash: Buffer): Promise<{ integrationId: string; tokenId: string; expiresInMs: number | null } | undefined> {
      // The time left (by the database's clock, which set the expiry) rather than the expiry itself.
      const rows = await db.query<{ integration_id: string; id: string; expires_in_ms: number | null }>(
        `SELECT t.integration_id, t.id, (EXTRACT(EPOCH FROM t.expires_at - now()) * 1000)::float8 AS expires_in_ms
         FROM webhook_tokens t JOIN integrations i ON i.id = t.integration_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
        [hash],
      );
      const row = rows[0];
      return row ? { integrationId: row.integration_id, tokenId: row.id, expiresInMs: row.expires_in_ms } : undefined;
    },

    /** Records that a token was used (best effort, for the admin list). */
    async touchToken(tokenId: string): Promise<void> {
      await db.query(
        `UPDATE webhook_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [tokenId],
      );
    },
  };
}
/** See {@link createIntegrationsRepo}. */
export type IntegrationsRepo = ReturnType<typeof createIntegrationsRepo>;
