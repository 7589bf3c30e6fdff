ALTER TABLE waves DROP COLUMN last_reminder_day;
UPDATE email_outbox SET status = 'failed' WHERE status = 'cancelled';
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_status_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_status_check
    CHECK (status IN ('queued', 'sent', 'failed'));
