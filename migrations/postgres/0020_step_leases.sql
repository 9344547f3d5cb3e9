-- One step of a session at a time, on every replica: a step holds the session's lease (a
-- random token and the moment it lapses) from its first read to its last write, and each of
-- its writes names the token, so that a step whose lease lapsed (its process died or hung)
-- changes nothing.
ALTER TABLE sessions ADD COLUMN step_token TEXT;
ALTER TABLE sessions ADD COLUMN step_until BIGINT;
