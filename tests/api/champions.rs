//! Change champions: candidates, the optimal assignment, overrides and notifications.

use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

pub(crate) async fn answer(
    app: &TestApp,
    wave: i64,
    email: &str,
    awareness: i64,
    rest: i64,
    opt_in: bool,
) {
    let opt_in = json!({"champion_opt_in": opt_in});
    app.answer_as(wave, email, awareness, rest, opt_in).await;
}

/// Desk (6) is stuck at awareness; n1 and n2 in Network are ready volunteers; d1 volunteers but is not ready.
pub(crate) async fn wave_with_volunteers(app: &TestApp) -> (String, i64) {
    let (key, wave) = app.open_wave().await;
    for i in 1..=6 {
        answer(app, wave, &format!("d{i}@example.org"), 2, 4, i == 1).await;
    }
    for (email, opt_in) in [
        ("n1@example.org", true),
        ("n2@example.org", true),
        ("n3@example.org", false),
    ] {
        answer(app, wave, email, 5, 5, opt_in).await;
    }
    for email in ["o1@example.org", "o2@example.org"] {
        answer(app, wave, email, 4, 4, false).await;
    }
    (key, wave)
}

#[derive(QueryableByName)]
pub(crate) struct Mail {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub(crate) recipient: String,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub(crate) payload: Value,
}

/// The champion emails queued so far.
pub(crate) async fn champion_mails(app: &TestApp) -> Vec<Mail> {
    let mut conn = app.db().await;
    diesel::sql_query("SELECT recipient, payload FROM email_outbox WHERE kind = 'champion' ORDER BY created_at, recipient").load(&mut conn).await.expect("mails")
}

#[tokio::test]
async fn ready_volunteers_are_assigned_to_hotspot_teams_and_unready_ones_are_not() {
    let app = spawn_app().await;
    let (key, wave) = wave_with_volunteers(&app).await;

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
    let state: Value = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/champions"))
        .await
        .json()
        .await
        .expect("json");

    let assignments = assign["assignments"].as_array().expect("assignments");
    assert_eq!(assignments.len(), 1, "{assign}");
    assert_eq!(
        assignments[0]["champion_email"], "n1@example.org",
        "ready, and the smaller email on a tie"
    );
    assert_eq!(
        assignments[0]["distance"], 2,
        "Network and Desk are siblings"
    );
    assert_eq!(assign["uncovered"], json!([]));
    assert_eq!(assign["total_distance"], 2);
    let candidates = state["candidates"].as_array().expect("candidates");
    let d1 = candidates
        .iter()
        .find(|c| c["email"] == "d1@example.org")
        .expect("d1 candidate");
    assert_eq!(d1["eligible"], false);
    let n1 = candidates
        .iter()
        .find(|c| c["email"] == "n1@example.org")
        .expect("n1 candidate");
    assert_eq!(
        (n1["eligible"].as_bool(), n1["readiness"].as_f64()),
        (Some(true), Some(5.0))
    );
    let bad = app
        .post_json(
            &key,
            &format!("/api/v1/waves/{wave}/champions/assign"),
            &json!({"max_teams_per_champion": 0}),
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
}

#[tokio::test]
async fn confirming_emails_champions_once_and_re_confirming_sends_only_changes() {
    let app = spawn_app().await;
    let (_, wave) = wave_with_volunteers(&app).await;
    app.login_as("practitioner").await;
    app.post_form(
        &format!("/waves/{wave}/champions/assign"),
        &[("max_teams_per_champion", "2")],
    )
    .await;
    let page = app
        .get(&format!("/waves/{wave}/champions"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("Ops&#x2F;Desk")
            && page.contains("n1@example.org")
            && page.contains("Awareness"),
        "{page}"
    );

    app.post_form(
        &format!("/waves/{wave}/champions/confirm"),
        &[("confirm", "1")],
    )
    .await;
    app.post_form(
        &format!("/waves/{wave}/champions/confirm"),
        &[("confirm", "1")],
    )
    .await;
    let first = champion_mails(&app).await;
    assert_eq!(
        first.len(),
        1,
        "re-confirming without changes sends nothing"
    );
    assert_eq!(first[0].recipient, "n1@example.org");
    assert_eq!(first[0].payload["teams"][0]["path"], "Ops/Desk");
    assert_eq!(first[0].payload["teams"][0]["primary_barrier"], "Awareness");
    assert!(
        first[0].payload["teams"][0]["interventions"]
            .as_array()
            .is_some_and(|i| !i.is_empty())
    );

    let mut conn = app.db().await;
    #[derive(QueryableByName)]
    struct Ids {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        team: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        person: i64,
    }
    let ids: Ids = diesel::sql_query("SELECT (SELECT id FROM teams WHERE path = 'Ops/Desk') AS team, (SELECT id FROM people WHERE email = 'n2@example.org') AS person")
        .get_result(&mut conn)
        .await
        .expect("ids");
    app.post_form(
        &format!("/waves/{wave}/champions/override"),
        &[
            ("team_id", &ids.team.to_string()),
            ("person", &ids.person.to_string()),
        ],
    )
    .await;
    app.post_form(&format!("/waves/{wave}/champions/assign"), &[])
        .await;
    app.post_form(
        &format!("/waves/{wave}/champions/confirm"),
        &[("confirm", "1")],
    )
    .await;

    let all = champion_mails(&app).await;
    assert_eq!(
        all.len(),
        3,
        "n2 gets the team, n1 learns it is no longer theirs"
    );
    let n2 = all
        .iter()
        .find(|m| m.recipient == "n2@example.org")
        .expect("n2 mail");
    assert_eq!(
        n2.payload["teams"][0]["path"], "Ops/Desk",
        "the override survived a re-run"
    );
    assert!(
        all.iter()
            .any(|m| m.recipient == "n1@example.org" && m.payload["teams"] == json!([]))
    );
    let sent = app.dispatch_all_pending_emails().await;
    assert!(sent >= 3);
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let sent: N = diesel::sql_query(
        "SELECT count(*) AS n FROM email_outbox WHERE kind = 'champion' AND status = 'sent'",
    )
    .get_result(&mut conn)
    .await
    .expect("n");
    assert_eq!(sent.n, 3, "champion emails render and send");
}
