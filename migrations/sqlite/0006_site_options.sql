-- A site's language, its look (color scheme, accent color) and its own, stricter limits on
-- codes; NULL follows the Verigator server.

ALTER TABLE sites ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE sites ADD COLUMN color_scheme TEXT NOT NULL DEFAULT 'auto';
ALTER TABLE sites ADD COLUMN accent_color TEXT;
ALTER TABLE sites ADD COLUMN max_tries INTEGER;
ALTER TABLE sites ADD COLUMN code_lifetime_seconds INTEGER;
ALTER TABLE sites ADD COLUMN resend_after_seconds INTEGER;
