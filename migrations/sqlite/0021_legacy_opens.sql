-- Sessions opened from one legacy Messente URL (which has no timestamp and never expires), per
-- client network: in the database, so that every replica counts the same opens. A URL is the
-- hash of its site and signature, never the URL itself; rows go after a day (retention).
CREATE TABLE legacy_opens (
    url_hash   TEXT NOT NULL,
    client_net TEXT NOT NULL,
    opened_at  INTEGER NOT NULL
);
CREATE INDEX legacy_opens_by_url ON legacy_opens (url_hash, client_net, opened_at);
CREATE INDEX legacy_opens_by_time ON legacy_opens (opened_at);
