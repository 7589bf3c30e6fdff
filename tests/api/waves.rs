//! Initiatives and waves through the API and pages.

use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn count(app: &crate::helpers::TestApp, sql: &str) -> i64 {
    let mut conn = app.db().await;
    diesel::sql_query(sql)
        .get_result::<N>(&mut conn)
        .await
        .expect(sql)
        .n
}

#[tokio::test]
async fn an_initiative_needs_a_name_and_the_error_names_the_field() {
    let app = spawn_app().await;
    let key = app.api_key("practitioner").await;

    let missing = app
        .post_json(&key, "/api/v1/initiatives", &json!({"description": "x"}))
        .await;
    let blank = app
        .post_json(&key, "/api/v1/initiatives", &json!({"name": "  "}))
        .await;
    let ok = app
        .post_json(
            &key,
            "/api/v1/initiatives",
            &json!({"name": "New ITSM", "description": "Why"}),
        )
        .await;

    assert_eq!(missing.status().as_u16(), 422);
    assert!(missing.text().await.expect("body").contains("name"));
    assert_eq!(blank.status().as_u16(), 422);
    let body: Value = blank.json().await.expect("json");
    assert_eq!(body["errors"][0]["field"], "name");
    assert_eq!(ok.status().as_u16(), 201);
    assert!(ok.json::<Value>().await.expect("json")["id"].is_i64());
}

#[tokio::test]
async fn wave_settings_are_validated_field_by_field() {
    let app = spawn_app().await;
    let (key, initiative, _) = app.draft_wave(json!({})).await;
    let future = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let cases = [
        (
            json!({"name": "W", "closes_at": future, "min_group_size": 2}),
            "min_group_size",
        ),
        (
            json!({"name": "W", "closes_at": "2001-01-01T00:00:00Z"}),
            "closes_at",
        ),
        (
            json!({"name": "W", "closes_at": "next tuesday"}),
            "closes_at",
        ),
        (json!({"name": "", "closes_at": future}), "name"),
        (
            json!({"name": "W", "closes_at": future, "team_ids": [999999]}),
            "team_ids",
        ),
        (
            json!({"name": "W", "closes_at": future, "reminder_days": [0]}),
            "reminder_days",
        ),
    ];
    let before = count(&app, "SELECT count(*) AS n FROM waves").await;
    for (body, field) in cases {
        let response = app
            .post_json(
                &key,
                &format!("/api/v1/initiatives/{initiative}/waves"),
                &body,
            )
            .await;
        assert_eq!(response.status().as_u16(), 422, "{body}");
        let errors: Value = response.json().await.expect("json");
        assert!(
            errors["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .any(|e| e["field"] == field),
            "{field}: {errors}"
        );
    }
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM waves").await,
        before,
        "nothing created"
    );
}

#[tokio::test]
async fn launching_invites_everyone_once_snapshots_teams_and_queues_one_email_each() {
    let app = spawn_app().await;
    let (key, _, wave) = app.draft_wave(json!({})).await;

    let launch = app
        .post_json(&key, &format!("/api/v1/waves/{wave}/launch"), &json!({}))
        .await;
    let again = app
        .post_json(&key, &format!("/api/v1/waves/{wave}/launch"), &json!({}))
        .await;

    assert_eq!(launch.status().as_u16(), 202);
    assert_eq!(
        launch.json::<Value>().await.expect("json"),
        json!({"status": "open", "invited": 12})
    );
    assert_eq!(again.status().as_u16(), 409);
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) AS n FROM invitations WHERE wave_id = {wave}")
        )
        .await,
        12
    );
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM email_outbox WHERE wave_id = {wave} AND kind = 'invitation'")).await, 12);
    let status: Value = app
        .get_json(&key, &format!("/api/v1/waves/{wave}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(status["status"], "open");
    assert_eq!(status["invited"], 12);
    assert_eq!(status["responded"], 0);
    assert_eq!(status["emails"]["queued"], 12);
}

#[tokio::test]
async fn a_wave_for_chosen_teams_invites_their_sub_teams_and_only_active_people() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;
    app.put_people(&key, crate::wave_helpers::ORG, false).await;
    let ops: i64 = count(&app, "SELECT id AS n FROM teams WHERE path = 'Ops'").await;
    let (_, _, wave) = app.draft_wave(json!({"team_ids": [ops]})).await;
    let mut conn = app.db().await;
    diesel::sql_query("UPDATE people SET active = FALSE WHERE email = 'd6@example.org'")
        .execute(&mut conn)
        .await
        .expect("deactivate");

    let launch: Value = app
        .post_json(&key, &format!("/api/v1/waves/{wave}/launch"), &json!({}))
        .await
        .json()
        .await
        .expect("json");

    assert_eq!(
        launch["invited"], 10,
        "Ops + Desk + Network, minus the inactive person, not Finance"
    );
}

