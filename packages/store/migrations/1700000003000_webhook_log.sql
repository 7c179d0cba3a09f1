-- The webhook log: the newest events of an integration, whatever their parse status.
CREATE INDEX IF NOT EXISTS webhook_events_log_idx ON webhook_events (integration_id, received_at DESC);

-- Spooled events that failed to be stored with the same deterministic error: set aside instead of
-- retried forever, and shown in the webhook log. Only metadata here (no customer text): the record
-- itself stays in the ingress's quarantine file. No foreign key: the integration may be gone.
CREATE TABLE IF NOT EXISTS webhook_quarantine (
  event_id text PRIMARY KEY,
  integration_id uuid,
  ticket_id bigint,
  error_code text NOT NULL,
  bytes integer NOT NULL DEFAULT 0,
  received_at timestamptz NOT NULL,
  quarantined_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS webhook_quarantine_log_idx ON webhook_quarantine (integration_id, quarantined_at DESC);
