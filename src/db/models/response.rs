//! Anonymous responses: a random id, the wave, the team snapshot, the day, the answers
//! and their scores, stored under HMAC(server key, token). Nothing joins them to an
//! invitation or a person.

use crate::db::prepared::KeepPrepared;
use chrono::NaiveDate;
use diesel::sql_types::{Bytea, Double, Jsonb, Nullable, Text};
use diesel::{OptionalExtension, QueryResult, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::adkar::Element;
use crate::domain::likert::Likert;
use crate::domain::survey_submission::Submission;
use crate::scoring::response::ResponseScores;

const SELECT_STORED: &str = "SELECT answers, comments, score_awareness, score_desire, score_knowledge, \
    score_ability, score_reinforcement, barrier FROM responses WHERE response_key = $1";

/// A saved response's answers and scores.
#[derive(QueryableByName)]
pub struct StoredResponse {
    #[diesel(sql_type = Jsonb)]
    /// Stored `answers`.
    pub answers: serde_json::Value,
    #[diesel(sql_type = Jsonb)]
    /// Stored `comments`.
    pub comments: serde_json::Value,
    #[diesel(sql_type = Nullable<Double>)]
    /// Stored `score_awareness`.
    pub score_awareness: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    /// Stored `score_desire`.
    pub score_desire: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    /// Stored `score_knowledge`.
    pub score_knowledge: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    /// Stored `score_ability`.
    pub score_ability: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    /// Stored `score_reinforcement`.
    pub score_reinforcement: Option<f64>,
    #[diesel(sql_type = Text)]
    /// Stored `barrier`.
    pub barrier: String,
}

impl StoredResponse {
    /// The stored element scores and barrier.
    pub fn scores(&self) -> ResponseScores {
        ResponseScores {
            elements: [
                self.score_awareness,
                self.score_desire,
                self.score_knowledge,
                self.score_ability,
                self.score_reinforcement,
            ],
            barrier: Element::parse(&self.barrier),
        }
    }

    /// The stored answers as a submission.
    pub fn submission(&self, opted_in: bool) -> Submission {
        let answers = self
            .answers
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(id, v)| Some((id.parse().ok()?, Likert::new(v.as_i64()?).ok()?)))
            .collect();
        let comments = self
            .comments
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(e, v)| Some((Element::parse(e)?, v.as_str()?.to_owned())))
            .collect();
        Submission {
            answers,
            comments,
            champion_opt_in: opted_in,
        }
    }
}

/// The response saved under `response_key`, if any.
pub async fn find_by_key(
    conn: &mut AsyncPgConnection,
    response_key: &[u8],
) -> QueryResult<Option<StoredResponse>> {
    diesel::sql_query(SELECT_STORED)
        .bind::<Bytea, _>(response_key)
        .prepared()
        .get_result(conn)
        .await
        .optional()
}

/// The response saved under `response_key`, locked for replacement.
pub async fn find_by_key_for_update(
    conn: &mut AsyncPgConnection,
    response_key: &[u8],
) -> QueryResult<StoredResponse> {
    diesel::sql_query(format!("{SELECT_STORED} FOR UPDATE"))
        .bind::<Bytea, _>(response_key)
        .prepared()
        .get_result(conn)
        .await
}

/// What one save writes into a response row.
pub struct ResponseValues<'a> {
    /// The day of the save (no finer time is kept).
    pub answered_on: NaiveDate,
    /// Question id → value.
    pub answers: &'a serde_json::Value,
    /// Element → comment.
    pub comments: &'a serde_json::Value,
    /// Element scores and barrier.
    pub scores: &'a ResponseScores,
    /// The respondent's location at launch (for the location filter).
    pub location: Option<&'a str>,
}

/// Replaces the answers of an existing response.
pub async fn update_response(
    conn: &mut AsyncPgConnection,
    response_key: &[u8],
    values: &ResponseValues<'_>,
) -> QueryResult<()> {
    let scores = values.scores;
    diesel::sql_query(
        "UPDATE responses SET answered_on = $2, answers = $3, comments = $4, score_awareness = $5, \
           score_desire = $6, score_knowledge = $7, score_ability = $8, score_reinforcement = $9, barrier = $10, \
           location = $11 WHERE response_key = $1",
    )
    .bind::<Bytea, _>(response_key)
    .bind::<diesel::sql_types::Date, _>(values.answered_on)
    .bind::<Jsonb, _>(values.answers)
    .bind::<Jsonb, _>(values.comments)
    .bind::<Nullable<Double>, _>(scores.elements[0])
    .bind::<Nullable<Double>, _>(scores.elements[1])
    .bind::<Nullable<Double>, _>(scores.elements[2])
    .bind::<Nullable<Double>, _>(scores.elements[3])
    .bind::<Nullable<Double>, _>(scores.elements[4])
    .bind::<Text, _>(scores.barrier.map_or("ready", Element::as_str))
    .bind::<Nullable<Text>, _>(values.location)
    .prepared().execute(conn)
    .await
    .map(|_| ())
}
