-- Up Migration

-- The web addresses an article's body links to (`href`s of HTML, targets of Markdown links): the
-- passages keep only the links' words, so what an agent's reply links to could not be traced back
-- to the article that gives the link. Read by learning from agents' answers, never by ranking.
ALTER TABLE kb_articles ADD COLUMN links text[] NOT NULL DEFAULT '{}';

-- Existing articles: the same addresses as the store's `articleLinks` reads, near enough (PostgreSQL's
-- regular expressions bound repetitions at 255, so the length is checked apart).
UPDATE kb_articles
   SET links = ARRAY(
         SELECT DISTINCT replace(m[1], '&amp;', '&')
           FROM regexp_matches(body, '(?:href\s*=\s*["'']|\]\()(https?://[^"''\s<>)]+)', 'gi') AS m
          WHERE length(m[1]) <= 500
          LIMIT 50)
 WHERE body ~* '(href\s*=\s*["'']|\]\()https?://';

-- Down Migration

ALTER TABLE kb_articles DROP COLUMN IF EXISTS links;
