-- The schema as migrations/sqlite/ leaves it at 0018, in PostgreSQL's types: every integer is
-- BIGINT (the code reads them as i64), flags read as booleans are BOOLEAN, counters the abuse
-- guard compares with 1 stay BIGINT. Later migrations are written once per backend, with the
-- same version number in both folders.

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
    id                   TEXT PRIMARY KEY,
    service_id           TEXT NOT NULL REFERENCES verigator_services (id),
    id_in_service        TEXT NOT NULL,
    phone_number         TEXT NOT NULL,
    ctime                TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    totp_secret          TEXT,
    totp_confirmed       BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step       BIGINT,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    UNIQUE (service_id, id_in_service)
);

CREATE TABLE verigator_challenges (
    user_id       TEXT PRIMARY KEY REFERENCES verigator_users (id) ON DELETE CASCADE,
    method        TEXT NOT NULL,
    pin_hash      TEXT,
    expires_at    BIGINT NOT NULL,
    attempts_left BIGINT NOT NULL
);
CREATE INDEX verigator_challenges_by_expiry ON verigator_challenges (expires_at);

CREATE TABLE verigator_code_failures (
    user_id   TEXT NOT NULL REFERENCES verigator_users (id) ON DELETE CASCADE,
    failed_at BIGINT NOT NULL
);
CREATE INDEX verigator_code_failures_by_user ON verigator_code_failures (user_id, failed_at);
CREATE INDEX verigator_code_failures_by_time ON verigator_code_failures (failed_at);

CREATE TABLE sms_outbox (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient  TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sms_outbox_by_age ON sms_outbox (created_at);

CREATE TABLE sites (
    id                      TEXT PRIMARY KEY,
    name                    TEXT NOT NULL,
    embed_origins           TEXT NOT NULL,
    callback_urls           TEXT NOT NULL,
    webhook_url             TEXT,
    allow_private_callbacks BOOLEAN NOT NULL DEFAULT FALSE,
    verigator_username      TEXT NOT NULL,
    verigator_password      TEXT NOT NULL,
    verigator_service_id    TEXT,
    allow_totp              BOOLEAN NOT NULL DEFAULT FALSE,
    created_at              BIGINT NOT NULL,
    legacy_user             TEXT,
    legacy_password         TEXT,
    locale                  TEXT NOT NULL DEFAULT 'auto',
    color_scheme            TEXT NOT NULL DEFAULT 'auto',
    accent_color            TEXT,
    max_tries               BIGINT,
    code_lifetime_seconds   BIGINT,
    resend_after_seconds    BIGINT,
    abuse_rules             TEXT NOT NULL DEFAULT '{}',
    webhook_blocked         BOOLEAN NOT NULL DEFAULT FALSE,
    service_claim_until     BIGINT,
    test                    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX sites_legacy_user ON sites (legacy_user);

CREATE TABLE site_secrets (
    site_id    TEXT NOT NULL REFERENCES sites (id),
    secret     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    PRIMARY KEY (site_id, secret)
);

CREATE TABLE site_users (
    site_id           TEXT NOT NULL REFERENCES sites (id),
    host_user         TEXT NOT NULL,
    verigator_user_id TEXT,
    phone             TEXT,
    challenge_session TEXT,
    challenge_sent_at BIGINT,
    sending_session   TEXT,
    sending_until     BIGINT,
    PRIMARY KEY (site_id, host_user),
    CHECK ((verigator_user_id IS NULL) = (phone IS NULL))
);

CREATE TABLE sessions (
    id                TEXT PRIMARY KEY,
    site_id           TEXT NOT NULL REFERENCES sites (id),
    host_user         TEXT NOT NULL,
    prefill_phone     TEXT,
    phone_locked      BOOLEAN NOT NULL,
    callback_url      TEXT NOT NULL,
    state             TEXT,
    status            TEXT NOT NULL,
    phone             TEXT,
    method            TEXT,
    created_at        BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL,
    code_sent_at      BIGINT,
    wrong_codes       BIGINT NOT NULL DEFAULT 0,
    finished_at       BIGINT,
    legacy            BOOLEAN NOT NULL DEFAULT FALSE,
    verigator_user_id TEXT,
    request_key       TEXT,
    step_error        TEXT,
    lang              TEXT
);
CREATE UNIQUE INDEX sessions_by_request ON sessions (site_id, request_key);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    site_id         TEXT NOT NULL REFERENCES sites (id),
    url             TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT,
    lease           TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries (created_at);

CREATE TABLE abuse_decisions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    decided_at    BIGINT NOT NULL,
    channel       TEXT NOT NULL,
    site_id       TEXT,
    session_id    TEXT,
    client_net    TEXT,
    phone_number  TEXT NOT NULL,
    number_prefix TEXT NOT NULL,
    country       TEXT,
    verdict       TEXT NOT NULL,
    rule          TEXT,
    figures       TEXT,
    counted       BIGINT NOT NULL,
    verified      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX abuse_counted_by_number ON abuse_decisions (phone_number, decided_at) WHERE counted = 1;
CREATE INDEX abuse_counted_by_prefix ON abuse_decisions (number_prefix, decided_at) WHERE counted = 1;
CREATE INDEX abuse_counted_by_client ON abuse_decisions (client_net, decided_at, phone_number, country)
    WHERE counted = 1;
CREATE INDEX abuse_counted_by_site ON abuse_decisions (site_id, decided_at) WHERE counted = 1;
CREATE INDEX abuse_unverified_by_site_country ON abuse_decisions (site_id, country, decided_at)
    WHERE counted = 1 AND verified = 0;
CREATE INDEX abuse_verified_by_site_country ON abuse_decisions (site_id, country, decided_at)
    WHERE verified = 1;
CREATE INDEX abuse_decisions_by_session ON abuse_decisions (session_id);
CREATE INDEX abuse_decisions_by_site ON abuse_decisions (site_id, decided_at);
CREATE INDEX abuse_decisions_by_time ON abuse_decisions (decided_at);
