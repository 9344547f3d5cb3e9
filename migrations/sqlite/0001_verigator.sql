-- The Verigator-compatible API: accounts own services, services own users, users have at
-- most one pending challenge. Times are Unix seconds (INTEGER) for comparisons and
-- RFC 3339 text (ctime) where the API shows them. Portable SQL: SQLite and PostgreSQL.

CREATE TABLE verigator_accounts (
    username      TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE verigator_services (
    id         TEXT PRIMARY KEY,
    account    TEXT NOT NULL REFERENCES verigator_accounts (username),
    name       TEXT NOT NULL,
    fqdn       TEXT NOT NULL,
    ctime      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (account, name)
);

CREATE TABLE verigator_users (
    id             TEXT PRIMARY KEY,
    service_id     TEXT NOT NULL REFERENCES verigator_services (id),
    id_in_service  TEXT NOT NULL,
    phone_number   TEXT NOT NULL,
    ctime          TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    -- TOTP (an extension): the secret, whether a first code confirmed it, the last step used.
    totp_secret    TEXT,
    totp_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step BIGINT,
    UNIQUE (service_id, id_in_service)
);

-- The one pending challenge of a user; a new one replaces it.
CREATE TABLE verigator_challenges (
    user_id       TEXT PRIMARY KEY REFERENCES verigator_users (id) ON DELETE CASCADE,
    method        TEXT NOT NULL,
    -- Keyed hash of the SMS PIN; NULL for TOTP.
    pin_hash      TEXT,
    expires_at    BIGINT NOT NULL,
    attempts_left INTEGER NOT NULL
);

-- One row per SMS sent, for the per-user cooldown and hourly cap.
CREATE TABLE verigator_sms_sends (
    user_id TEXT NOT NULL,
    sent_at BIGINT NOT NULL
);
CREATE INDEX verigator_sms_sends_by_user ON verigator_sms_sends (user_id, sent_at);

-- The development SMS provider's messages.
CREATE TABLE sms_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient  TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
