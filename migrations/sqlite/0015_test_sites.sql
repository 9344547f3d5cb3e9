-- A test site (`site add --test`) sends no SMS and signs only results that say `test`. It is
-- chosen when the site is added and never changes, so its secrets never sign a live result.
ALTER TABLE sites ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
