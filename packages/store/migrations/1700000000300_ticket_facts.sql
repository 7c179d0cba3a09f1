-- Up Migration
-- What the bot last learnt of a ticket from HDE itself (webhooks carry neither department, channel,
-- owner nor tags): used for scope filters and for checking preconditions before sending.
ALTER TABLE dialogs
  ADD COLUMN source text,
  ADD COLUMN tags text[],
  ADD COLUMN ticket_read_at timestamptz;

ALTER TABLE send_ledger DROP CONSTRAINT send_ledger_kind_check;
ALTER TABLE send_ledger ADD CONSTRAINT send_ledger_kind_check
  CHECK (kind IN ('reply', 'note', 'assign', 'status', 'tags', 'custom_fields', 'enrich'));

-- Down Migration
ALTER TABLE send_ledger DROP CONSTRAINT send_ledger_kind_check;
ALTER TABLE send_ledger ADD CONSTRAINT send_ledger_kind_check
  CHECK (kind IN ('reply', 'note', 'assign', 'status', 'tags', 'custom_fields'));
ALTER TABLE dialogs DROP COLUMN source, DROP COLUMN tags, DROP COLUMN ticket_read_at;
