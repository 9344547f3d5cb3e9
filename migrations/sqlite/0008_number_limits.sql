-- SMS limits hold per phone number, so that deleting or replacing a Verigator user cannot
-- reset them: sends keep their number and outlive their user.
ALTER TABLE verigator_sms_sends ADD COLUMN phone_number TEXT;
UPDATE verigator_sms_sends
   SET phone_number = (SELECT phone_number FROM verigator_users WHERE verigator_users.id = verigator_sms_sends.user_id);
CREATE INDEX verigator_sms_sends_by_number ON verigator_sms_sends (phone_number, sent_at);

-- Wrong codes per user across all its challenges (a new challenge does not reset them):
-- each failure, for the hourly limit, and the run of failures since the last right code.
CREATE TABLE verigator_code_failures (
    user_id   TEXT NOT NULL REFERENCES verigator_users (id) ON DELETE CASCADE,
    failed_at BIGINT NOT NULL
);
CREATE INDEX verigator_code_failures_by_user ON verigator_code_failures (user_id, failed_at);
ALTER TABLE verigator_users ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;

-- Codes each session asked for, and how often it moved to another number.
ALTER TABLE sessions ADD COLUMN codes_requested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN number_changes INTEGER NOT NULL DEFAULT 0;
