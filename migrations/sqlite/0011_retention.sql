-- The retention job deletes by age: these let it find old rows without reading every row.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries (created_at);
CREATE INDEX abuse_decisions_by_time ON abuse_decisions (decided_at);
CREATE INDEX sms_outbox_by_age ON sms_outbox (created_at);
CREATE INDEX verigator_challenges_by_expiry ON verigator_challenges (expires_at);
CREATE INDEX verigator_code_failures_by_time ON verigator_code_failures (failed_at);
