//! Confirming champion assignments: what the email says, and a double click.

use changeready::domain::adkar::Element;
use changeready::scoring::playbook::Playbook;
use serde_json::json;

use crate::champions::champion_mails;
use crate::helpers::{TestApp, spawn_app};

/// Desk: three stall at awareness, three at ability (primary barrier: awareness, the
/// earlier of a tie), and ability is low for all six; n1 is a ready volunteer.
async fn wave_stuck_at_two_elements(app: &TestApp) -> i64 {
    let (_, wave) = app.open_wave().await;
    for i in 1..=6 {
        let token = app.link_of(wave, &format!("d{i}@example.org")).await;
        let value = |e: &str| match e {
            "awareness" if i <= 3 => 2,
            "ability" => 2,
            _ => 5,
        };
        assert_eq!(app.answer_all(&token, value).await.status().as_u16(), 200);
    }
    // Network (3) and Ops's own two make 5 beside Desk, so differencing hides nothing.
    for email in [
        "n1@example.org",
        "n2@example.org",
        "n3@example.org",
        "o1@example.org",
        "o2@example.org",
    ] {
        let opt_in = json!({"champion_opt_in": email == "n1@example.org"});
        app.answer_as(wave, email, 5, 5, opt_in).await;
    }
    app.login_as("practitioner").await;
    app.post_form(
        &format!("/waves/{wave}/champions/assign"),
        &[("max_teams_per_champion", "2")],
    )
    .await;
    wave
}

#[tokio::test]
async fn the_email_gives_each_teams_primary_barrier_with_that_elements_interventions() {
    let app = spawn_app().await;
    let wave = wave_stuck_at_two_elements(&app).await;
    app.post_form(
        &format!("/waves/{wave}/champions/confirm"),
        &[("confirm", "1")],
    )
    .await;

    let mails = champion_mails(&app).await;
    assert_eq!(mails.len(), 1);
    let desk = mails[0].payload["teams"]
        .as_array()
        .expect("teams")
        .iter()
        .find(|t| t["path"] == "Ops/Desk")
        .expect("Desk is n1's team")
        .clone();
    assert_eq!(desk["primary_barrier"], "Awareness");
    let expected: Vec<String> = Playbook::default().for_element(Element::Awareness).to_vec();
    assert_eq!(
        desk["interventions"],
        json!(expected),
        "awareness's, not ability's too"
    );
}

#[tokio::test]
async fn confirmations_at_once_queue_each_champion_email_once() {
    let app = spawn_app().await;
    let wave = wave_stuck_at_two_elements(&app).await;
    let path = format!("/waves/{wave}/champions/confirm");
    let clicks = (0..8).map(|_| app.post_form(&path, &[("confirm", "1")]));
    for response in futures_util::future::join_all(clicks).await {
        assert!(response.status().is_redirection(), "{}", response.status());
    }
    let mails = champion_mails(&app).await;
    assert_eq!(
        mails
            .iter()
            .map(|m| m.recipient.as_str())
            .collect::<Vec<_>>(),
        ["n1@example.org"]
    );
}
