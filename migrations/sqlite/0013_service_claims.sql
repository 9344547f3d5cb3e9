-- Who is creating a site's Verigator service right now: one caller at a time, so that the
-- site's first visitors, arriving at once, create one service between them.
ALTER TABLE sites ADD COLUMN service_claim_until INTEGER;
