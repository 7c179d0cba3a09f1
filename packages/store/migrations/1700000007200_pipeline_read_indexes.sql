-- Up Migration
-- Reads the pipeline makes on every message, by index instead of scanning the whole table:
-- a dialog's ledger rows (deliver's turn state; is a post by the bot account our echo?) and a
-- turn's messages (retrieve).
CREATE INDEX IF NOT EXISTS send_ledger_dialog_idx ON send_ledger (dialog_id, id) WHERE dialog_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_turn_idx ON messages (turn_id, id) WHERE turn_id IS NOT NULL;

-- Down Migration
DROP INDEX IF EXISTS messages_turn_idx;
DROP INDEX IF EXISTS send_ledger_dialog_idx;
