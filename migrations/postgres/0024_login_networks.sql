-- The client networks that have logged in to each /v1 username: a known network is not held
-- up by strangers' failed logins (issue 29). In the database, so every replica knows it,
-- and it survives restarts and password changes.
CREATE TABLE verigator_login_networks (
    username      TEXT NOT NULL,
    client_net    TEXT NOT NULL,
    last_login_at BIGINT NOT NULL,
    PRIMARY KEY (username, client_net)
);
CREATE INDEX verigator_login_networks_by_time ON verigator_login_networks (last_login_at);
