//! The answering page, and what a save may not touch.

use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde_json::json;

use crate::helpers::{extract_csrf, spawn_app};

#[tokio::test]
async fn saving_an_answer_never_writes_or_locks_the_invitation_and_close_marks_it() {
    let app = spawn_app().await;
    let (key, wave) = app.open_wave().await;
    let token = app.link_of(wave, "d2@example.org").await;
    let mut conn = app.db().await;
    #[derive(QueryableByName, PartialEq, Debug)]
    struct Meta {
        #[diesel(sql_type = diesel::sql_types::Text)]
        xmin: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        xmax: String,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        answered: bool,
    }
    let sql = format!(
        "SELECT i.xmin::text AS xmin, i.xmax::text AS xmax, i.answered FROM invitations i JOIN people p ON p.id = i.person_id WHERE i.wave_id = {wave} AND p.email = 'd2@example.org'"
    );
    let before: Meta = diesel::sql_query(&sql)
        .get_result(&mut conn)
        .await
        .expect("meta");

    app.answer_all(&token, |_| 4).await;
    app.answer_all(&token, |_| 3).await;
    let after: Meta = diesel::sql_query(&sql)
        .get_result(&mut conn)
        .await
        .expect("meta");
    app.post_json(&key, &format!("/api/v1/waves/{wave}/close"), &json!({}))
        .await;
    let closed: Meta = diesel::sql_query(&sql)
        .get_result(&mut conn)
        .await
        .expect("meta");

    assert_eq!(
        before, after,
        "xmin/xmax unchanged: the save did not touch the invitation"
    );
    assert!(!after.answered);
    assert!(closed.answered, "marked at close");
    #[derive(QueryableByName)]
    struct Cols {
        #[diesel(sql_type = diesel::sql_types::Text)]
        column_name: String,
    }
    let columns: Vec<Cols> = diesel::sql_query(
        "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'responses'",
    )
    .load(&mut conn)
    .await
    .expect("columns");
    for c in &columns {
        assert!(
            ![
                "invitation_id",
                "person_id",
                "token_hash",
                "created_at",
                "email"
            ]
            .contains(&c.column_name.as_str()),
            "{}",
            c.column_name
        );
    }
    #[derive(QueryableByName)]
    struct Shared {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let shared: Shared = diesel::sql_query("SELECT count(*) AS n FROM responses r JOIN invitations i ON i.token_hash = r.response_key OR i.id = r.id").get_result(&mut conn).await.expect("shared");
    assert_eq!(
        shared.n, 0,
        "no shared value between response and invitation"
    );
    let seals: Shared = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM answered_seals WHERE wave_id = {wave}"
    ))
    .get_result(&mut conn)
    .await
    .expect("seals");
    assert_eq!(seals.n, 0, "the sealed list is gone after close");
}

#[tokio::test]
async fn the_answering_page_works_without_javascript_and_shows_saved_answers() {
    let app = spawn_app().await;
    let (_, wave) = app.open_wave().await;
    let token = app.link_of(wave, "f1@example.org").await;
    let html = app
        .get(&format!("/s/{token}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        html.contains("<fieldset class=\"element\"")
            && html.contains("<legend><span class=\"part\">Part 1 of 5</span> Awareness</legend>")
    );
    assert!(html.contains("Strongly disagree") && html.contains("anonymous"));
    let first_q = app.questions(&token).await[0].0;
    let csrf = extract_csrf(&html);

    let bad = app
        .client
        .post(format!("{}/s/{token}", app.address))
        .form(&[
            ("csrf_token", csrf.as_str()),
            (&format!("q_{first_q}"), "9"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(bad.status().as_u16(), 422);
    assert!(
        bad.text()
            .await
            .expect("body")
            .contains("Nothing was saved")
    );
    let saved = app
        .client
        .post(format!("{}/s/{token}", app.address))
        .form(&[
            ("csrf_token", csrf.as_str()),
            (&format!("q_{first_q}"), "2"),
            ("comment_desire", "More training please"),
            ("champion_opt_in", "1"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(saved.status().as_u16(), 200);
    assert!(
        saved
            .text()
            .await
            .expect("body")
            .contains("change your answers with the same link")
    );

    let again = app
        .get(&format!("/s/{token}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        again.contains(&format!("name=\"q_{first_q}\" value=\"2\" checked")),
        "saved answer shown"
    );
    assert!(again.contains("More training please") && again.contains("You answered before"));
    let without_csrf = app
        .client
        .post(format!("{}/s/{token}", app.address))
        .form(&[(format!("q_{first_q}"), "3")])
        .send()
        .await
        .expect("POST");
    assert_eq!(without_csrf.status().as_u16(), 403);
}
