//! `GET/PATCH /api/v1/initiatives/{id}`: one initiative with its sponsors and
//! practitioners; edits by operators, all or nothing; sponsors read only their own.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::openapi::fetch_document;
use crate::schema_check::check;

const ONE: &str = "/api/v1/initiatives/{id}";

/// Creates an initiative "ITSM" with `key`; returns its id.
async fn new_initiative(app: &TestApp, key: &str) -> i64 {
    let created: Value = app
        .post_json(key, "/api/v1/initiatives", &json!({"name": "ITSM"}))
        .await
        .json()
        .await
        .expect("json");
    created["id"].as_i64().expect("id")
}

async fn patch_json(app: &TestApp, key: &str, id: i64, body: &Value) -> reqwest::Response {
    app.client
        .patch(format!("{}/api/v1/initiatives/{id}", app.address))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .expect("PATCH")
}

#[tokio::test]
async fn an_operator_edits_name_sponsors_and_practitioners_and_the_sponsor_then_reads_it() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let key = app.api_key("practitioner").await;
    let sponsor = app.add_user("sponsor").await;
    let practitioner = app.add_user("practitioner").await;
    let id = new_initiative(&app, &key).await;
    let path = format!("/api/v1/initiatives/{id}");

    let members = json!({"sponsors": [sponsor.to_uppercase()], "practitioners": [practitioner]});
    let saved = check(
        &doc,
        "PATCH",
        ONE,
        patch_json(&app, &key, id, &members).await,
    )
    .await;
    assert_eq!(saved["sponsors"], json!([sponsor]));
    assert_eq!(saved["practitioners"], json!([practitioner]));
    let renamed = check(
        &doc,
        "PATCH",
        ONE,
        patch_json(&app, &key, id, &json!({"name": "  New ITSM  "})).await,
    )
    .await;
    assert_eq!(
        (
            &renamed["name"],
            &renamed["description"],
            &renamed["sponsors"]
        ),
        (&json!("New ITSM"), &json!(""), &json!([sponsor])),
        "fields left out keep their values"
    );

    let shown = check(&doc, "GET", ONE, app.get_json(&key, &path).await).await;
    assert_eq!(shown, renamed);
    let sponsor_key = app.api_key_of(&sponsor).await;
    let theirs = check(&doc, "GET", ONE, app.get_json(&sponsor_key, &path).await).await;
    assert_eq!(theirs["name"], "New ITSM");
    let other_sponsor = app.api_key("sponsor").await;
    let hidden = app.get_json(&other_sponsor, &path).await;
    assert_eq!(check(&doc, "GET", ONE, hidden).await["error"], "not found");
    let refused = patch_json(&app, &sponsor_key, id, &json!({"name": "Mine"})).await;
    assert_eq!(refused.status().as_u16(), 403);
    check(&doc, "PATCH", ONE, refused).await;

    let cleared = patch_json(&app, &key, id, &json!({"sponsors": []})).await;
    assert_eq!(
        check(&doc, "PATCH", ONE, cleared).await["sponsors"],
        json!([])
    );
    let gone = app.get_json(&sponsor_key, &path).await;
    assert_eq!(gone.status().as_u16(), 404, "no longer a sponsor of it");
}

#[tokio::test]
async fn a_bad_edit_names_every_field_and_changes_nothing() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let key = app.api_key("admin").await;
    let sponsor = app.add_user("sponsor").await;
    let practitioner = app.add_user("practitioner").await;
    let id = new_initiative(&app, &key).await;
    let before = patch_json(&app, &key, id, &json!({"sponsors": [sponsor]}))
        .await
        .json::<Value>()
        .await
        .expect("json");

    let bad = json!({
        "name": " ",
        "description": "d".repeat(5001),
        "sponsors": [practitioner, "nobody@example.org"],
        "practitioners": [sponsor],
    });
    let body = check(&doc, "PATCH", ONE, patch_json(&app, &key, id, &bad).await).await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "name",
            "description",
            "sponsors[0]",
            "sponsors[1]",
            "practitioners[0]"
        ]
    );
    let after = app
        .get_json(&key, &format!("/api/v1/initiatives/{id}"))
        .await
        .json::<Value>()
        .await
        .expect("json");
    assert_eq!(after, before, "nothing changed");

    let unknown = patch_json(&app, &key, id, &json!({"owner": "x"})).await;
    assert_eq!(
        check(&doc, "PATCH", ONE, unknown).await["errors"][0]["field"],
        "body"
    );
    let missing = patch_json(&app, &key, 999_999, &json!({"name": "x"})).await;
    assert_eq!(
        check(&doc, "PATCH", ONE, missing).await["error"],
        "not found"
    );
    let not_a_number = app.get_json(&key, "/api/v1/initiatives/abc").await;
    assert_eq!(not_a_number.status().as_u16(), 404);
}

#[tokio::test]
async fn the_edit_page_shows_a_refused_edit_again_with_its_messages_and_saves_a_good_one() {
    let app = spawn_app().await;
    let key = app.api_key("practitioner").await;
    let sponsor = app.add_user("sponsor").await;
    let sponsor_id = app
        .number(&format!("SELECT id FROM users WHERE email = '{sponsor}'"))
        .await
        .to_string();
    let id = new_initiative(&app, &key).await;
    let (page, api) = (
        format!("/initiatives/{id}"),
        format!("/api/v1/initiatives/{id}"),
    );
    app.login_as("practitioner").await;

    let refused = app
        .post_form(
            &page,
            &[
                ("name", " "),
                ("description", "Typed, not lost"),
                ("member", &sponsor_id),
            ],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.expect("body");
    assert!(html.contains("The initiative was not saved"), "{html}");
    assert!(html.contains("<li>name: must be 1 to 200 characters</li>"));
    assert!(html.contains(">Typed, not lost</textarea>"), "input kept");
    assert!(
        html.contains(&format!("name=\"member\" value=\"{sponsor_id}\" checked")),
        "the ticked member stays ticked"
    );
    let unchanged: Value = app.get_json(&key, &api).await.json().await.expect("json");
    assert_eq!(
        (&unchanged["name"], &unchanged["sponsors"]),
        (&json!("ITSM"), &json!([]))
    );

    let saved = app
        .post_form(
            &page,
            &[
                ("name", "ITSM 2"),
                ("description", ""),
                ("member", &sponsor_id),
            ],
        )
        .await;
    assert_eq!(saved.status().as_u16(), 303);
    let now: Value = app.get_json(&key, &api).await.json().await.expect("json");
    assert_eq!(
        (&now["name"], &now["sponsors"]),
        (&json!("ITSM 2"), &json!([sponsor]))
    );
}
