-- The durable email outbox: written in the same transaction as what causes the mail,
-- sent by workers that take rows with FOR UPDATE SKIP LOCKED. Links are never stored:
-- the worker derives them from invitation_id with the server key at send time.
CREATE TABLE email_outbox (
    id UUID PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'champion')),
    dedupe_key TEXT NOT NULL UNIQUE,
    wave_id BIGINT REFERENCES waves (id) ON DELETE CASCADE,
    invitation_id UUID REFERENCES invitations (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    payload JSONB NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at TIMESTAMPTZ
);
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX email_outbox_wave_idx ON email_outbox (wave_id, status);
