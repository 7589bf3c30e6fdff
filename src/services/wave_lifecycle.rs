//! Launching and closing waves. Each is one transaction; a launch invites, snapshots
//! teams and queues every invitation email together, or does nothing.

use chrono::Utc;
use diesel::sql_types::{Array, BigInt, Bool, Bytea, Date, Uuid as SqlUuid};
use diesel::{QueryableByName, prelude::*};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rand::seq::SliceRandom;
use uuid::Uuid;

use crate::db::models::initiative::Initiative;
use crate::db::models::survey_template::{DEFAULT_TEMPLATE_ID, SurveyTemplate};
use crate::db::models::wave::Wave;
use crate::db::schema::waves;
use crate::domain::survey_token::{SurveyKeys, new_invitation_id};
use crate::error::{AppError, FieldError};

/// Invitations written per statement.
const CHUNK: usize = 10_000;

#[derive(QueryableByName)]
struct Invitee {
    #[diesel(sql_type = BigInt)]
    person_id: i64,
    #[diesel(sql_type = BigInt)]
    team_id: i64,
}

#[derive(QueryableByName)]
struct Seal {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

#[derive(QueryableByName)]
struct SealDay {
    #[diesel(sql_type = Bytea)]
    seal: Vec<u8>,
    #[diesel(sql_type = Date)]
    answered_on: chrono::NaiveDate,
}

/// Launches a draft wave: freezes its survey, invites every active person in scope
/// (chosen teams include their sub-teams), and queues one invitation email each.
/// Returns the number invited. A second launch is a 409.
pub async fn launch_wave(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    wave_id: i64,
) -> Result<i64, AppError> {
    conn.transaction(async |conn| {
        let wave = Wave::find_for_update(conn, wave_id).await?;
        if wave.status != "draft" {
            return Err(AppError::Conflict(format!("the wave is already {}", wave.status)));
        }
        if wave.closes_at <= Utc::now() {
            return Err(AppError::Validation(vec![FieldError::new("closes_at", "is in the past; set a later close date before launching")]));
        }
        let initiative = Initiative::find(conn, wave.initiative_id).await?;
        let source = initiative.template_id.unwrap_or(DEFAULT_TEMPLATE_ID);
        let frozen = SurveyTemplate::copy(conn, source, &format!("{} / {}", initiative.name, wave.name), true).await?;
        let invitees: Vec<Invitee> = diesel::sql_query(
            "WITH RECURSIVE scope AS ( \
               SELECT team_id AS id FROM wave_teams WHERE wave_id = $1 \
               UNION SELECT t.id FROM teams t JOIN scope s ON t.parent_id = s.id) \
             SELECT id AS person_id, team_id FROM people \
             WHERE active AND ($2 OR team_id IN (SELECT id FROM scope)) ORDER BY id",
        )
        .bind::<BigInt, _>(wave.id)
        .bind::<Bool, _>(wave.all_teams)
        .load(conn)
        .await?;
        if invitees.is_empty() {
            return Err(AppError::Validation(vec![FieldError::new("team_ids", "nobody active is in the chosen teams; import people first")]));
        }
        for chunk in invitees.chunks(CHUNK) {
            let ids: Vec<Uuid> = chunk.iter().map(|_| new_invitation_id()).collect();
            let hashes: Vec<Vec<u8>> = ids.iter().map(|id| keys.token_for(*id).hash()).collect();
            let people: Vec<i64> = chunk.iter().map(|i| i.person_id).collect();
            let teams: Vec<i64> = chunk.iter().map(|i| i.team_id).collect();
            diesel::sql_query(
                "INSERT INTO invitations (id, wave_id, person_id, team_id, token_hash, location) \
                 SELECT u.id, $1, u.person_id, u.team_id, u.token_hash, p.location \
                 FROM unnest($2::uuid[], $3::int8[], $4::int8[], $5::bytea[]) AS u(id, person_id, team_id, token_hash) \
                 JOIN people p ON p.id = u.person_id",
            )
            .bind::<BigInt, _>(wave.id)
            .bind::<Array<SqlUuid>, _>(&ids)
            .bind::<Array<BigInt>, _>(&people)
            .bind::<Array<BigInt>, _>(&teams)
            .bind::<Array<Bytea>, _>(&hashes)
            .execute(conn)
            .await?;
        }
        diesel::sql_query(
            "INSERT INTO wave_team_stats (wave_id, team_id, invited) \
             SELECT $1, t.id, count(i.id) FROM teams t \
             LEFT JOIN invitations i ON i.team_id = t.id AND i.wave_id = $1 GROUP BY t.id",
        )
        .bind::<BigInt, _>(wave.id)
        .execute(conn)
        .await?;
        diesel::sql_query(
            "INSERT INTO email_outbox (id, kind, dedupe_key, wave_id, invitation_id, recipient) \
             SELECT gen_random_uuid(), 'invitation', 'invitation:' || i.id, i.wave_id, i.id, p.email \
             FROM invitations i JOIN people p ON p.id = i.person_id WHERE i.wave_id = $1",
        )
        .bind::<BigInt, _>(wave.id)
        .execute(conn)
        .await?;
        diesel::update(waves::table.find(wave.id))
            .set((waves::status.eq("open"), waves::launched_at.eq(Utc::now()), waves::template_id.eq(frozen)))
            .execute(conn)
            .await?;
        tracing::info!(wave_id = wave.id, invited = invitees.len(), "wave launched");
        Ok(invitees.len() as i64)
    })
    .await
}

/// Closes an open wave: answers and reminders stop, and the per-invitation answered
/// marks are written once, in shuffled order, from the sealed list (then deleted).
/// Closing a closed wave changes nothing; a draft cannot be closed (409).
pub async fn close_wave(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    wave_id: i64,
) -> Result<(), AppError> {
    conn.transaction(async |conn| {
        let wave = Wave::find_for_update(conn, wave_id).await?;
        match wave.status.as_str() {
            "closed" => return Ok(()),
            "draft" => return Err(AppError::Conflict("a draft wave cannot be closed; launch it first".into())),
            _ => {}
        }
        let invitations: Vec<Seal> = diesel::sql_query("SELECT id FROM invitations WHERE wave_id = $1")
            .bind::<BigInt, _>(wave.id)
            .load(conn)
            .await?;
        let seals: std::collections::HashMap<Vec<u8>, chrono::NaiveDate> =
            diesel::sql_query("SELECT seal, answered_on FROM answered_seals WHERE wave_id = $1")
                .bind::<BigInt, _>(wave.id)
                .load::<SealDay>(conn)
                .await?
                .into_iter()
                .map(|s| (s.seal, s.answered_on))
                .collect();
        let mut answered: Vec<(Uuid, chrono::NaiveDate)> = invitations
            .iter()
            .filter_map(|i| {
                keys.answered_seals_of(i.id)
                    .iter()
                    .find_map(|seal| seals.get(seal))
                    .map(|day| (i.id, *day))
            })
            .collect();
        answered.shuffle(&mut rand::thread_rng());
        let (ids, days): (Vec<Uuid>, Vec<chrono::NaiveDate>) = answered.into_iter().unzip();
        diesel::sql_query(
            "UPDATE invitations i SET answered = TRUE, answered_on = u.day \
             FROM unnest($1::uuid[], $2::date[]) AS u(id, day) WHERE i.id = u.id",
        )
        .bind::<Array<SqlUuid>, _>(&ids)
        .bind::<Array<Date>, _>(&days)
        .execute(conn)
        .await?;
        diesel::sql_query("DELETE FROM answered_seals WHERE wave_id = $1")
            .bind::<BigInt, _>(wave.id)
            .execute(conn)
            .await?;
        diesel::sql_query("UPDATE email_outbox SET status = 'cancelled', last_error = 'wave closed before sending' WHERE wave_id = $1 AND status = 'queued' AND kind = 'reminder'")
            .bind::<BigInt, _>(wave.id)
            .execute(conn)
            .await?;
        diesel::update(waves::table.find(wave.id))
            .set((waves::status.eq("closed"), waves::closed_at.eq(Utc::now())))
            .execute(conn)
            .await?;
        tracing::info!(wave_id = wave.id, "wave closed");
        Ok(())
    })
    .await
}

/// Closes every open wave whose close time has passed; returns how many.
pub async fn close_overdue_waves(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
) -> Result<usize, AppError> {
    let ids = Wave::overdue_ids(conn).await?;
    for id in &ids {
        close_wave(conn, keys, *id).await?;
    }
    Ok(ids.len())
}
