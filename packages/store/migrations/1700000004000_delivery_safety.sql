-- Up Migration
-- A turn's planned HDE calls are found by the turn, so a rerun drives exactly what was planned.
ALTER TABLE send_ledger ADD COLUMN turn_id text;
CREATE INDEX send_ledger_turn_idx ON send_ledger (turn_id) WHERE turn_id IS NOT NULL;

-- The reply mode in force when the turn was decided: deliver never posts more publicly than that.
ALTER TABLE decisions ADD COLUMN reply_mode text CHECK (reply_mode IN ('public', 'note', 'off'));

-- A customer message the pipeline gave up on is `failed` (visible and counted), never `done`.
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check
  CHECK (status IN ('recorded', 'pending', 'in_turn', 'done', 'ignored', 'failed'));
CREATE INDEX messages_failed_idx ON messages (dialog_id) WHERE status = 'failed';

-- Webhooks arrive out of order: the newest post date seen, and the post date behind the current
-- state, so an older event never overrides what a newer one said.
ALTER TABLE dialogs ADD COLUMN last_post_at timestamptz, ADD COLUMN state_at timestamptz;

-- Down Migration
ALTER TABLE dialogs DROP COLUMN last_post_at, DROP COLUMN state_at;
DROP INDEX IF EXISTS messages_failed_idx;
UPDATE messages SET status = 'done' WHERE status = 'failed';
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check
  CHECK (status IN ('recorded', 'pending', 'in_turn', 'done', 'ignored'));
ALTER TABLE decisions DROP COLUMN reply_mode;
DROP INDEX IF EXISTS send_ledger_turn_idx;
ALTER TABLE send_ledger DROP COLUMN turn_id;
