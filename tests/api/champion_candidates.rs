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
    let mut conn = app.db().await;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mails: Count = diesel_async::RunQueryDsl::get_result(
        diesel::sql_query("SELECT count(*) AS n FROM email_outbox WHERE kind = 'champion' AND recipient = 'n1@example.org'"),
        &mut conn,
    )
    .await
    .expect("count");
    assert_eq!(mails.n, 0, "no email to someone who withdrew");
}
