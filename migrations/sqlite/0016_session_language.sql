-- The language the host's request named (`lang`), if any: it wins over the visitor's browser.
ALTER TABLE sessions ADD COLUMN lang TEXT;
