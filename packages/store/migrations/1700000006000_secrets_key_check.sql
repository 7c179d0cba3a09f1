-- Up Migration
-- A value sealed with the deployment's SECRETS_KEY when the first process starts; every process that
-- holds a key opens it at start, so a wrong key stops the process instead of failing every send.
CREATE TABLE secrets_key_check (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  sealed text NOT NULL,
  fingerprint text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE secrets_key_check;
