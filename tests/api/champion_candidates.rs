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

#[tokio::test]
async fn a_matched_volunteer_who_withdraws_is_taken_off_their_teams_and_not_emailed() {
    let app = spawn_app().await;
    let (key, wave) = wave_with_volunteers(&app).await;
    let assigned_to = |state: &Value, email: &str| -> usize {
        state["assignments"]
            .as_array()
            .expect("assignments")
            .iter()
            .filter(|a| a["champion_email"] == email)
            .count()
    };
    let assign: Value = app
        .post_json(
            &key,
            &format!("/api/v1/waves/{wave}/champions/assign"),
            &json!({}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(assigned_to(&assign, "n1@example.org") > 0, "{assign}");

    answer(&app, wave, "n1@example.org", 5, 5, false).await;
    let state: Value = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/champions"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(assigned_to(&state, "n1@example.org"), 0, "{state}");
    app.login_as("practitioner").await;
    app.post_form(
        &format!("/waves/{wave}/champions/confirm"),
        &[("confirm", "1")],
    )
    .await;
    let mails = app
        .number("SELECT count(*) FROM email_outbox WHERE kind = 'champion' AND recipient = 'n1@example.org'")
        .await;
    assert_eq!(mails, 0.0, "no email to someone who withdrew");
}

#[tokio::test]
async fn a_pin_on_someone_no_longer_eligible_lapses_and_what_is_stored_matches_the_proposal() {
    let app = spawn_app().await;
    let (key, wave) = wave_with_volunteers(&app).await;
    let path = format!("/api/v1/waves/{wave}/champions");
    app.post_json(&key, &format!("{path}/assign"), &json!({}))
        .await;
    let state: Value = app.get_json(&key, &path).await.json().await.expect("json");
    assert_eq!(state["assignments"][0]["path"], "Ops/Desk");
    let team = state["assignments"][0]["team_id"]
        .as_i64()
        .expect("Desk's id");
    let desk = |state: &Value| -> Value {
        state["assignments"]
            .as_array()
            .expect("assignments")
            .iter()
            .find(|a| a["team_id"] == team)
            .map_or(Value::Null, |a| a["champion_email"].clone())
    };
    app.login_as("practitioner").await;
    let n2 = app
        .number("SELECT id FROM people WHERE email = 'n2@example.org'")
        .await as i64;
    app.post_form(
        &format!("/waves/{wave}/champions/override"),
        &[("team_id", &team.to_string()), ("person", &n2.to_string())],
    )
    .await;
    let pinned: Value = app.get_json(&key, &path).await.json().await.expect("json");
    assert_eq!(desk(&pinned), "n2@example.org");

    // n2 now answers awareness 2: still a volunteer, no longer eligible.
    answer(&app, wave, "n2@example.org", 2, 5, true).await;
    let proposed: Value = app
        .post_json(&key, &format!("{path}/assign"), &json!({}))
        .await
        .json()
        .await
        .expect("json");
    let stored: Value = app.get_json(&key, &path).await.json().await.expect("json");
    assert_eq!(desk(&proposed), "n1@example.org", "{proposed}");
    assert_eq!(desk(&stored), desk(&proposed), "{stored}");
}
