-- Up Migration
-- The intake recognises our own posts' webhooks by the HDE post id a send returned.
CREATE INDEX IF NOT EXISTS send_ledger_hde_ref_idx ON send_ledger (integration_id, hde_ref) WHERE hde_ref IS NOT NULL;

-- Down Migration
DROP INDEX IF EXISTS send_ledger_hde_ref_idx;
