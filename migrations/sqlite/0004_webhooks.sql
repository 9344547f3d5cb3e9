-- Results posted to hosts' webhook URLs: written in the same transaction as the session's
-- final status, delivered by a background worker with retries. The id is the webhook-id and
-- stays the same on every attempt, so hosts can drop repeats.

CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    site_id         TEXT NOT NULL REFERENCES sites (id),
    url             TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    -- pending, delivered, failed (gave up), disabled (the host answered 410)
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
