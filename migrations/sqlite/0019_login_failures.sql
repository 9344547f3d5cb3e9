-- Failed /v1 logins per client network and per username, in fixed windows: in the database,
-- so that every replica counts the same attempts.
CREATE TABLE verigator_login_failures (
    key          TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    failures     INTEGER NOT NULL
);
CREATE INDEX verigator_login_failures_by_window ON verigator_login_failures (window_start);
