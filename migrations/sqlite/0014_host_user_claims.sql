-- A session claims its host user's row before the host user has a Verigator user, so that two
-- sessions of one host user sending at once never both create one: the row can exist without
-- a user (and so without a number) while its first user is being created.
CREATE TABLE site_users_next (
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
INSERT INTO site_users_next
    SELECT site_id, host_user, verigator_user_id, phone, challenge_session, challenge_sent_at,
           sending_session, sending_until
    FROM site_users;
DROP TABLE site_users;
ALTER TABLE site_users_next RENAME TO site_users;
