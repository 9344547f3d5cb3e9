-- A verified result must prove the number: a session's code step is bound to the Verigator
-- user its code went through and to the moment it was sent, and a signed request starts at
-- most one session.

-- The Verigator user the session's pending code was sent through.
ALTER TABLE sessions ADD COLUMN verigator_user_id TEXT;
-- SHA-256 of the signed request's canonical form; NULL for the legacy protocol, whose
-- requests name no visitor. Opening the same signed URL again finds the same session.
ALTER TABLE sessions ADD COLUMN request_key TEXT;
CREATE UNIQUE INDEX sessions_by_request ON sessions (site_id, request_key);

-- Whose code is pending on each (site, host user)'s Verigator user and when it was sent;
-- and which session is sending one now, until when: two sends through one user never
-- interleave, and a code is accepted only while it is the user's pending one.
ALTER TABLE site_users ADD COLUMN challenge_session TEXT;
ALTER TABLE site_users ADD COLUMN challenge_sent_at BIGINT;
ALTER TABLE site_users ADD COLUMN sending_session TEXT;
ALTER TABLE site_users ADD COLUMN sending_until BIGINT;
