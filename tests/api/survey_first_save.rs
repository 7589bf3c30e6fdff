//! The one-statement first answer: answers checked against the template they name must
//! still be refused when the link's wave was sent with another one, and answered marks
//! written by earlier builds (keyed by invitation id) still count.

use changeready::db::models::survey_template::SurveyTemplate;
use changeready::domain::survey_token::SurveyKeys;
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

use crate::helpers::{TestApp, extract_csrf, spawn_app, test_settings};

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Stored {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    responses: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    seals: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    responded: i64,
}

async fn stored(app: &TestApp, wave: i64) -> Stored {
    let mut conn = app.db().await;
    diesel::sql_query(format!(
        "SELECT (SELECT count(*) FROM responses WHERE wave_id = {wave}) AS responses, \
           (SELECT count(*) FROM answered_seals WHERE wave_id = {wave}) AS seals, \
           (SELECT COALESCE(sum(responded), 0)::bigint FROM wave_team_stats WHERE wave_id = {wave}) AS responded"
    ))
    .get_result(&mut conn)
    .await
    .expect("stored")
}

/// A frozen copy of `wave`'s template (as another initiative's launched wave would
/// have); returns its statement ids.
async fn other_frozen_template(app: &TestApp, wave: i64) -> Vec<i64> {
    let mut conn = app.db().await;
    let template: Id = diesel::sql_query(format!(
        "SELECT template_id AS id FROM waves WHERE id = {wave}"
    ))
    .get_result(&mut conn)
    .await
    .expect("template");
    let copy = SurveyTemplate::copy(&mut conn, template.id, "Another initiative's survey", true)
        .await
        .expect("copy");
    let items: Vec<Id> = diesel::sql_query(format!(
        "SELECT id FROM survey_items WHERE template_id = {copy}"
    ))
    .load(&mut conn)
    .await
    .expect("items");
    items.into_iter().map(|i| i.id).collect()
}

/// Posts the answering page of `token` with `fields` and the page's CSRF token.
async fn post_page(
    app: &TestApp,
    token: &str,
    mut fields: Vec<(String, String)>,
) -> reqwest::Response {
    let page = app
        .get(&format!("/s/{token}"))
        .await
        .text()
        .await
        .expect("page");
    fields.push(("csrf_token".to_owned(), extract_csrf(&page)));
    app.client
        .post(format!("{}/s/{token}", app.address))
        .form(&fields)
        .send()
        .await
        .expect("POST")
}

#[tokio::test]
async fn answers_naming_another_frozen_templates_statements_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let token = app.link_of(wave, "d1@example.org").await;
    let foreign = other_frozen_template(&app, wave).await;
    let answers: serde_json::Map<String, Value> = foreign
        .iter()
        .map(|id| (id.to_string(), json!(4)))
        .collect();

    // Twice: once with the other template not cached yet, once with it cached.
    for _ in 0..2 {
        let response = app.post_survey(&token, &json!({"answers": answers})).await;
        assert_eq!(response.status().as_u16(), 422);
        let body: Value = response.json().await.expect("json");
        let field = format!("answers.{}", foreign[0]);
        assert!(
            body["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .any(|e| e["field"] == field.as_str()),
            "{body}"
        );
    }
    let form: Vec<(String, String)> = foreign
        .iter()
        .map(|id| (format!("q_{id}"), "4".to_owned()))
        .collect();
    let response = post_page(&app, &token, form).await;
    assert_eq!(
        response.status().as_u16(),
        422,
        "the form again, with messages"
    );
    assert_eq!(
        stored(&app, wave).await,
        Stored {
            responses: 0,
            seals: 0,
            responded: 0
        }
    );

    app.answer_all(&token, |_| 4).await;
    assert_eq!(
        stored(&app, wave).await,
        Stored {
            responses: 1,
            seals: 1,
            responded: 1
        }
    );
}

#[tokio::test]
async fn an_answered_mark_keyed_by_invitation_id_still_counts_for_reminders_and_at_close() {
    let app = spawn_app().await;
    let (key, _, wave) = app.draft_wave(json!({"reminder_days": [3]})).await;
    app.post_json(&key, &format!("/api/v1/waves/{wave}/launch"), &json!({}))
        .await;
    let mut conn = app.db().await;
    let invitation: invitation_id::Row = diesel::sql_query(format!(
        "SELECT i.id FROM invitations i JOIN people p ON p.id = i.person_id WHERE i.wave_id = {wave} AND p.email = 'd1@example.org'"
    ))
    .get_result(&mut conn)
    .await
    .expect("invitation");
    let keys = SurveyKeys::new(test_settings(&app.db_url).application.secret);
    let [by_link, by_id] = keys.answered_seals_of(invitation.id);
    assert_ne!(by_link, by_id);
    diesel::sql_query(format!(
        "INSERT INTO answered_seals (wave_id, seal, answered_on) VALUES ({wave}, $1, current_date)"
    ))
    .bind::<diesel::sql_types::Bytea, _>(&by_id)
    .execute(&mut conn)
    .await
    .expect("seal of an earlier build");
    let invited: Id = diesel::sql_query(format!(
        "SELECT count(*) AS id FROM invitations WHERE wave_id = {wave}"
    ))
    .get_result(&mut conn)
    .await
    .expect("count");

    app.launched_days_ago(wave, 4).await;
    assert_eq!(
        app.enqueue_due_reminders().await as i64,
        invited.id - 1,
        "no reminder to d1"
    );
    app.post_json(&key, &format!("/api/v1/waves/{wave}/close"), &json!({}))
        .await;

    let answered: Vec<invitation_id::Row> = diesel::sql_query(format!(
        "SELECT id FROM invitations WHERE wave_id = {wave} AND answered"
    ))
    .load(&mut conn)
    .await
    .expect("answered");
    assert_eq!(
        answered.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![invitation.id]
    );
}

mod invitation_id {
    #[derive(diesel::QueryableByName)]
    pub struct Row {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        pub id: uuid::Uuid,
    }
}

#[tokio::test]
async fn answering_again_through_the_page_replaces_the_answers_and_their_figures() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let token = app.link_of(wave, "d1@example.org").await;
    let first_q = app.questions(&token).await[0].0;
    for value in ["2", "5"] {
        let response = post_page(
            &app,
            &token,
            vec![(format!("q_{first_q}"), value.to_owned())],
        )
        .await;
        assert_eq!(response.status().as_u16(), 200, "saved {value}");
    }
    let page = app
        .get(&format!("/s/{token}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        page.contains(&format!("name=\"q_{first_q}\" value=\"5\" checked")),
        "the edit is shown"
    );
    assert_eq!(
        stored(&app, wave).await,
        Stored {
            responses: 1,
            seals: 1,
            responded: 1
        }
    );
    let sum = app
        .number(&format!(
            "SELECT sum(sum_awareness) FROM wave_team_stats WHERE wave_id = {wave}"
        ))
        .await;
    assert_eq!(sum, 5.0, "the team's figures hold the new answer only");
}
