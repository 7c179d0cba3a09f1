-- Up Migration

-- Knowledge-base search runs on the in-process index of each skill (packages/ai, KbIndex), in the
-- worker, the admin app and the evaluations alike. The SQL search and its per-skill vocabulary
-- (kb_lexemes, kept by triggers on every passage insert and delete) are gone: every import paid
-- for a vocabulary nothing reads. kb_search_stats stays: its passage count and the version the
-- in-process index is rebuilt on.
CREATE OR REPLACE FUNCTION kb_passages_stats_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kb_search_stats (skill_id, passages)
  SELECT skill_id, count(*)::int FROM new_rows GROUP BY skill_id ORDER BY skill_id
  ON CONFLICT (skill_id) DO UPDATE SET passages = kb_search_stats.passages + EXCLUDED.passages;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION kb_passages_stats_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE kb_search_stats s SET passages = s.passages - d.n
  FROM (SELECT skill_id, count(*)::int AS n FROM old_rows GROUP BY skill_id) d
  WHERE s.skill_id = d.skill_id;
  RETURN NULL;
END $$;

DROP TABLE IF EXISTS kb_lexemes;

-- Down Migration

-- The vocabulary is rebuilt from the passages; the functions keep it up to date again.
CREATE TABLE IF NOT EXISTS kb_lexemes (
  skill_id uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  lexeme text NOT NULL,
  df integer NOT NULL,
  PRIMARY KEY (skill_id, lexeme)
);
CREATE INDEX IF NOT EXISTS kb_lexemes_trgm_gist_idx ON kb_lexemes USING gist (lexeme gist_trgm_ops);
INSERT INTO kb_lexemes (skill_id, lexeme, df)
SELECT p.skill_id, l.lexeme, count(*)::int
FROM kb_passages p, unnest(tsvector_to_array(p.tsv)) AS l(lexeme)
GROUP BY p.skill_id, l.lexeme;

CREATE OR REPLACE FUNCTION kb_passages_stats_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kb_lexemes (skill_id, lexeme, df)
  SELECT n.skill_id, l.lexeme, count(*)::int
  FROM new_rows n, unnest(tsvector_to_array(n.tsv)) AS l(lexeme)
  GROUP BY n.skill_id, l.lexeme
  ORDER BY n.skill_id, l.lexeme
  ON CONFLICT (skill_id, lexeme) DO UPDATE SET df = kb_lexemes.df + EXCLUDED.df;
  INSERT INTO kb_search_stats (skill_id, passages)
  SELECT skill_id, count(*)::int FROM new_rows GROUP BY skill_id ORDER BY skill_id
  ON CONFLICT (skill_id) DO UPDATE SET passages = kb_search_stats.passages + EXCLUDED.passages;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION kb_passages_stats_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM kb_lexemes k
  USING (
    SELECT o.skill_id, l.lexeme, count(*)::int AS n
    FROM old_rows o, unnest(tsvector_to_array(o.tsv)) AS l(lexeme)
    GROUP BY o.skill_id, l.lexeme
  ) d
  WHERE k.skill_id = d.skill_id AND k.lexeme = d.lexeme AND k.df <= d.n;
  UPDATE kb_lexemes k SET df = k.df - d.n
  FROM (
    SELECT o.skill_id, l.lexeme, count(*)::int AS n
    FROM old_rows o, unnest(tsvector_to_array(o.tsv)) AS l(lexeme)
    GROUP BY o.skill_id, l.lexeme
  ) d
  WHERE k.skill_id = d.skill_id AND k.lexeme = d.lexeme;
  UPDATE kb_search_stats s SET passages = s.passages - d.n
  FROM (SELECT skill_id, count(*)::int AS n FROM old_rows GROUP BY skill_id) d
  WHERE s.skill_id = d.skill_id;
  RETURN NULL;
END $$;
