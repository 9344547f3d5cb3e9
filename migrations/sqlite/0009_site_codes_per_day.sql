-- A site's budget of codes per rolling 24 hours; NULL follows the server's default.
ALTER TABLE sites ADD COLUMN codes_per_day INTEGER;
CREATE INDEX sessions_by_site ON sessions (site_id, created_at);
