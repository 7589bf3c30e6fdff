//! The outbox lease: claiming due rows (`FOR UPDATE SKIP LOCKED`, reserved for the
//! lease by pushing `next_attempt_at` forward), recording each outcome even across a
//! database blip, and putting unsent rows back on a graceful stop.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::DbPool;
use crate::db::models::email_outbox::record_outcome;
use crate::jobs::outbox::Outcome;

/// Pause between attempts to record an outcome while the database is unreachable.
const RECORD_RETRY: Duration = Duration::from_secs(1);

/// A claimed row with the invitation, person and wave details its email needs.
#[derive(QueryableByName, Debug)]
pub(super) struct Claimed {
    #[diesel(sql_type = SqlUuid)]
    pub(super) id: Uuid,
    #[diesel(sql_type = Text)]
    pub(super) kind: String,
    #[diesel(sql_type = Text)]
    pub(super) recipient: String,
    #[diesel(sql_type = Integer)]
    pub(super) attempts: i32,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub(super) invitation_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) person_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) initiative: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) sponsor_message: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub(super) closes_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) wave_status: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(super) wave_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub(super) payload: serde_json::Value,
}

/// Claims up to `limit` due rows for `lease`, with what their emails need.
pub(super) async fn claim(
    conn: &mut AsyncPgConnection,
    limit: i64,
    lease: Duration,
) -> diesel::QueryResult<Vec<Claimed>> {
    diesel::sql_query(format!(
        "WITH claimed AS ( \
           UPDATE email_outbox o SET next_attempt_at = now() + interval '{} seconds', attempts = o.attempts + 1 \
           WHERE o.id IN (SELECT id FROM email_outbox WHERE status = 'queued' AND next_attempt_at <= now() \
                          ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED) \
           RETURNING o.id, o.kind, o.recipient, o.attempts, o.invitation_id, o.wave_id, o.payload) \
         SELECT c.id, c.kind, c.recipient, c.attempts, c.invitation_id, c.wave_id, c.payload, p.name AS person_name, \
                ini.name AS initiative, w.sponsor_message, w.closes_at, w.status AS wave_status \
         FROM claimed c LEFT JOIN invitations i ON i.id = c.invitation_id \
         LEFT JOIN people p ON p.id = i.person_id LEFT JOIN waves w ON w.id = c.wave_id \
         LEFT JOIN initiatives ini ON ini.id = w.initiative_id",
        lease.as_secs()
    ))
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// Puts claimed rows back in the queue, due now: `unstarted` were never tried (their
/// claim's attempt is taken back); `cut_off` were being sent when shutdown cut them off.
pub(super) async fn release(
    conn: &mut AsyncPgConnection,
    unstarted: &[Uuid],
    cut_off: &[Uuid],
) -> diesel::QueryResult<usize> {
    diesel::sql_query(
        "UPDATE email_outbox SET next_attempt_at = now(), \
           attempts = CASE WHEN id = ANY($1) THEN greatest(attempts - 1, 0) ELSE attempts END \
         WHERE (id = ANY($1) OR id = ANY($2)) AND status = 'queued'",
    )
    .bind::<Array<SqlUuid>, _>(unstarted)
    .bind::<Array<SqlUuid>, _>(cut_off)
    .execute(conn)
    .await
}

/// Records `outcome`, retrying while the database is unreachable, for up to `patience`
/// (less than the lease). The email is already sent (or given up): a short outage must
/// neither leave its row claimed until the lease ends nor get it sent a second time.
pub(super) async fn record_when_reachable(
    pool: &DbPool,
    id: Uuid,
    outcome: &Outcome,
    retry_in: Duration,
    patience: Duration,
) -> anyhow::Result<()> {
    let give_up = Instant::now() + patience;
    loop {
        match record_outcome(pool, id, outcome, retry_in).await {
            Ok(()) => return Ok(()),
            Err(e) if is_unreachable(&e) && Instant::now() + RECORD_RETRY < give_up => {
                tracing::warn!(outbox_id = %id, error = %e, "email worker: cannot record an outcome yet; retrying");
                tokio::time::sleep(RECORD_RETRY).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The database cannot be reached (no connection, or it was lost mid-statement).
fn is_unreachable(e: &anyhow::Error) -> bool {
    e.downcast_ref::<diesel_async::pooled_connection::deadpool::PoolError>()
        .is_some()
        || e.downcast_ref::<diesel::result::Error>()
            .is_some_and(crate::error::is_connection_lost)
}
