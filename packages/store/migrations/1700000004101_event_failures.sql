-- Up Migration
-- How often an accepted event's processing failed for good, and with what: the sweep stops driving
-- an event again once the same error repeated (or the error was one that never goes away), and the
-- event is set aside as quarantined instead of failing on every sweep.
ALTER TABLE webhook_events
  ADD COLUMN failures integer NOT NULL DEFAULT 0,
  ADD COLUMN last_error_class text,
  ADD COLUMN last_error text,
  ADD COLUMN quarantined_at timestamptz;

-- Down Migration
ALTER TABLE webhook_events
  DROP COLUMN IF EXISTS failures,
  DROP COLUMN IF EXISTS last_error_class,
  DROP COLUMN IF EXISTS last_error,
  DROP COLUMN IF EXISTS quarantined_at;
