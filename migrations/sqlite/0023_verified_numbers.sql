-- `new_destination` is 1 when the site had a record (a code verified on a day of the 14
-- before the send) and its destination verified on none of those days: today's verified codes
-- make a destination the site's own only from tomorrow.
-- 1 when the send's code verified and its number had verified no other code in the 24 hours
-- before: what earns room is a number that verified, not each code (an attacker's few SIMs
-- entering code after code earn what one visitor does).
ALTER TABLE abuse_decisions ADD COLUMN earns BIGINT NOT NULL DEFAULT 0;
UPDATE abuse_decisions SET earns = verified;
CREATE INDEX abuse_verified_by_number ON abuse_decisions (phone_number, verified_at)
    WHERE verified = 1;
DROP INDEX abuse_counted_by_prefix;
DROP INDEX abuse_counted_by_client;
DROP INDEX abuse_counted_by_site;
DROP INDEX abuse_counted_to_new_destinations;
DROP INDEX abuse_counted_by_site_country;
CREATE INDEX abuse_counted_by_prefix ON abuse_decisions
    (number_prefix, decided_at, verified, channel, earns) WHERE counted = 1;
CREATE INDEX abuse_counted_by_client ON abuse_decisions
    (client_net, decided_at, verified, country, earns) WHERE counted = 1;
CREATE INDEX abuse_counted_by_site ON abuse_decisions (site_id, decided_at, verified, earns)
    WHERE counted = 1;
CREATE INDEX abuse_counted_to_new_destinations ON abuse_decisions
    (site_id, decided_at, verified, earns) WHERE counted = 1 AND new_destination = 1;
CREATE INDEX abuse_counted_by_site_country ON abuse_decisions
    (site_id, country, decided_at, verified, earns) WHERE counted = 1;
