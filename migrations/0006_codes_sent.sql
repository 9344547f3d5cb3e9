-- How many codes a session has sent: the page tells one code's resend countdown from the
-- next by it.

ALTER TABLE sessions ADD COLUMN codes_sent INTEGER NOT NULL DEFAULT 0;
