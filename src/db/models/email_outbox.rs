//! Queries on the email outbox used by pages (retry, resend).

use diesel::sql_types::{Array, BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::time::Duration;

use diesel::sql_types::{Nullable, Text};
use uuid::Uuid;

use crate::db::DbPool;
use crate::jobs::outbox::Outcome;

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

/// Stores what happened to one claimed row: sent, retry later, failed or cancelled.
pub async fn record_outcome(
    pool: &DbPool,
    id: Uuid,
    outcome: &Outcome,
    retry_in: Duration,
) -> anyhow::Result<()> {
    let mut conn = pool.get().await?;
    let (status, error, delay_secs) = match outcome {
        Outcome::Sent => ("sent", None, 0),
        Outcome::Retry(e) => (
            "queued",
            Some(e.as_str()),
            i64::try_from(retry_in.as_secs()).unwrap_or(i64::MAX),
        ),
        Outcome::Failed(e) => ("failed", Some(e.as_str()), 0),
        Outcome::Cancelled(e) => ("cancelled", Some(e.as_str()), 0),
    };
    match outcome {
        Outcome::Sent => tracing::debug!(outbox_id = %id, "email sent"),
        Outcome::Retry(e) => tracing::warn!(outbox_id = %id, reason = %e, "email will be retried"),
        Outcome::Failed(e) => tracing::warn!(outbox_id = %id, reason = %e, "email failed"),
        Outcome::Cancelled(_) => tracing::debug!(outbox_id = %id, "email cancelled"),
    }
    diesel::sql_query(
        "UPDATE email_outbox SET status = $2, last_error = $3, \
           sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END, \
           next_attempt_at = now() + make_interval(secs => $4) WHERE id = $1",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(status)
    .bind::<Nullable<Text>, _>(error)
    .bind::<BigInt, _>(delay_secs)
    .execute(&mut conn)
    .await?;
    Ok(())
}
