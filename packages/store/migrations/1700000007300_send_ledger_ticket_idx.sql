-- Up Migration
-- The intake reads a ticket's sent and in-flight replies to recognise our own posts' webhooks.
CREATE INDEX IF NOT EXISTS send_ledger_ticket_idx ON send_ledger (integration_id, ticket_id);

-- Down Migration
DROP INDEX IF EXISTS send_ledger_ticket_idx;
