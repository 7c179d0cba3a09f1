-- Up Migration
-- Quarantined events are few; the worker's metrics count them at every scrape.
CREATE INDEX IF NOT EXISTS webhook_events_quarantined_idx ON webhook_events (integration_id) WHERE quarantined_at IS NOT NULL;

-- Down Migration
DROP INDEX IF EXISTS webhook_events_quarantined_idx;
