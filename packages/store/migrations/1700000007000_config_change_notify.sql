-- Up Migration
-- Processes keep integrations and skills in memory (they are read on every message and change
-- rarely). Every change is announced on the `hde_config_changed` channel as '<table>:<id>' so each
-- process drops its copy at once; the payload carries no settings.
CREATE OR REPLACE FUNCTION hde_notify_config_change() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('hde_config_changed', TG_TABLE_NAME || ':' || COALESCE(NEW.id, OLD.id)::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER integrations_config_changed AFTER INSERT OR UPDATE OR DELETE ON integrations
  FOR EACH ROW EXECUTE FUNCTION hde_notify_config_change();
CREATE TRIGGER skills_config_changed AFTER INSERT OR UPDATE OR DELETE ON skills
  FOR EACH ROW EXECUTE FUNCTION hde_notify_config_change();

-- Down Migration
DROP TRIGGER IF EXISTS skills_config_changed ON skills;
DROP TRIGGER IF EXISTS integrations_config_changed ON integrations;
DROP FUNCTION IF EXISTS hde_notify_config_change();
