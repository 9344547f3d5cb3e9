-- The abuse guard's record: one row per SMS send it decided, whatever it decided. The counters
-- of every rule are read from the rows that went ahead (`counted`), so they outlive the
-- Verigator users and sessions that asked.
CREATE TABLE abuse_decisions (
    id            INTEGER PRIMARY KEY,
    decided_at    BIGINT NOT NULL,
    -- widget, legacy (the Messente widget protocol) or api (the Verigator API at /v1)
    channel       TEXT NOT NULL,
    site_id       TEXT,
    session_id    TEXT,
    -- the client's network: an IPv4 address, or an IPv6 /64
    client_net    TEXT,
    phone_number  TEXT NOT NULL,
    number_prefix TEXT NOT NULL,
    country       TEXT,
    -- allow, block or shadow (a rule in shadow mode would have blocked it)
    verdict       TEXT NOT NULL,
    rule          TEXT,
    figures       TEXT,
    -- 1 while the send counts: it went ahead and was not taken back
    counted       INTEGER NOT NULL,
    -- 1 once the code it sent was verified
    verified      INTEGER NOT NULL DEFAULT 0
);
-- The rules read only the sends that count, so these indexes hold those only (refused sends,
-- however many an attacker makes, do not slow the next decision), and cover what is read.
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
-- The owner's report.
CREATE INDEX abuse_decisions_by_site ON abuse_decisions (site_id, decided_at);

-- The Verigator API's SMS record becomes the guard's.
INSERT INTO abuse_decisions (decided_at, channel, phone_number, number_prefix, verdict, counted)
SELECT sent_at, 'api', phone_number, substr(phone_number, 1, length(phone_number) - 3), 'allow', 1
  FROM verigator_sms_sends WHERE phone_number IS NOT NULL;
DROP TABLE verigator_sms_sends;

-- A site's own settings of the rules, over the server's (a JSON object, as `[abuse]`).
ALTER TABLE sites ADD COLUMN abuse_rules TEXT NOT NULL DEFAULT '{}';
UPDATE sites SET abuse_rules = json_object('site', json_object('per-day', codes_per_day))
 WHERE codes_per_day IS NOT NULL;
-- Whether the site wants a `verification.blocked` webhook when the guard refuses a send.
ALTER TABLE sites ADD COLUMN webhook_blocked INTEGER NOT NULL DEFAULT 0;

-- The session counters move to the guard's record.
DROP INDEX sessions_by_site;
ALTER TABLE sessions DROP COLUMN codes_requested;
ALTER TABLE sessions DROP COLUMN number_changes;
ALTER TABLE sites DROP COLUMN codes_per_day;
