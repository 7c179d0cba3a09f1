-- Up Migration
-- Events not processed yet, per ticket: the sweep leaves a ticket alone while one is pending, and
-- drives such events again when they are left behind.
CREATE INDEX webhook_events_unprocessed_idx ON webhook_events (integration_id, ticket_id) WHERE processed_at IS NULL;

-- Down Migration
DROP INDEX IF EXISTS webhook_events_unprocessed_idx;
