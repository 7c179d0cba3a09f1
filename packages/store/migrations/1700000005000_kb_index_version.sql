-- Up Migration

-- The in-process search index of a skill is rebuilt when this number changes: every statement that
-- adds or removes passages of the skill bumps it (after the statistics triggers, which create the
-- row: triggers of one event fire in name order).
ALTER TABLE kb_search_stats ADD COLUMN version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION kb_passages_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE kb_search_stats s SET version = s.version + 1 WHERE s.skill_id IN (SELECT DISTINCT skill_id FROM new_rows);
  ELSE
    UPDATE kb_search_stats s SET version = s.version + 1 WHERE s.skill_id IN (SELECT DISTINCT skill_id FROM old_rows);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER kb_passages_stats_version_ins AFTER INSERT ON kb_passages
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kb_passages_bump_version();
CREATE TRIGGER kb_passages_stats_version_del AFTER DELETE ON kb_passages
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kb_passages_bump_version();

-- What answer calibration learnt about a skill's knowledge base from probes (its own titles and
-- first sentences), for the index version it was computed on.
CREATE TABLE kb_calibrations (
  skill_id uuid PRIMARY KEY REFERENCES skills(id) ON DELETE CASCADE,
  kb_version text NOT NULL,
  data jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE IF EXISTS kb_calibrations;
DROP TRIGGER IF EXISTS kb_passages_stats_version_del ON kb_passages;
DROP TRIGGER IF EXISTS kb_passages_stats_version_ins ON kb_passages;
DROP FUNCTION IF EXISTS kb_passages_bump_version();
ALTER TABLE kb_search_stats DROP COLUMN IF EXISTS version;
