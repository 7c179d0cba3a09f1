-- Up Migration

-- Every handled event marks its dialog updated, and the sweep takes a dialog updated after its
-- ticket's last change as having seen everything HDE holds. An event of a post by the bot itself
-- (its reply's echo) or by an automation (an auto-reply) proves nothing of the kind: its webhook may
-- be handled while a customer's post written before it, or after the bot's reply, lost its own.
-- The dialog keeps the update time such an event left, so the sweep can tell that update from one
-- that saw the customer.
ALTER TABLE dialogs ADD COLUMN blind_update_at timestamptz;

-- Down Migration

ALTER TABLE dialogs DROP COLUMN IF EXISTS blind_update_at;
