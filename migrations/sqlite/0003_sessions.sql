-- Widget sessions: one visitor verifying one phone for one site's user. The id travels in
-- the URL (iframes lose third-party cookies), so it is long and random.

CREATE TABLE sessions (
    id                TEXT PRIMARY KEY,
    site_id           TEXT NOT NULL REFERENCES sites (id),
    host_user         TEXT NOT NULL,
    prefill_phone     TEXT,
    phone_locked      BOOLEAN NOT NULL,
    callback_url      TEXT NOT NULL,
    state             TEXT,
    -- started, code_sent, verified, cancelled, expired, locked
    status            TEXT NOT NULL,
    phone             TEXT,
    method            TEXT,
    created_at        BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL,
    code_sent_at      BIGINT,
    wrong_codes       INTEGER NOT NULL DEFAULT 0,
    finished_at       BIGINT
);

-- The Verigator user behind each (site, host user), and the number it was created with:
-- the API cannot change a user's number, so a new number means a new user.
CREATE TABLE site_users (
    site_id           TEXT NOT NULL REFERENCES sites (id),
    host_user         TEXT NOT NULL,
    verigator_user_id TEXT NOT NULL,
    phone             TEXT NOT NULL,
    PRIMARY KEY (site_id, host_user)
);
