//! A wave from draft to closed, with answers, results, hotspots and champions: every
//! response checked against the served OpenAPI document.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::openapi::fetch_document;
use crate::schema_check::check;

const WAVE: &str = "/api/v1/waves/{id}";
const SURVEY: &str = "/api/v1/survey/{token}";
const ASSIGN: &str = "/api/v1/waves/{id}/champions/assign";

/// 30 people in three teams of 10 (so no team is suppressed) and a draft wave with k = 3;
/// returns (key, wave id).
async fn draft_over_three_teams(app: &TestApp) -> (String, i64) {
    let key = app.api_key("admin").await;
    let mut csv = String::from("email,name,team\n");
    for i in 0..30 {
        csv.push_str(&format!("p{i}@example.org,P{i},Team {}\n", i % 3));
    }
    assert_eq!(app.put_people(&key, &csv, false).await.status(), 200);
    let initiative = json!({"name": "Big"});
    let response = app
        .post_json(&key, "/api/v1/initiatives", &initiative)
        .await;
    let initiative: Value = response.json().await.expect("json");
    let closes = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let wave = json!({"name": "W", "closes_at": closes, "min_group_size": 3});
    let path = format!("/api/v1/initiatives/{}/waves", initiative["id"]);
    let wave: Value = app
        .post_json(&key, &path, &wave)
        .await
        .json()
        .await
        .expect("json");
    (key, wave["id"].as_i64().expect("wave id"))
}

/// Team 0 scores knowledge 2 (a hotspot); the others score 5 and volunteer.
async fn answer_everyone(app: &TestApp, doc: &Value, wave: i64) {
    for (email, token) in app.survey_links(wave).await {
        let n: usize = email[1..email.find('@').expect("@")].parse().expect("n");
        let low = n % 3 == 0;
        let value_for = |element: &str| if low && element == "knowledge" { 2 } else { 5 };
        let extra = json!({"comments": {"desire": "keen"}, "champion_opt_in": !low});
        let saved = app.answer_all_with(&token, value_for, extra).await;
        check(doc, "POST", SURVEY, saved).await;
    }
}

#[tokio::test]
async fn a_wave_from_draft_to_closed_answers_as_documented() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let (key, wave) = draft_over_three_teams(&app).await;
    let get = |suffix: &str| {
        let url = format!("{}/api/v1/waves/{wave}{suffix}", app.address);
        let request = app.client.get(url).bearer_auth(&key);
        async move { request.send().await.expect("GET") }
    };
    let post = |suffix: &str, body: Value| {
        let url = format!("{}/api/v1/waves/{wave}{suffix}", app.address);
        let request = app.client.post(url).bearer_auth(&key).json(&body);
        async move { request.send().await.expect("POST") }
    };
    let survey_get = |token: &str| {
        let url = format!("{}/api/v1/survey/{token}", app.address);
        async { app.client.get(url).send().await.expect("GET") }
    };

    check(&doc, "GET", WAVE, get("").await).await;
    let missing = app.get_json(&key, "/api/v1/waves/999999").await;
    check(&doc, "GET", WAVE, missing).await;
    let malformed = app.get_json(&key, "/api/v1/waves/x1").await;
    check(&doc, "GET", WAVE, malformed).await;
    let unlaunched = post("/champions/assign", Value::Null).await;
    check(&doc, "POST", ASSIGN, unlaunched).await;
    let close = "/api/v1/waves/{id}/close";
    check(&doc, "POST", close, post("/close", Value::Null).await).await;
    let launch = "/api/v1/waves/{id}/launch";
    check(&doc, "POST", launch, post("/launch", Value::Null).await).await;
    check(&doc, "POST", launch, post("/launch", Value::Null).await).await;
    check(&doc, "GET", WAVE, get("").await).await;

    let (_, first) = app.survey_links(wave).await.remove(0);
    let before = check(&doc, "GET", SURVEY, survey_get(&first).await).await;
    assert!(before["answers"].is_null(), "{before}");
    answer_everyone(&app, &doc, wave).await;
    let after = check(&doc, "GET", SURVEY, survey_get(&first).await).await;
    assert_eq!(after["answers"]["comments"]["desire"], "keen");
    let bad = app.post_survey(&first, &json!({"answers": {"1": 9}})).await;
    check(&doc, "POST", SURVEY, bad).await;
    check(&doc, "GET", SURVEY, survey_get(&"a".repeat(43)).await).await;
    check(&doc, "GET", SURVEY, survey_get("short").await).await;

    let results = "/api/v1/waves/{id}/results";
    let figures = check(&doc, "GET", results, get("/results").await).await;
    assert!(figures["teams"][0]["elements"].is_object(), "{figures}");
    let elsewhere = get("/results?location=Mars").await;
    check(&doc, "GET", results, elsewhere).await;
    let csv = get("/results.csv").await;
    check(&doc, "GET", "/api/v1/waves/{id}/results.csv", csv).await;
    let hotspots = get("/hotspots").await;
    let hotspots = check(&doc, "GET", "/api/v1/waves/{id}/hotspots", hotspots).await;
    assert!(
        hotspots.as_array().is_some_and(|h| !h.is_empty()),
        "{hotspots}"
    );
    let proposal = post("/champions/assign", json!({})).await;
    let proposal = check(&doc, "POST", ASSIGN, proposal).await;
    assert!(proposal["assignments"][0].is_object(), "{proposal}");
    let max = json!({"max_teams_per_champion": 1});
    check(&doc, "POST", ASSIGN, post("/champions/assign", max).await).await;
    let wrong = json!({"max_teams_per_champion": "two"});
    check(&doc, "POST", ASSIGN, post("/champions/assign", wrong).await).await;
    let champions = get("/champions").await;
    check(&doc, "GET", "/api/v1/waves/{id}/champions", champions).await;

    check(&doc, "POST", close, post("/close", Value::Null).await).await;
    check(&doc, "GET", WAVE, get("").await).await;
    check(&doc, "GET", SURVEY, survey_get(&first).await).await;
    let late = app.post_survey(&first, &json!({"answers": {}})).await;
    check(&doc, "POST", SURVEY, late).await;
    let document = app.get("/api/v1/openapi.json").await;
    check(&doc, "GET", "/api/v1/openapi.json", document).await;
}
