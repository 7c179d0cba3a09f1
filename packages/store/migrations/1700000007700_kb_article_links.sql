-- Up Migration

-- The web addresses an article's body links to (`href`s of HTML, targets of Markdown links): the
-- passages keep only the links' words, so what an agent's reply links to could not be traced back
-- to the article that gives the link. Read by learning from agents' answers, never by ranking.
ALTER TABLE kb_articles ADD COLUMN links text[] NOT NULL DEFAULT '{}';

-- Existing articles: the same addresses as the store's `articleLinks` reads (HTML `href`s of HTML
-- bodies, Markdown link targets of Markdown ones, none of plain text; the first 50 in order).
-- PostgreSQL's regular expressions bound repetitions at 255, so the length is checked apart.
UPDATE kb_articles a
   SET links = ARRAY(
         SELECT found.link
           FROM (SELECT replace(m.match[1], '&amp;', '&') AS link, min(m.n) AS first
                   FROM regexp_matches(
                          a.body,
                          CASE a.body_format
                            WHEN 'html' THEN 'href\s*=\s*["''](https?://[^"''\s<>]+)["'']'
                            ELSE '\]\((https?://[^\s<>)]+)'
                          END,
                          'gi') WITH ORDINALITY AS m(match, n)
                  WHERE length(m.match[1]) <= 500
                  GROUP BY 1) AS found
          ORDER BY found.first
          LIMIT 50)
 WHERE a.body_format IN ('html', 'markdown')
   AND a.body ~* '(href\s*=\s*["'']|\]\()https?://';

-- Down Migration

ALTER TABLE kb_articles DROP COLUMN IF EXISTS links;
