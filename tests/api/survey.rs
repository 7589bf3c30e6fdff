//! Answering through the private link: API and page, edits, races, anonymity.

use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

#[derive(QueryableByName, Debug, PartialEq)]
struct Stats {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    responded: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    n_awareness: i32,
    #[diesel(sql_type = diesel::sql_types::Double)]
    sum_awareness: f64,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    barrier_awareness: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    barrier_ready: i32,
}

async fn stats(app: &TestApp, wave: i64) -> Stats {
    let mut conn = app.db().await;
    diesel::sql_query(format!("SELECT sum(responded)::int AS responded, sum(n_awareness)::int AS n_awareness, sum(sum_awareness) AS sum_awareness, sum(barrier_awareness)::int AS barrier_awareness, sum(barrier_ready)::int AS barrier_ready FROM wave_team_stats WHERE wave_id = {wave}"))
        .get_result(&mut conn)
        .await
        .expect("stats")
}

async fn recomputed(app: &TestApp, wave: i64) -> Stats {
    let mut conn = app.db().await;
    diesel::sql_query(format!("SELECT count(*)::int AS responded, count(score_awareness)::int AS n_awareness, COALESCE(sum(score_awareness), 0) AS sum_awareness, count(*) FILTER (WHERE barrier = 'awareness')::int AS barrier_awareness, count(*) FILTER (WHERE barrier = 'ready')::int AS barrier_ready FROM responses WHERE wave_id = {wave}"))
        .get_result(&mut conn)
        .await
        .expect("recompute")
}

/// Every running figure of `wave` summed over teams (responded, then n, sum and
/// barrier count per element, then ready), and the same recounted from the responses.
async fn all_figures(app: &TestApp, wave: i64) -> (Vec<f64>, Vec<f64>) {
    #[derive(QueryableByName)]
    struct Figures {
        #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Double>)]
        v: Vec<f64>,
    }
    const ELEMENTS: [&str; 5] = [
        "awareness",
        "desire",
        "knowledge",
        "ability",
        "reinforcement",
    ];
    let kept: Vec<String> = ["responded".to_owned()]
        .into_iter()
        .chain(
            ELEMENTS
                .iter()
                .flat_map(|e| [format!("n_{e}"), format!("sum_{e}"), format!("barrier_{e}")]),
        )
        .chain(["barrier_ready".to_owned()])
        .map(|c| format!("coalesce(sum({c}), 0)::float8"))
        .collect();
    let recounted: Vec<String> = ["count(*)".to_owned()]
        .into_iter()
        .chain(ELEMENTS.iter().flat_map(|e| {
            [
                format!("count(score_{e})"),
                format!("coalesce(sum(score_{e}), 0)"),
                format!("count(*) FILTER (WHERE barrier = '{e}')"),
            ]
        }))
        .chain(["count(*) FILTER (WHERE barrier = 'ready')".to_owned()])
        .map(|c| format!("({c})::float8"))
        .collect();
    let mut conn = app.db().await;
    let mut read = async |table: &str, columns: &[String]| {
        diesel::sql_query(format!(
            "SELECT ARRAY[{}] AS v FROM {table} WHERE wave_id = {wave}",
            columns.join(", ")
        ))
        .get_result::<Figures>(&mut conn)
        .await
        .expect("figures")
        .v
    };
    let kept = read("wave_team_stats", &kept).await;
    (kept, read("responses", &recounted).await)
}

#[tokio::test]
async fn a_respondent_answers_sees_their_answers_and_changes_them() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let token = app.link_of(wave, "d1@example.org").await;
    let survey: Value = app.survey_json(&token).await;
    assert_eq!(survey["questions"].as_array().expect("questions").len(), 20);
    assert_eq!(survey["answers"], Value::Null);
    assert_eq!(survey["scale"], json!({"min": 1, "max": 5}));

    assert_eq!(
        app.answer_all(&token, |e| if e == "awareness" { 2 } else { 4 })
            .await
            .status()
            .as_u16(),
        200
    );
    let first = stats(&app, wave).await;
    assert_eq!(
        (
            first.responded,
            first.barrier_awareness,
            first.barrier_ready
        ),
        (1, 1, 0)
    );
    assert_eq!(app.answer_all(&token, |_| 5).await.status().as_u16(), 200);

    let after = stats(&app, wave).await;
    assert_eq!(
        (
            after.responded,
            after.barrier_awareness,
            after.barrier_ready
        ),
        (1, 0, 1),
        "an edit replaces the contribution"
    );
    assert!((after.sum_awareness - 5.0).abs() < 1e-9);
    let (kept, recounted) = all_figures(&app, wave).await;
    assert_eq!(kept, recounted, "every running figure follows the edit");
    assert_eq!(kept[2], 5.0, "the desire sum is the new answer's");
    let survey: Value = app.survey_json(&token).await;
    assert!(
        survey["answers"]["answers"]
            .as_object()
            .expect("answers")
            .values()
            .all(|v| v == 5)
    );
    let mut conn = app.db().await;
    let n: Vec<Stats> = diesel::sql_query(format!("SELECT 1 AS responded, 0 AS n_awareness, 0::float8 AS sum_awareness, 0 AS barrier_awareness, 0 AS barrier_ready FROM responses WHERE wave_id = {wave}")).load(&mut conn).await.expect("rows");
    assert_eq!(n.len(), 1, "one response per invitation");
}

