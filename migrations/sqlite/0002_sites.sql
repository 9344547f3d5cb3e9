-- Host integrations ("sites"): who may embed the widget, where results may go, how they are
-- signed, and which Verigator account and service verify their visitors.

CREATE TABLE sites (
    id                      TEXT PRIMARY KEY,
    name                    TEXT NOT NULL,
    -- JSON arrays of strings.
    embed_origins           TEXT NOT NULL,
    callback_urls           TEXT NOT NULL,
    webhook_url             TEXT,
    allow_private_callbacks BOOLEAN NOT NULL DEFAULT FALSE,
    verigator_username      TEXT NOT NULL,
    verigator_password      TEXT NOT NULL,
    -- Created in the Verigator account on first use.
    verigator_service_id    TEXT,
    allow_totp              BOOLEAN NOT NULL DEFAULT FALSE,
    created_at              BIGINT NOT NULL
);

-- Signing secrets, several active at once for rotation. Kept in clear: signing needs them,
-- as every webhook sender's do.
CREATE TABLE site_secrets (
    site_id    TEXT NOT NULL REFERENCES sites (id),
    secret     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    PRIMARY KEY (site_id, secret)
);
