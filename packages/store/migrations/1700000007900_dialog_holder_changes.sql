-- Up Migration

-- Who holds a ticket changes by hand too: a support agent takes it over in the admin app (the bot
-- stays silent) or returns it to the bot, and the bot takes back a ticket whose agents went quiet
-- (takeover.afterAgentReply `resume_after`). Each change is kept with who made it and when (the user
-- is null for the bot's own), for the dialog's page.
CREATE TABLE dialog_holder_changes (
  id bigserial PRIMARY KEY,
  dialog_id bigint NOT NULL REFERENCES dialogs(id) ON DELETE CASCADE,
  from_state text NOT NULL,
  to_state text NOT NULL,
  reason text NOT NULL,
  user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dialog_holder_changes_dialog_idx ON dialog_holder_changes (dialog_id, id);

-- When the ticket was last returned to the bot in the admin app: customer messages stored before
-- then were written while a person held it, and a turn still carrying them never answers them.
ALTER TABLE dialogs ADD COLUMN returned_at timestamptz;

-- Down Migration

ALTER TABLE dialogs DROP COLUMN IF EXISTS returned_at;
DROP TABLE IF EXISTS dialog_holder_changes;
