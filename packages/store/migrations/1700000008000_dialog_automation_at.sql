-- Up Migration

-- Every handled event marks its dialog updated, and the sweep takes a dialog updated after its
-- ticket's last change as having seen everything HDE holds. An automation's post (an auto-reply)
-- proves nothing of the kind: its webhook may arrive while the customer's post before it was lost.
-- The dialog keeps the update time an automation's event left, so the sweep can tell that update
-- from one that saw the customer.
ALTER TABLE dialogs ADD COLUMN automation_at timestamptz;

-- Down Migration

ALTER TABLE dialogs DROP COLUMN IF EXISTS automation_at;
