//! Reminders: on each of a wave's `reminder_days` after launch, queue one reminder for
//! every invitation not yet answered, until the wave closes. Who has answered is read
//! from the sealed list (docs/privacy.md), never from the responses.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{Array, BigInt, Bool, Bytea, Integer, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::DbPool;
use crate::domain::survey_token::SurveyKeys;

/// How often due reminders are looked for.
pub const INTERVAL: Duration = Duration::from_secs(60);

#[derive(QueryableByName)]
struct OpenWave {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Timestamptz)]
    launched_at: DateTime<Utc>,
    #[diesel(sql_type = Array<Integer>)]
    reminder_days: Vec<i32>,
    #[diesel(sql_type = Integer)]
    last_reminder_day: i32,
}

#[derive(QueryableByName)]
struct Invitee {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    email: String,
}

#[derive(QueryableByName)]
struct SealRow {
    #[diesel(sql_type = Bytea)]
    seal: Vec<u8>,
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    answered: bool,
}

/// True when the invitation's link has been used to answer (open waves only).
pub async fn is_answered(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    wave_id: i64,
    invitation: Uuid,
) -> diesel::QueryResult<bool> {
    let row: Exists = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM answered_seals WHERE wave_id = $1 AND seal = ANY($2)) AS answered",
    )
    .bind::<BigInt, _>(wave_id)
    .bind::<diesel::sql_types::Array<Bytea>, _>(keys.answered_seals_of(invitation).to_vec())
    .get_result(conn)
    .await?;
    Ok(row.answered)
}

/// The latest scheduled day that has come, if it is later than the last one queued.
pub fn due_day(
    launched_at: DateTime<Utc>,
    days: &[i32],
    last_queued: i32,
    now: DateTime<Utc>,
) -> Option<i32> {
    days.iter()
        .copied()
        .filter(|d| *d > last_queued && launched_at + chrono::Duration::days(i64::from(*d)) <= now)
        .max()
}

/// Queues due reminders of every open wave; returns how many were queued.
pub async fn enqueue_due_reminders(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
) -> diesel::QueryResult<usize> {
    let waves: Vec<OpenWave> = diesel::sql_query(
        "SELECT id, launched_at, array_remove(reminder_days, NULL) AS reminder_days, last_reminder_day FROM waves \
         WHERE status = 'open' AND closes_at > now() AND launched_at IS NOT NULL AND cardinality(reminder_days) > 0",
    )
    .load(conn)
    .await?;
    let mut queued = 0;
    for wave in waves {
        if due_day(
            wave.launched_at,
            &wave.reminder_days,
            wave.last_reminder_day,
            Utc::now(),
        )
        .is_none()
        {
            continue;
        }
        queued += conn
            .transaction(async |conn| enqueue_for_wave(conn, keys, wave.id).await)
            .await?;
    }
    Ok(queued)
}

async fn enqueue_for_wave(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    wave_id: i64,
) -> diesel::QueryResult<usize> {
    // Re-read under the wave's lock: another worker may have queued this day already.
    let wave: OpenWave = diesel::sql_query(
        "SELECT id, launched_at, array_remove(reminder_days, NULL) AS reminder_days, last_reminder_day FROM waves \
         WHERE id = $1 AND status = 'open' AND closes_at > now() FOR UPDATE",
    )
    .bind::<BigInt, _>(wave_id)
    .get_result(conn)
    .await?;
    let Some(day) = due_day(
        wave.launched_at,
        &wave.reminder_days,
        wave.last_reminder_day,
        Utc::now(),
    ) else {
        return Ok(0);
    };
    let answered: HashSet<Vec<u8>> =
        diesel::sql_query("SELECT seal FROM answered_seals WHERE wave_id = $1")
            .bind::<BigInt, _>(wave_id)
            .load::<SealRow>(conn)
            .await?
            .into_iter()
            .map(|s| s.seal)
            .collect();
    let invitees: Vec<Invitee> = diesel::sql_query("SELECT i.id, p.email FROM invitations i JOIN people p ON p.id = i.person_id WHERE i.wave_id = $1")
        .bind::<BigInt, _>(wave_id)
        .load(conn)
        .await?;
    let pending: Vec<&Invitee> = invitees
        .iter()
        .filter(|i| {
            !keys
                .answered_seals_of(i.id)
                .iter()
                .any(|seal| answered.contains(seal))
        })
        .collect();
    let ids: Vec<Uuid> = pending.iter().map(|i| i.id).collect();
    let emails: Vec<&str> = pending.iter().map(|i| i.email.as_str()).collect();
    let queued = diesel::sql_query(
        "INSERT INTO email_outbox (id, kind, dedupe_key, wave_id, invitation_id, recipient, payload) \
         SELECT gen_random_uuid(), 'reminder', 'reminder:' || u.id || ':' || $2, $1, u.id, u.email, jsonb_build_object('day', $2) \
         FROM unnest($3::uuid[], $4::text[]) AS u(id, email) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind::<BigInt, _>(wave_id)
    .bind::<Integer, _>(day)
    .bind::<Array<SqlUuid>, _>(&ids)
    .bind::<Array<Text>, _>(&emails)
    .execute(conn)
    .await?;
    diesel::sql_query("UPDATE waves SET last_reminder_day = $2 WHERE id = $1")
        .bind::<BigInt, _>(wave_id)
        .bind::<Integer, _>(day)
        .execute(conn)
        .await?;
    tracing::info!(wave_id, day, queued, "reminders queued");
    Ok(queued)
}

/// Runs forever, queuing due reminders every [`INTERVAL`].
pub async fn run_until_stopped(pool: DbPool, keys: SurveyKeys) {
    loop {
        match pool.get().await {
            Ok(mut conn) => {
                if let Err(e) = enqueue_due_reminders(&mut conn, &keys).await {
                    tracing::warn!(error = %e, "queuing reminders failed");
                }
            }
            Err(e) => tracing::warn!(error = %e, "reminders: database unavailable"),
        }
        tokio::time::sleep(INTERVAL).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_latest_passed_day_not_yet_queued_is_due() {
        let launched = Utc::now() - chrono::Duration::days(8);
        assert_eq!(
            due_day(launched, &[3, 7], 0, Utc::now()),
            Some(7),
            "a worker down on day 3 sends one reminder"
        );
        assert_eq!(due_day(launched, &[3, 7], 7, Utc::now()), None);
        assert_eq!(due_day(Utc::now(), &[3, 7], 0, Utc::now()), None);
        let day4 = Utc::now() - chrono::Duration::days(4);
        assert_eq!(due_day(day4, &[3, 7], 0, Utc::now()), Some(3));
        assert_eq!(due_day(day4, &[3, 7], 3, Utc::now()), None);
    }
}
