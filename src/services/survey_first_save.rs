//! The first save of a link, in one statement: check the wave is open (KEY SHARE, so a
//! close waits for it or it waits for the close), insert the response, add it to the
//! team's running figures, seal the answered mark and record a champion opt-in.
//!
//! One statement is atomic on its own, so no BEGIN/COMMIT round trips: a save costs the
//! link lookup and this. Edits (the link already has a response) take the transactional
//! path in `survey_response`, which subtracts the old contribution.

use chrono::NaiveDate;
use diesel::QueryableByName;
use diesel::sql_types::{
    BigInt, Bool, Bytea, Date, Double, Jsonb, Nullable, Text, Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::models::response::ResponseValues;
use crate::db::prepared::KeepPrepared;
use crate::domain::adkar::Element;

/// What the one-statement first save found.
#[derive(Debug, PartialEq, Eq)]
pub enum FirstSave {
    /// The response was stored and counted.
    Inserted,
    /// The link already has a response: this is an edit.
    AlreadyAnswered,
    /// The wave is not open (closed, or past its close time).
    WaveClosed,
}

#[derive(QueryableByName)]
struct Outcome {
    #[diesel(sql_type = Bool)]
    open: bool,
    #[diesel(sql_type = Bool)]
    inserted: bool,
}

// $1 id, $2 wave, $3 team, $4 response key, $5 day, $6 answers, $7 comments,
// $8..$12 element scores, $13 barrier, $14 location, $15 seal, $16 person, $17 opt-in.
const FIRST_SAVE: &str = "\
WITH open_wave AS (
  SELECT id FROM waves WHERE id = $2 AND status = 'open' AND closes_at > now() FOR KEY SHARE
), ins AS (
  INSERT INTO responses (id, wave_id, team_id, response_key, answered_on, answers, comments, score_awareness,
    score_desire, score_knowledge, score_ability, score_reinforcement, barrier, location)
  SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 FROM open_wave
  ON CONFLICT (response_key) DO NOTHING RETURNING 1
), stats AS (
  UPDATE wave_team_stats SET responded = responded + 1,
    n_awareness = n_awareness + ($8 IS NOT NULL)::int, n_desire = n_desire + ($9 IS NOT NULL)::int,
    n_knowledge = n_knowledge + ($10 IS NOT NULL)::int, n_ability = n_ability + ($11 IS NOT NULL)::int,
    n_reinforcement = n_reinforcement + ($12 IS NOT NULL)::int,
    sum_awareness = sum_awareness + coalesce($8, 0), sum_desire = sum_desire + coalesce($9, 0),
    sum_knowledge = sum_knowledge + coalesce($10, 0), sum_ability = sum_ability + coalesce($11, 0),
    sum_reinforcement = sum_reinforcement + coalesce($12, 0),
    barrier_awareness = barrier_awareness + ($13 = 'awareness')::int,
    barrier_desire = barrier_desire + ($13 = 'desire')::int,
    barrier_knowledge = barrier_knowledge + ($13 = 'knowledge')::int,
    barrier_ability = barrier_ability + ($13 = 'ability')::int,
    barrier_reinforcement = barrier_reinforcement + ($13 = 'reinforcement')::int,
    barrier_ready = barrier_ready + ($13 = 'ready')::int
  WHERE wave_id = $2 AND team_id = $3 AND EXISTS (SELECT 1 FROM ins)
), seal AS (
  INSERT INTO answered_seals (wave_id, seal, answered_on) SELECT $2, $15, $5 WHERE EXISTS (SELECT 1 FROM ins)
  ON CONFLICT DO NOTHING
), champion AS (
  INSERT INTO champion_optins (wave_id, person_id, consent_version, score_awareness, score_desire,
    score_knowledge, score_ability, score_reinforcement, opted_in_on)
  SELECT $2, $16, st.consent_version, $8, $9, $10, $11, $12, $5
  FROM waves w JOIN survey_templates st ON st.id = w.template_id
  WHERE w.id = $2 AND $17 AND EXISTS (SELECT 1 FROM ins)
  ON CONFLICT (wave_id, person_id) DO UPDATE SET score_awareness = excluded.score_awareness,
    score_desire = excluded.score_desire, score_knowledge = excluded.score_knowledge,
    score_ability = excluded.score_ability, score_reinforcement = excluded.score_reinforcement
)
SELECT EXISTS (SELECT 1 FROM open_wave) AS open, EXISTS (SELECT 1 FROM ins) AS inserted";

/// Who answered where: the invitation's wave, team snapshot and person, and the
/// answered seal of the invitation (never its id).
pub struct FirstSaveTarget<'a> {
    /// The wave.
    pub wave_id: i64,
    /// The team snapshot at launch.
    pub team_id: i64,
    /// The person (only for a champion opt-in, which is not anonymous by consent).
    pub person_id: i64,
    /// HMAC of the invitation id, written to the sealed answered list.
    pub seal: &'a [u8],
}

/// Stores the first response of a link in one statement; see [`FirstSave`].
pub async fn save_first_response(
    conn: &mut AsyncPgConnection,
    target: &FirstSaveTarget<'_>,
    response_key: &[u8],
    values: &ResponseValues<'_>,
    champion_opt_in: bool,
) -> diesel::QueryResult<FirstSave> {
    let scores = values.scores;
    let outcome: Outcome = diesel::sql_query(FIRST_SAVE)
        .bind::<SqlUuid, _>(Uuid::new_v4())
        .bind::<BigInt, _>(target.wave_id)
        .bind::<BigInt, _>(target.team_id)
        .bind::<Bytea, _>(response_key)
        .bind::<Date, NaiveDate>(values.answered_on)
        .bind::<Jsonb, _>(values.answers)
        .bind::<Jsonb, _>(values.comments)
        .bind::<Nullable<Double>, _>(scores.elements[0])
        .bind::<Nullable<Double>, _>(scores.elements[1])
        .bind::<Nullable<Double>, _>(scores.elements[2])
        .bind::<Nullable<Double>, _>(scores.elements[3])
        .bind::<Nullable<Double>, _>(scores.elements[4])
        .bind::<Text, _>(scores.barrier.map_or("ready", Element::as_str))
        .bind::<Nullable<Text>, _>(values.location)
        .bind::<Bytea, _>(target.seal)
        .bind::<BigInt, _>(target.person_id)
        .bind::<Bool, _>(champion_opt_in)
        .prepared()
        .get_result(conn)
        .await?;
    Ok(match (outcome.open, outcome.inserted) {
        (false, _) => FirstSave::WaveClosed,
        (true, true) => FirstSave::Inserted,
        (true, false) => FirstSave::AlreadyAnswered,
    })
}
