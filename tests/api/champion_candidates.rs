//! Who the candidates are, and who may see them.

use serde_json::{Value, json};

use crate::champions::{answer, wave_with_volunteers};
use crate::helpers::spawn_app;

#[tokio::test]
async fn sponsors_never_see_champion_candidates() {
    let app = spawn_app().await;
    let (_, wave) = wave_with_volunteers(&app).await;
    let sponsor = app.api_key("sponsor").await;

    assert_eq!(
        app.get_json(&sponsor, &format!("/api/v1/waves/{wave}/champions"))
            .await
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        app.post_json(
            &sponsor,
            &format!("/api/v1/waves/{wave}/champions/assign"),
            &json!({})
        )
        .await
        .status()
        .as_u16(),
        403
    );
    app.login_as("sponsor").await;
    assert_eq!(
        app.get(&format!("/waves/{wave}/champions"))
            .await
            .status()
            .as_u16(),
        403
    );
}

#[tokio::test]
async fn a_volunteer_can_withdraw_with_their_link_and_a_practitioner_can_nominate() {
    let app = spawn_app().await;
    let (key, wave) = wave_with_volunteers(&app).await;
    answer(&app, wave, "n2@example.org", 5, 5, false).await;
    app.login_as("practitioner").await;
    app.post_form(
        &format!("/waves/{wave}/champions/nominate"),
        &[
            ("email", "F1@example.org"),
            ("reason", "Super-user of the tool"),
        ],
    )
    .await;

    let state: Value = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/champions"))
        .await
        .json()
        .await
        .expect("json");

    let emails: Vec<&str> = state["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter_map(|c| c["email"].as_str())
        .collect();
    assert!(!emails.contains(&"n2@example.org"), "withdrew by unticking");
    let f1 = state["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .find(|c| c["email"] == "f1@example.org")
        .expect("nominee");
    assert_eq!(
        (
            f1["source"].as_str(),
            f1["eligible"].as_bool(),
            f1["reason"].as_str()
        ),
        (
            Some("nominated"),
            Some(true),
            Some("Super-user of the tool")
        )
    );
}
