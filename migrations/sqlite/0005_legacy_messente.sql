-- The legacy Messente Verification Widget protocol, for sites that used it: requests signed
-- with MD5 under the Messente API username and password, answered the way it did.

ALTER TABLE sites ADD COLUMN legacy_user TEXT;
ALTER TABLE sites ADD COLUMN legacy_password TEXT;
CREATE UNIQUE INDEX sites_legacy_user ON sites (legacy_user);

ALTER TABLE sessions ADD COLUMN legacy BOOLEAN NOT NULL DEFAULT FALSE;
