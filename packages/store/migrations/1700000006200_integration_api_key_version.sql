-- Up Migration
-- Bumped whenever an integration's HDE API key is replaced: processes that keep an HDE client per
-- integration compare it and build a new client with the new key on their next job.
ALTER TABLE integrations ADD COLUMN IF NOT EXISTS api_key_version integer NOT NULL DEFAULT 1;

-- Down Migration
ALTER TABLE integrations DROP COLUMN IF EXISTS api_key_version;