#[tokio::test]
async fn invalid_answers_are_refused_with_field_errors_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let token = app.link_of(wave, "d1@example.org").await;
    let question = app.questions(&token).await[0].0;
    let long = "x".repeat(2001);
    let cases = [
        (
            json!({"answers": {question.to_string(): 6}}),
            format!("answers.{question}"),
        ),
        (
            json!({"answers": {question.to_string(): 0}}),
            format!("answers.{question}"),
        ),
        (
            json!({"answers": {"999999": 3}}),
            "answers.999999".to_owned(),
        ),
        (
            json!({"answers": {}, "comments": {"desire": long}}),
            "comments.desire".to_owned(),
        ),
        (
            json!({"answers": {}, "comments": {"mood": "x"}}),
            "comments.mood".to_owned(),
        ),
    ];
    for (body, field) in cases {
        let response = app.post_survey(&token, &body).await;
        assert_eq!(response.status().as_u16(), 422, "{body}");
        let errors: Value = response.json().await.expect("json");
        assert!(
            errors["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .any(|e| e["field"] == field.as_str()),
            "{field}: {errors}"
        );
    }
    let bad_json = app
        .client
        .post(format!("{}/api/v1/survey/{token}", app.address))
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("POST");
    assert_eq!(bad_json.status().as_u16(), 422);
    assert_eq!(stats(&app, wave).await.responded, 0);
}

#[tokio::test]
async fn an_unknown_link_is_404_in_json_and_on_the_page() {
    let app = spawn_app().await;
    let fake = "A".repeat(43);

    let api = app
        .client
        .get(format!("{}/api/v1/survey/{fake}", app.address))
        .send()
        .await
        .expect("GET");
    let page = app.get(&format!("/s/{fake}")).await;
    let short = app.get("/s/abc").await;

    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(page.status().as_u16(), 404);
    assert!(
        page.text()
            .await
            .expect("body")
            .contains("This link is not valid")
    );
    assert_eq!(short.status().as_u16(), 404);
}

#[tokio::test]
async fn thirty_two_concurrent_submissions_of_one_link_make_one_consistent_response() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let token = app.link_of(wave, "n1@example.org").await;
    let questions = app.questions(&token).await;

    // Each submission differs from the others (a skipped statement, another value).
    let bodies: Vec<serde_json::Map<String, Value>> = (0..32)
        .map(|i: usize| {
            questions
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i % questions.len())
                .map(|(j, (id, _))| (id.to_string(), json!(1 + (i + j) % 5)))
                .collect()
        })
        .collect();
    let submissions = bodies.iter().cloned().map(|answers| {
        let client = app.client.clone();
        let url = format!("{}/api/v1/survey/{token}", app.address);
        tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({"answers": answers}))
                .send()
                .await
                .expect("POST")
                .status()
                .as_u16()
        })
    });
    let statuses: Vec<u16> = futures_util::future::join_all(submissions)
        .await
        .into_iter()
        .map(|r| r.expect("task"))
        .collect();

    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let now = recomputed(&app, wave).await;
    assert_eq!(now.responded, 1, "exactly one response");
    let (kept, recounted) = all_figures(&app, wave).await;
    assert_eq!(
        kept, recounted,
        "every running figure equals the stored response"
    );
    let stored: Value = app.survey_json(&token).await;
    let stored = stored["answers"]["answers"].as_object().expect("answers");
    assert!(
        bodies.iter().any(|b| b == stored),
        "the stored answers are one of the submissions: {stored:?}"
    );
}
