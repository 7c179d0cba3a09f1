-- Up Migration

-- Typo correction asks for the vocabulary lexemes nearest a query word. The GIN trigram index can
-- only filter by a similarity threshold, after which every lexeme sharing a trigram with the word is
-- scored and sorted (tens of milliseconds for a short word in a large skill); a GiST trigram index
-- returns the nearest ones directly (`ORDER BY lexeme <-> word LIMIT k`) and serves `%` and
-- `LIKE 'prefix%'` as well, so it replaces the GIN index. Dropping the GIN index also matters for
-- exact look-ups: pg_trgm indexes support `=`, and the planner took the GIN one for `lexeme = x`
-- (about 5 ms a word in a 3,000-article skill; the GiST one answers in well under 1 ms).
CREATE INDEX kb_lexemes_trgm_gist_idx ON kb_lexemes USING gist (lexeme gist_trgm_ops);
DROP INDEX IF EXISTS kb_lexemes_trgm_idx;

-- Down Migration

CREATE INDEX IF NOT EXISTS kb_lexemes_trgm_idx ON kb_lexemes USING gin (lexeme gin_trgm_ops);
DROP INDEX IF EXISTS kb_lexemes_trgm_gist_idx;
