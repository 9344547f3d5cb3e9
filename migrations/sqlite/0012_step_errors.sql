-- Why the last step of a session failed, kept until the session's page has shown it once: a
-- step posted without JavaScript answers with a redirect to the page (post/redirect/get).
ALTER TABLE sessions ADD COLUMN step_error TEXT;
