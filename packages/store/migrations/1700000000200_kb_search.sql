-- Up Migration

-- Per-skill vocabulary of the stemmed lexemes of kb_passages.tsv with their document frequency
-- (how many passages contain them). Search uses df for IDF weights, so common words such as «заказ»
-- count less than rare ones, and the vocabulary for typo correction (trigram index).
CREATE TABLE kb_lexemes (
  skill_id uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  lexeme text NOT NULL,
  df integer NOT NULL,
  PRIMARY KEY (skill_id, lexeme)
);
CREATE INDEX kb_lexemes_trgm_idx ON kb_lexemes USING gin (lexeme gin_trgm_ops);

-- Number of passages per skill: the N of the IDF formula.
CREATE TABLE kb_search_stats (
  skill_id uuid PRIMARY KEY REFERENCES skills(id) ON DELETE CASCADE,
  passages integer NOT NULL
);

-- Statement-level triggers with transition tables: one re-index (DELETE of an article's passages)
-- or a cascade from kb_articles costs one aggregate update, not one per row. Lexemes are applied in
-- sorted order so concurrent imports into one skill lock rows in the same order and do not deadlock.
CREATE FUNCTION kb_passages_stats_ins() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE FUNCTION kb_passages_stats_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Lexemes no passage contains any more leave the vocabulary, or typo correction would steer
  -- queries to words that find nothing; the rest lose the deleted passages' counts.
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

CREATE TRIGGER kb_passages_stats_ins AFTER INSERT ON kb_passages
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kb_passages_stats_ins();
CREATE TRIGGER kb_passages_stats_del AFTER DELETE ON kb_passages
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kb_passages_stats_del();

-- Passages indexed before this migration.
INSERT INTO kb_lexemes (skill_id, lexeme, df)
SELECT p.skill_id, l.lexeme, count(*)::int
FROM kb_passages p, unnest(tsvector_to_array(p.tsv)) AS l(lexeme)
GROUP BY p.skill_id, l.lexeme;
INSERT INTO kb_search_stats (skill_id, passages)
SELECT skill_id, count(*)::int FROM kb_passages GROUP BY skill_id;

-- Down Migration

DROP TRIGGER IF EXISTS kb_passages_stats_del ON kb_passages;
DROP TRIGGER IF EXISTS kb_passages_stats_ins ON kb_passages;
DROP FUNCTION IF EXISTS kb_passages_stats_del();
DROP FUNCTION IF EXISTS kb_passages_stats_ins();
DROP TABLE IF EXISTS kb_search_stats;
DROP TABLE IF EXISTS kb_lexemes;
