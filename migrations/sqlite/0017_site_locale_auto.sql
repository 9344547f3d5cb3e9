-- A site's language may be `auto`: the visitor's browser's where the widget speaks it. A site
-- that kept the old default (`en`) had the visitor's browser choose first, so it becomes `auto`
-- and its visitors see no change; a site that chose another language keeps it, now for every
-- visitor whose host names none.
UPDATE sites SET locale = 'auto' WHERE locale = 'en';
