-- Up Migration

-- A turn's plan is written in one statement: each row carries its place in the plan, and at most one
-- plan per turn can hold place 0. Two planners racing for one turn cannot both write a plan: the
-- second statement fails as a whole on this index and reads the first one's rows. (It replaces a
-- transaction with an advisory lock and an existence check: seven statements per turn.) Rows
-- planned outside a turn's plan (a draft after a mode change, an approved draft) have no place.
ALTER TABLE send_ledger ADD COLUMN plan_seq smallint;
CREATE UNIQUE INDEX send_ledger_turn_plan_idx ON send_ledger (turn_id, plan_seq) WHERE plan_seq IS NOT NULL;

-- Down Migration

DROP INDEX IF EXISTS send_ledger_turn_plan_idx;
ALTER TABLE send_ledger DROP COLUMN IF EXISTS plan_seq;
