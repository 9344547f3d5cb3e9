-- A delivery in flight is leased: the claiming process's token, with next_attempt_at moved to
-- the lease's end, so that no other process attempts it meanwhile, and any may once it lapses
-- (the claimer died).
ALTER TABLE webhook_deliveries ADD COLUMN lease TEXT;