#[tokio::test]
async fn closing_stops_answers_and_a_draft_cannot_be_closed() {
    let app = spawn_app().await;
    let (key, _, draft) = app.draft_wave(json!({})).await;
    assert_eq!(
        app.post_json(&key, &format!("/api/v1/waves/{draft}/close"), &json!({}))
            .await
            .status()
            .as_u16(),
        409
    );
    app.post_json(&key, &format!("/api/v1/waves/{draft}/launch"), &json!({}))
        .await;
    let token = app.link_of(draft, "d1@example.org").await;

    let close = app
        .post_json(&key, &format!("/api/v1/waves/{draft}/close"), &json!({}))
        .await;

    assert_eq!(
        close.json::<Value>().await.expect("json"),
        json!({"status": "closed"})
    );
    assert_eq!(post_empty(&app, &token).await, 410);
    let page = app.get(&format!("/s/{token}")).await;
    assert_eq!(page.status().as_u16(), 410);
    assert!(
        page.text()
            .await
            .expect("body")
            .contains("This survey has closed")
    );
}

#[tokio::test]
async fn a_wave_closes_itself_after_its_close_time() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let token = app.link_of(wave, "d1@example.org").await;
    assert_eq!(app.answer_all(&token, |_| 4).await.status().as_u16(), 200);
    let mut conn = app.db().await;
    diesel::sql_query(format!(
        "UPDATE waves SET closes_at = now() - interval '1 minute' WHERE id = {wave}"
    ))
    .execute(&mut conn)
    .await
    .expect("expire");

    assert_eq!(
        post_empty(&app, &token).await,
        410,
        "refused from closes_at on"
    );
    let keys = changeready::domain::survey_token::SurveyKeys::new(
        crate::helpers::test_settings(&app.db_url)
            .application
            .secret,
    );
    let closed = changeready::services::wave_lifecycle::close_overdue_waves(&mut conn, &keys)
        .await
        .expect("close");

    assert_eq!(closed, 1);
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) AS n FROM waves WHERE id = {wave} AND status = 'closed'")
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_sponsor_reads_only_waves_of_initiatives_they_sponsor() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let sponsor_key = app.api_key("sponsor").await;

    let other = app
        .get_json(&sponsor_key, &format!("/api/v1/waves/{wave}"))
        .await;
    let launch = app
        .post_json(
            &sponsor_key,
            &format!("/api/v1/waves/{wave}/close"),
            &json!({}),
        )
        .await;

    assert_eq!(
        other.status().as_u16(),
        404,
        "another initiative's wave is not revealed"
    );
    assert_eq!(launch.status().as_u16(), 403);
    let mut conn = app.db().await;
    diesel::sql_query(format!(
        "INSERT INTO initiative_members (initiative_id, user_id, member_role) \
         SELECT w.initiative_id, k.user_id, 'sponsor' FROM waves w, api_keys k WHERE w.id = {wave} AND k.id = (SELECT max(id) FROM api_keys)"
    ))
    .execute(&mut conn)
    .await
    .expect("make sponsor");
    assert_eq!(
        app.get_json(&sponsor_key, &format!("/api/v1/waves/{wave}"))
            .await
            .status()
            .as_u16(),
        200
    );
}

async fn post_empty(app: &crate::helpers::TestApp, token: &str) -> u16 {
    app.client
        .post(format!("{}/api/v1/survey/{token}", app.address))
        .json(&json!({"answers": {}}))
        .send()
        .await
        .expect("POST")
        .status()
        .as_u16()
}
