-- A queued reminder whose recipient answered (or whose wave closed) before it was
-- sent is cancelled, not failed: it is no delivery problem.
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_status_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_status_check
    CHECK (status IN ('queued', 'sent', 'failed', 'cancelled'));

-- The last scheduled reminder day already queued, so each day is queued once even
-- with several workers (they serialise on the wave row).
ALTER TABLE waves ADD COLUMN last_reminder_day INT NOT NULL DEFAULT 0;
