-- Up Migration
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email text NOT NULL,
  name text NOT NULL DEFAULT '',
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
  password_hash text,
  locale text NOT NULL DEFAULT 'ru',
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE consultants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- settings: the skill's policy (thresholds, templates, topics, gates, working hours); see SkillSettings.
CREATE TABLE skills (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  consultant_id uuid NOT NULL REFERENCES consultants(id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name text NOT NULL,
  language text NOT NULL DEFAULT 'ru',
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One connection of a skill to one HelpDeskEddy account. api_key_enc is AES-256-GCM (see secret-box.ts).
CREATE TABLE integrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  skill_id uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  name text NOT NULL DEFAULT 'HelpDeskEddy',
  hde_base_url text NOT NULL,
  admin_email text NOT NULL,
  api_key_enc text NOT NULL,
  bot_user_id bigint,
  reply_mode text NOT NULL DEFAULT 'public' CHECK (reply_mode IN ('public', 'note', 'off')),
  handoff_department_id bigint,
  handoff_agent_id bigint,
  rate_limit_per_minute integer NOT NULL DEFAULT 250 CHECK (rate_limit_per_minute > 0),
  dialogs_visible_to_all boolean NOT NULL DEFAULT false,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a webhook token is kept; the token itself is shown once.
CREATE TABLE webhook_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  integration_id uuid NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE,
  hint text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);

-- Every accepted webhook, before any processing: the inbox. id is the event id (see eventIdOf).
CREATE TABLE webhook_events (
  id text PRIMARY KEY,
  integration_id uuid NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  ticket_id bigint,
  source text NOT NULL DEFAULT 'webhook' CHECK (source IN ('webhook', 'sweep', 'spool', 'manual')),
  parse_status text NOT NULL CHECK (parse_status IN ('ok', 'salvaged', 'unparseable')),
  payload jsonb,
  raw_body bytea,
  content_type text,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  outcome text
);
CREATE INDEX webhook_events_unparsed_idx ON webhook_events (integration_id, received_at) WHERE parse_status <> 'ok';

CREATE TABLE dialogs (
  id bigserial PRIMARY KEY,
  integration_id uuid NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  ticket_id bigint NOT NULL,
  customer_id bigint,
  customer_name text,
  status_id text,
  state text NOT NULL DEFAULT 'bot' CHECK (state IN ('bot', 'handed_off', 'agent', 'closed')),
  handoff_reason text,
  bot_replies integer NOT NULL DEFAULT 0,
  active_turn_id text,
  turn_started_at timestamptz,
  last_customer_at timestamptz,
  last_agent_at timestamptz,
  owner_id bigint,
  department_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (integration_id, ticket_id)
);
CREATE INDEX dialogs_list_idx ON dialogs (integration_id, updated_at DESC);

CREATE TABLE messages (
  id bigserial PRIMARY KEY,
  dialog_id bigint NOT NULL REFERENCES dialogs(id) ON DELETE CASCADE,
  event_id text UNIQUE,
  author_kind text NOT NULL CHECK (author_kind IN ('customer', 'bot', 'agent', 'system')),
  author_id bigint,
  text text NOT NULL DEFAULT '',
  html text,
  hde_post_id bigint,
  posted_at timestamptz,
  status text NOT NULL DEFAULT 'recorded' CHECK (status IN ('recorded', 'pending', 'in_turn', 'done', 'ignored')),
  turn_id text,
  classification jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_dialog_idx ON messages (dialog_id, id);
CREATE INDEX messages_pending_idx ON messages (dialog_id) WHERE status = 'pending';

-- One per turn: what the bot found and decided, with its reasons.
CREATE TABLE decisions (
  id bigserial PRIMARY KEY,
  dialog_id bigint NOT NULL REFERENCES dialogs(id) ON DELETE CASCADE,
  turn_id text NOT NULL UNIQUE,
  message_ids bigint[] NOT NULL DEFAULT '{}',
  stage text NOT NULL DEFAULT 'classified' CHECK (stage IN ('classified', 'retrieved', 'decided', 'delivered', 'failed')),
  classification jsonb,
  kb_hits jsonb,
  action text CHECK (action IN ('answer', 'handoff', 'ignore', 'clarify')),
  reasons text[] NOT NULL DEFAULT '{}',
  confidence double precision,
  reply_html text,
  citations bigint[] NOT NULL DEFAULT '{}',
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_dialog_idx ON decisions (dialog_id, id);

-- Every mutating call to HDE, keyed so the same action is never done twice.
CREATE TABLE send_ledger (
  id bigserial PRIMARY KEY,
  integration_id uuid NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  dialog_id bigint REFERENCES dialogs(id) ON DELETE CASCADE,
  ticket_id bigint NOT NULL,
  action_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reply', 'note', 'assign', 'status', 'tags', 'custom_fields')),
  state text NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'sending', 'sent', 'ambiguous', 'failed', 'quarantined', 'skipped')),
  request jsonb NOT NULL,
  marker text,
  attempts integer NOT NULL DEFAULT 0,
  started_at timestamptz,
  finished_at timestamptz,
  hde_ref text,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (integration_id, action_key)
);
CREATE INDEX send_ledger_open_idx ON send_ledger (integration_id, state) WHERE state IN ('sending', 'ambiguous', 'quarantined');

CREATE TABLE kb_articles (
  id bigserial PRIMARY KEY,
  skill_id uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  source text NOT NULL DEFAULT 'manual',
  external_id text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  body_format text NOT NULL DEFAULT 'markdown' CHECK (body_format IN ('markdown', 'html', 'text')),
  tags text[] NOT NULL DEFAULT '{}',
  language text NOT NULL DEFAULT 'ru',
  url text,
  content_hash text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (skill_id, source, external_id)
);

-- Passages are what search ranks and what answers quote.
CREATE TABLE kb_passages (
  id bigserial PRIMARY KEY,
  article_id bigint NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  skill_id uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  position integer NOT NULL,
  heading text NOT NULL DEFAULT '',
  text text NOT NULL,
  tsv tsvector NOT NULL,
  UNIQUE (article_id, position)
);
CREATE INDEX kb_passages_tsv_idx ON kb_passages USING gin (tsv);
CREATE INDEX kb_passages_skill_idx ON kb_passages (skill_id);
CREATE INDEX kb_passages_trgm_idx ON kb_passages USING gin (text gin_trgm_ops);

-- Down Migration
DROP TABLE kb_passages, kb_articles, send_ledger, decisions, messages, dialogs, webhook_events,
  webhook_tokens, integrations, skills, consultants, users, organizations;
