-- Up Migration

-- Whether customer messages arrived while a turn ran, known without a second read: every pending
-- customer message bumps its dialog's `pending_seq` in the statement that stores it (under the
-- dialog row's lock), and the retrieve stage keeps the value its claim saw on the turn's decision
-- (`claimed_seq`). A message committed after the claim's snapshot has its bump after it too, so when
-- the turn ends, `pending_seq > claimed_seq` exactly when something arrived that the turn did not
-- take. Turns without `claimed_seq` (planned before this column, or ended before their claim was
-- recorded) look for pending messages as before.
ALTER TABLE dialogs ADD COLUMN pending_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE decisions ADD COLUMN claimed_seq bigint;

-- Down Migration

ALTER TABLE decisions DROP COLUMN IF EXISTS claimed_seq;
ALTER TABLE dialogs DROP COLUMN IF EXISTS pending_seq;
