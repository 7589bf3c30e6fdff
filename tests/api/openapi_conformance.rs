//! Real responses of every `/api/v1` operation, successes and errors, checked against the
//! served OpenAPI document: what a schema-driven fuzzer will check, with data that exists.

use serde_json::json;

use crate::helpers::spawn_app;
use crate::openapi::fetch_document;
use crate::schema_check::check;

#[tokio::test]
async fn people_teams_and_initiatives_answer_as_documented() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let key = app.api_key("admin").await;
    let sponsor = app.api_key("sponsor").await;
    let url = |path: &str| format!("{}{path}", app.address);
    let people = "/api/v1/people";

    check(
        &doc,
        "PUT",
        people,
        app.put_people(&key, crate::wave_helpers::ORG, false).await,
    )
    .await;
    check(
        &doc,
        "PUT",
        people,
        app.put_people(&key, "email,name\nx,y\n", false).await,
    )
    .await;
    check(
        &doc,
        "PUT",
        people,
        app.put_people(&sponsor, "", false).await,
    )
    .await;
    let no_type = app
        .client
        .put(url(people))
        .bearer_auth(&key)
        .body("x")
        .send()
        .await;
    check(&doc, "PUT", people, no_type.expect("PUT")).await;
    let bad_query = app
        .client
        .put(url("/api/v1/people?deactivate_missing=maybe"))
        .bearer_auth(&key)
        .header("Content-Type", "text/csv")
        .body("email,name,team\n")
        .send()
        .await;
    let body = check(&doc, "PUT", people, bad_query.expect("PUT")).await;
    assert_eq!(body["errors"][0]["field"], "query", "{body}");

    let teams = check(
        &doc,
        "GET",
        "/api/v1/teams",
        app.get_json(&key, "/api/v1/teams").await,
    )
    .await;
    assert!(teams.as_array().is_some_and(|t| !t.is_empty()));
    check(&doc, "GET", "/api/v1/teams", app.get("/api/v1/teams").await).await;
    check(
        &doc,
        "GET",
        "/api/v1/teams",
        app.get_json("wrong", "/api/v1/teams").await,
    )
    .await;
    check(
        &doc,
        "GET",
        "/api/v1/teams",
        app.get_json(&sponsor, "/api/v1/teams").await,
    )
    .await;

    let inits = "/api/v1/initiatives";
    let created = app
        .post_json(&key, inits, &json!({"name": "ITSM", "description": null}))
        .await;
    let initiative = check(&doc, "POST", inits, created).await;
    check(
        &doc,
        "POST",
        inits,
        app.post_json(&key, inits, &json!({"name": " "})).await,
    )
    .await;
    check(
        &doc,
        "POST",
        inits,
        app.post_json(&key, inits, &json!({"nom": "x"})).await,
    )
    .await;
    // serde alone would read a struct from an array of its fields.
    let array = app.post_json(&key, inits, &json!(["x"])).await;
    assert_eq!(
        check(&doc, "POST", inits, array).await["errors"][0]["field"],
        "body"
    );
    check(
        &doc,
        "POST",
        inits,
        app.post_json(&sponsor, inits, &json!({"name": "x"})).await,
    )
    .await;
    let text = app
        .client
        .post(url(inits))
        .bearer_auth(&key)
        .body("{}")
        .send()
        .await;
    check(&doc, "POST", inits, text.expect("POST")).await;
    check(&doc, "GET", inits, app.get_json(&key, inits).await).await;
    check(&doc, "GET", inits, app.get_json(&sponsor, inits).await).await;

    let waves = "/api/v1/initiatives/{id}/waves";
    let id = initiative["id"].as_i64().expect("id");
    let at = |id: &str| format!("/api/v1/initiatives/{id}/waves");
    let closes = (chrono::Utc::now() + chrono::Duration::days(9))
        .format("%Y-%m-%d")
        .to_string();
    let body = json!({"name": "W", "closes_at": closes, "team_ids": null, "reminder_days": [3]});
    let wave = check(
        &doc,
        "POST",
        waves,
        app.post_json(&key, &at(&id.to_string()), &body).await,
    )
    .await;
    assert_eq!(wave["status"], "draft");
    // A repeated team id and whole numbers written as floats are still a valid wave.
    let body2 =
        json!({"name": "W2", "closes_at": closes, "team_ids": [1, 1], "min_group_size": 5.0});
    let wave2 = app.post_json(&key, &at(&id.to_string()), &body2).await;
    assert_eq!(check(&doc, "POST", waves, wave2).await["status"], "draft");
    let past = json!({"name": "W", "closes_at": "2001-01-01", "min_group_size": 2});
    check(
        &doc,
        "POST",
        waves,
        app.post_json(&key, &at(&id.to_string()), &past).await,
    )
    .await;
    check(
        &doc,
        "POST",
        waves,
        app.post_json(&key, &at("999999"), &body).await,
    )
    .await;
    check(
        &doc,
        "POST",
        waves,
        app.post_json(&key, &at("abc"), &body).await,
    )
    .await;
}

/// PostgreSQL text cannot hold NUL: every text input refuses it with a 422, never a 500.
#[tokio::test]
async fn nul_characters_are_refused_with_422() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let (key, wave) = app.open_wave().await;
    let nul = "a\u{0}b";
    let csv = format!("email,name,team\nx@example.org,{nul},Ops\ny@example.org,Y,O{nul}\n");
    let people = app.put_people(&key, &csv, false).await;
    let body = check(&doc, "PUT", "/api/v1/people", people).await;
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(2), "{body}");
    let inits = "/api/v1/initiatives";
    let initiative = app.post_json(&key, inits, &json!({"name": nul})).await;
    assert_eq!(
        check(&doc, "POST", inits, initiative).await["errors"][0]["field"],
        "name"
    );
    let waves = "/api/v1/initiatives/{id}/waves";
    let closes = (chrono::Utc::now() + chrono::Duration::days(9)).to_rfc3339();
    let body = json!({"name": "W", "closes_at": closes, "sponsor_message": nul});
    let created = app
        .post_json(&key, "/api/v1/initiatives/1/waves", &body)
        .await;
    assert_eq!(
        check(&doc, "POST", waves, created).await["errors"][0]["field"],
        "sponsor_message"
    );
    let results = format!("/api/v1/waves/{wave}/results?location=a%00b");
    let located = app.get_json(&key, &results).await;
    check(&doc, "GET", "/api/v1/waves/{id}/results", located).await;
    let token = app.survey_links(wave).await.remove(0).1;
    let comment = json!({"answers": {}, "comments": {"desire": nul}});
    let saved = app.post_survey(&token, &comment).await;
    let body = check(&doc, "POST", "/api/v1/survey/{token}", saved).await;
    assert_eq!(body["errors"][0]["field"], "comments.desire", "{body}");
}
