//! The answering page with bad input: the form again with messages and with what the
//! person entered, nothing stored; and unknown links explained in JSON too.

use serde_json::{Value, json};

use crate::helpers::{TestApp, extract_csrf, spawn_app};

/// Posts the answering form of `token` with a fresh CSRF token and `fields`.
async fn post_page(app: &TestApp, token: &str, fields: &[(String, String)]) -> (u16, String) {
    let html = app
        .get(&format!("/s/{token}"))
        .await
        .text()
        .await
        .expect("body");
    let mut form = vec![("csrf_token".to_owned(), extract_csrf(&html))];
    form.extend_from_slice(fields);
    let response = app
        .client
        .post(format!("{}/s/{token}", app.address))
        .form(&form)
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn a_refused_page_post_keeps_what_was_entered_names_the_problem_and_stores_nothing() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let token = app.link_of(wave, "d2@example.org").await;
    let questions = app.questions(&token).await;
    let (first, second) = (questions[0].0, questions[1].0);
    let kept_answer = (format!("q_{second}"), "4".to_owned());
    let kept_comment = (
        "comment_ability".to_owned(),
        "Need practice time".to_owned(),
    );
    let cases = [
        (
            format!("q_{first}"),
            "9".to_owned(),
            format!("answers.{first}"),
        ),
        (
            "q_999999".to_owned(),
            "3".to_owned(),
            "answers.999999".to_owned(),
        ),
        (
            "comment_desire".to_owned(),
            "y".repeat(2001),
            "comments.desire".to_owned(),
        ),
    ];

    for (name, value, field) in cases {
        let fields = [
            (name.clone(), value.clone()),
            kept_answer.clone(),
            kept_comment.clone(),
            ("champion_opt_in".to_owned(), "1".to_owned()),
        ];
        let (status, html) = post_page(&app, &token, &fields).await;

        assert_eq!(status, 422, "{field}");
        assert!(html.contains("Nothing was saved"), "{field}");
        assert!(html.contains(&format!("<li>{field}: ")), "{field} named");
        assert!(
            html.contains(&format!("name=\"q_{second}\" value=\"4\" checked")),
            "{field}: the valid answer is still chosen"
        );
        assert!(html.contains("Need practice time"), "{field}: comment kept");
        assert!(
            html.contains("name=\"champion_opt_in\" value=\"1\" checked"),
            "{field}: the opt-in is still ticked"
        );
        assert!(!html.contains("You answered before"), "{field}");
    }
    let (_, long) = post_page(
        &app,
        &token,
        &[("comment_desire".to_owned(), "z".repeat(2001))],
    )
    .await;
    assert!(
        long.contains(&"z".repeat(2001)),
        "an over-long comment comes back to be shortened"
    );

    let stored = app
        .number(&format!(
            "SELECT count(*) FROM responses WHERE wave_id = {wave}"
        ))
        .await;
    let counted = app
        .number(&format!(
            "SELECT sum(responded) FROM wave_team_stats WHERE wave_id = {wave}"
        ))
        .await;
    let optins = app.number("SELECT count(*) FROM champion_optins").await;
    assert_eq!((stored, counted, optins), (0.0, 0.0, 0.0), "nothing stored");

    let (status, thanks) = post_page(&app, &token, std::slice::from_ref(&kept_answer)).await;
    assert_eq!(status, 200);
    assert!(thanks.contains("<strong>anonymous</strong>"));
    assert!(thanks.contains("change your answers with the same link until"));
}

#[tokio::test]
async fn an_unknown_link_says_in_json_that_the_link_is_not_valid() {
    let app = spawn_app().await;
    let well_formed = "A".repeat(43);
    for token in [well_formed.as_str(), "short"] {
        let shown = app
            .client
            .get(format!("{}/api/v1/survey/{token}", app.address))
            .send()
            .await
            .expect("GET");
        let saved = app.post_survey(token, &json!({"answers": {}})).await;
        for response in [shown, saved] {
            assert_eq!(response.status().as_u16(), 404, "{token}");
            let body: Value = response.json().await.expect("json");
            assert!(
                body["error"]
                    .as_str()
                    .is_some_and(|e| e.contains("survey link is not valid")),
                "{token}: {body}"
            );
        }
    }
}
