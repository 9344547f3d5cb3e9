-- The abuse guard counts what does not verify: its rules read, per client network, number
-- block, site and destination, the codes that count by whether they were verified, and a
-- verified code earns room. These indexes cover those counts (the sends that count only, so
-- refused sends do not slow the next decision).
ALTER TABLE abuse_decisions ADD COLUMN verified_at BIGINT;
-- 1 when the site had no verified code to the send's destination (today or on any day of the
-- 14 before): such sends, whatever their destination, share one count.
ALTER TABLE abuse_decisions ADD COLUMN new_destination BIGINT NOT NULL DEFAULT 0;
DROP INDEX abuse_counted_by_prefix;
DROP INDEX abuse_counted_by_client;
DROP INDEX abuse_counted_by_site;
DROP INDEX abuse_unverified_by_site_country;
CREATE INDEX abuse_counted_by_prefix ON abuse_decisions (number_prefix, decided_at, verified, channel)
    WHERE counted = 1;
CREATE INDEX abuse_counted_by_client ON abuse_decisions (client_net, decided_at, verified, country)
    WHERE counted = 1;
CREATE INDEX abuse_counted_by_site ON abuse_decisions (site_id, decided_at, verified) WHERE counted = 1;
CREATE INDEX abuse_counted_to_new_destinations ON abuse_decisions (site_id, decided_at, verified)
    WHERE counted = 1 AND new_destination = 1;
CREATE INDEX abuse_counted_by_site_country ON abuse_decisions (site_id, country, decided_at, verified)
    WHERE counted = 1;

-- Settings that counted every send (a carrier's NAT looked like one abuser) are gone; a site's
-- own values of them are dropped, and the new rules' defaults apply.
UPDATE sites SET abuse_rules = json_remove(abuse_rules, '$.ip."per-hour"',
    '$.ip."numbers-per-day"', '$.prefix."per-hour"')
 WHERE json_valid(abuse_rules);
