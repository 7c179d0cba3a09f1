-- Up Migration

-- A signed-in browser. Only the SHA-256 of the session id is kept, like webhook tokens.
CREATE TABLE admin_sessions (
  id_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX admin_sessions_user_idx ON admin_sessions (user_id);

-- Personal API tokens for /api/admin/v1; hash only, the token is shown once.
CREATE TABLE admin_api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash bytea NOT NULL UNIQUE,
  hint text NOT NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Members who may see an integration's dialogs while «visible to all» is off.
CREATE TABLE integration_access (
  integration_id uuid NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  granted_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (integration_id, user_id)
);

-- Users who own a skill: they read its ratings.
CREATE TABLE skill_owners (
  skill_id uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (skill_id, user_id)
);

-- A user's verdict on one bot turn; one per user and turn, the latest wins.
CREATE TABLE reply_ratings (
  id bigserial PRIMARY KEY,
  dialog_id bigint NOT NULL REFERENCES dialogs(id) ON DELETE CASCADE,
  turn_id text NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  rating text NOT NULL CHECK (rating IN ('good', 'bad')),
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (turn_id, user_id)
);
CREATE INDEX reply_ratings_dialog_idx ON reply_ratings (dialog_id);

CREATE INDEX messages_text_trgm_idx ON messages USING gin (text gin_trgm_ops);

-- Down Migration
DROP INDEX IF EXISTS messages_text_trgm_idx;
DROP TABLE reply_ratings, skill_owners, integration_access, admin_api_tokens, admin_sessions;
