//! Queries on the email outbox used by pages (retry, resend).

use diesel::sql_types::{Array, BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// Puts a wave's failed emails back in the queue (the wave page's "retry failed").
pub async fn retry_failed(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
) -> diesel::QueryResult<usize> {
    diesel::sql_query(
        "UPDATE email_outbox SET status = 'queued', attempts = 0, next_attempt_at = now(), last_error = NULL \
         WHERE wave_id = $1 AND status = 'failed'",
    )
    .bind::<BigInt, _>(wave_id)
    .execute(conn)
    .await
}

/// Queues the invitation email of `invitation_ids` again ("resend my link").
pub async fn resend_links(
    conn: &mut AsyncPgConnection,
    invitation_ids: &[Uuid],
) -> diesel::QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO email_outbox (id, kind, dedupe_key, wave_id, invitation_id, recipient) \
         SELECT gen_random_uuid(), 'invitation', 'resend:' || i.id || ':' || gen_random_uuid(), i.wave_id, i.id, p.email \
         FROM invitations i JOIN people p ON p.id = i.person_id WHERE i.id = ANY($1)",
    )
    .bind::<Array<SqlUuid>, _>(invitation_ids)
    .execute(conn)
    .await
}
