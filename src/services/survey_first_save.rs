//! The first save of a link, in one statement straight from the token's hash: find the
//! invitation and its wave, check the wave is open (KEY SHARE, so a close waits for it
//! or it waits for the close) and sent with the expected template, insert the response,
//! add it to the team's running figures, seal the answered mark and record a champion
//! opt-in.
//!
//! One statement is atomic on its own, so no BEGIN/COMMIT round trips, and it needs no
//! lookup of the link before it: a first answer costs one round trip to PostgreSQL.
//! Edits (the link already has a response) take the transactional path in
//! `survey_response`, which subtracts the old contribution.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::OptionalExtension;
use diesel::QueryableByName;
use diesel::sql_types::{
    BigInt, Bool, Bytea, Date, Double, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::models::response::ResponseValues;
use crate::db::prepared::KeepPrepared;
use crate::domain::adkar::Element;

/// What the one-statement first save found.
#[derive(Debug, PartialEq, Eq)]
pub enum FirstSave {
    /// The response was stored and counted.
    Inserted(SavedTo),
    /// The link already has a response: this is an edit.
    AlreadyAnswered,
    /// The wave is not open (closed, or past its close time).
    WaveClosed,
    /// No invitation has this link.
    UnknownLink,
    /// The wave was sent with another template than the answers were checked against.
    OtherTemplate,
}

/// The wave a first answer was saved to, for the reply.
#[derive(Debug, PartialEq, Eq)]
pub struct SavedTo {
    /// When the wave closes (answers can be changed until then).
    pub closes_at: DateTime<Utc>,
    /// The initiative's name.
    pub initiative: String,
}

#[derive(QueryableByName)]
struct Outcome {
    #[diesel(sql_type = Bool)]
    open: bool,
    #[diesel(sql_type = Bool)]
    same_template: bool,
    #[diesel(sql_type = Bool)]
    inserted: bool,
    #[diesel(sql_type = Timestamptz)]
    closes_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    initiative: String,
}

// $1 id, $2 token hash, $3 template, $4 response key, $5 day, $6 answers, $7 comments,
// $8..$12 element scores, $13 barrier, $14 answered seal, $15 champion opt-in.
const FIRST_SAVE: &str = "\
WITH target AS (
  SELECT i.wave_id, i.team_id, i.person_id, i.location, w.template_id, w.closes_at, ini.name AS initiative
  FROM invitations i JOIN waves w ON w.id = i.wave_id JOIN initiatives ini ON ini.id = w.initiative_id
  WHERE i.token_hash = $2
), open_wave AS (
  SELECT w.id FROM waves w JOIN target t ON t.wave_id = w.id
  WHERE w.status = 'open' AND w.closes_at > now() FOR KEY SHARE OF w
), ins AS (
  INSERT INTO responses (id, wave_id, team_id, response_key, answered_on, answers, comments, score_awareness,
    score_desire, score_knowledge, score_ability, score_reinforcement, barrier, location)
  SELECT $1, t.wave_id, t.team_id, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, t.location
  FROM target t JOIN open_wave o ON o.id = t.wave_id WHERE t.template_id = $3
  ON CONFLICT (response_key) DO NOTHING RETURNING 1
), stats AS (
  UPDATE wave_team_stats s SET responded = responded + 1,
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
  FROM target t WHERE s.wave_id = t.wave_id AND s.team_id = t.team_id AND EXISTS (SELECT 1 FROM ins)
), seal AS (
  INSERT INTO answered_seals (wave_id, seal, answered_on) SELECT t.wave_id, $14, $5 FROM target t
  WHERE EXISTS (SELECT 1 FROM ins)
  ON CONFLICT DO NOTHING
), champion AS (
  INSERT INTO champion_optins (wave_id, person_id, consent_version, score_awareness, score_desire,
    score_knowledge, score_ability, score_reinforcement, opted_in_on)
  SELECT t.wave_id, t.person_id, st.consent_version, $8, $9, $10, $11, $12, $5
  FROM target t JOIN survey_templates st ON st.id = t.template_id
  WHERE $15 AND EXISTS (SELECT 1 FROM ins)
  ON CONFLICT (wave_id, person_id) DO UPDATE SET score_awareness = excluded.score_awareness,
    score_desire = excluded.score_desire, score_knowledge = excluded.score_knowledge,
    score_ability = excluded.score_ability, score_reinforcement = excluded.score_reinforcement
)
SELECT EXISTS (SELECT 1 FROM open_wave) AS open, t.template_id = $3 AS same_template,
  EXISTS (SELECT 1 FROM ins) AS inserted, t.closes_at, t.initiative FROM target t";

/// The link being answered and what its answers were checked against.
pub struct FirstSaveLink<'a> {
    /// SHA-256 of the token, as the invitation stores it.
    pub token_hash: &'a [u8],
    /// The template whose statements the answers were validated against.
    pub template_id: i64,
    /// The link's answered seal ([`crate::domain::survey_token::SurveyKeys::answered_seal`]).
    pub seal: &'a [u8],
}

/// Stores the first response of a link in one statement; see [`FirstSave`]. The
/// invitation's location is copied from its row (`values.location` is not used).
pub async fn save_first_response(
    conn: &mut AsyncPgConnection,
    link: &FirstSaveLink<'_>,
    response_key: &[u8],
    values: &ResponseValues<'_>,
    champion_opt_in: bool,
) -> diesel::QueryResult<FirstSave> {
    let scores = values.scores;
    let outcome: Option<Outcome> = diesel::sql_query(FIRST_SAVE)
        .bind::<SqlUuid, _>(uuid::Builder::from_random_bytes(rand::random()).into_uuid())
        .bind::<Bytea, _>(link.token_hash)
        .bind::<BigInt, _>(link.template_id)
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
        .bind::<Bytea, _>(link.seal)
        .bind::<Bool, _>(champion_opt_in)
        .prepared()
        .get_result(conn)
        .await
        .optional()?;
    let Some(outcome) = outcome else {
        return Ok(FirstSave::UnknownLink);
    };
    Ok(match outcome {
        Outcome { open: false, .. } => FirstSave::WaveClosed,
        Outcome {
            same_template: false,
            ..
        } => FirstSave::OtherTemplate,
        Outcome {
            inserted: false, ..
        } => FirstSave::AlreadyAnswered,
        Outcome {
            closes_at,
            initiative,
            ..
        } => FirstSave::Inserted(SavedTo {
            closes_at,
            initiative,
        }),
    })
}
