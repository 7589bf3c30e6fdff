//! What the fault tests check once the dust settles: every stored response is whole
//! (its scores and barrier follow from its answers), the running per-team figures equal
//! a recount from the responses, and every answer acknowledged with 200 is stored.

use changeready::domain::adkar::Element;
use changeready::domain::likert::Likert;
use changeready::domain::survey_token::{SurveyKeys, SurveyToken};
use changeready::scoring::response::score_response;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bytea, Double, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{Value, json};

use crate::process::count;

/// The link keys of a `serve` started with the default configuration.
pub fn keys() -> SurveyKeys {
    SurveyKeys::new(
        crate::helpers::test_settings("postgres://localhost/unused")
            .application
            .secret,
    )
}

#[derive(QueryableByName)]
struct Invitation {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: uuid::Uuid,
}

/// Every survey link (token) of `wave`.
pub async fn links(conn: &mut AsyncPgConnection, wave: i64) -> Vec<String> {
    let rows: Vec<Invitation> =
        diesel::sql_query("SELECT id FROM invitations WHERE wave_id = $1 ORDER BY id")
            .bind::<BigInt, _>(wave)
            .load(conn)
            .await
            .expect("invitations");
    let keys = keys();
    rows.iter()
        .map(|i| keys.token_for(i.id).expose().to_owned())
        .collect()
}

#[derive(QueryableByName)]
struct Item {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    element: String,
}

/// The statements of `wave`'s frozen survey: (question id, element).
pub async fn questions(conn: &mut AsyncPgConnection, wave: i64) -> Vec<(i64, Element)> {
    let items: Vec<Item> = diesel::sql_query(
        "SELECT i.id, i.element FROM survey_items i JOIN waves w ON w.template_id = i.template_id \
         WHERE w.id = $1 ORDER BY i.id",
    )
    .bind::<BigInt, _>(wave)
    .load(conn)
    .await
    .expect("survey items");
    assert!(!items.is_empty(), "wave {wave} has a frozen survey");
    items
        .into_iter()
        .map(|i| (i.id, Element::parse(&i.element).expect("element")))
        .collect()
}

/// A JSON survey body answering every question, varied by `seed` (so barriers differ).
pub fn answers_for(questions: &[(i64, Element)], seed: usize) -> Value {
    let answers: serde_json::Map<String, Value> = questions
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.to_string(), json!((seed * 7 + i * 3) % 5 + 1)))
        .collect();
    json!({"answers": answers})
}

#[derive(QueryableByName)]
struct Stored {
    #[diesel(sql_type = Text)]
    answers: String,
    #[diesel(sql_type = Nullable<Double>)]
    score_awareness: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    score_desire: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    score_knowledge: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    score_ability: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    score_reinforcement: Option<f64>,
    #[diesel(sql_type = Text)]
    barrier: String,
}

/// Asserts that every response of `wave` answers every question and that its scores
/// and barrier are those its answers give; returns how many responses there are.
pub async fn assert_responses_whole(conn: &mut AsyncPgConnection, wave: i64) -> i64 {
    let questions = questions(conn, wave).await;
    let rows: Vec<Stored> = diesel::sql_query(
        "SELECT answers::text AS answers, score_awareness, score_desire, score_knowledge, \
           score_ability, score_reinforcement, barrier FROM responses WHERE wave_id = $1",
    )
    .bind::<BigInt, _>(wave)
    .load(conn)
    .await
    .expect("responses");
    for row in &rows {
        let answers: serde_json::Map<String, Value> =
            serde_json::from_str(&row.answers).expect("answers JSON");
        assert_eq!(answers.len(), questions.len(), "a whole set of answers");
        let scored: Vec<(Element, Likert)> = questions
            .iter()
            .map(|(id, element)| {
                let value = answers[&id.to_string()].as_i64().expect("answer");
                (*element, Likert::new(value).expect("1 to 5"))
            })
            .collect();
        let expected = score_response(&scored);
        let stored = [
            row.score_awareness,
            row.score_desire,
            row.score_knowledge,
            row.score_ability,
            row.score_reinforcement,
        ];
        assert_eq!(stored, expected.elements, "scores follow from the answers");
        assert_eq!(
            row.barrier,
            expected.barrier.map_or("ready", Element::as_str),
            "barrier follows from the answers"
        );
    }
    let seals = count(
        conn,
        &format!("SELECT count(*) AS n FROM answered_seals WHERE wave_id = {wave}"),
    )
    .await;
    assert_eq!(seals, rows.len() as i64, "one answered seal per response");
    rows.len() as i64
}

/// Asserts that `wave_team_stats` of `wave` equals a recount from its responses.
pub async fn assert_stats_match_recount(conn: &mut AsyncPgConnection, wave: i64) {
    let (mut per_element, mut recount) = (String::new(), String::new());
    for e in Element::ALL.map(Element::as_str) {
        per_element.push_str(&format!(
            " AND s.n_{e} = coalesce(r.n_{e}, 0) AND abs(s.sum_{e} - coalesce(r.sum_{e}, 0)) < 1e-6 \
              AND s.barrier_{e} = coalesce(r.barrier_{e}, 0)"
        ));
        recount.push_str(&format!(
            ", count(score_{e}) AS n_{e}, sum(score_{e}) AS sum_{e}, \
               count(*) FILTER (WHERE barrier = '{e}') AS barrier_{e}"
        ));
    }
    let sql = format!(
        "SELECT count(*) AS n FROM (SELECT * FROM wave_team_stats WHERE wave_id = {wave}) s FULL JOIN ( \
           SELECT team_id, count(*) AS responded, count(*) FILTER (WHERE barrier = 'ready') AS ready \
           {recount} FROM responses WHERE wave_id = {wave} GROUP BY team_id) r ON r.team_id = s.team_id \
         WHERE NOT coalesce( \
           s.responded = coalesce(r.responded, 0) AND s.barrier_ready = coalesce(r.ready, 0) {per_element}, \
           false)"
    );
    assert_eq!(
        count(conn, &sql).await,
        0,
        "every team's running figures equal a recount of the responses"
    );
    let invited = format!(
        "SELECT count(*) AS n FROM wave_team_stats s WHERE s.wave_id = {wave} AND s.invited <> \
         (SELECT count(*) FROM invitations i WHERE i.wave_id = {wave} AND i.team_id = s.team_id)"
    );
    assert_eq!(count(conn, &invited).await, 0, "invited counts match");
}

/// Whether a response is stored for `token`.
pub async fn is_stored(conn: &mut AsyncPgConnection, token: &str) -> bool {
    let token = SurveyToken::parse(token).expect("token");
    let key = keys().response_key(&token);
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let found: Found =
        diesel::sql_query("SELECT count(*) AS n FROM responses WHERE response_key = $1")
            .bind::<Bytea, _>(key)
            .get_result(conn)
            .await
            .expect("response by key");
    found.n == 1
}
