//! Rules §4: the rows of a dump do not pair responses with invitations by their order,
//! their ids or the transaction that wrote them.

use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    v: String,
}

/// The one text column `v` of each row `sql` selects.
async fn texts(app: &TestApp, sql: &str) -> Vec<String> {
    diesel::sql_query(sql)
        .load::<Row>(&mut app.db().await)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .map(|r| r.v)
        .collect()
}

#[tokio::test]
async fn neither_answered_marks_nor_response_ids_follow_the_order_of_the_answers() {
    let app = spawn_app().await;
    let (key, wave) = app.open_wave().await;
    // Not the order of the import (nor its reverse): the order people answer in.
    let answered_in = [
        "n2", "d4", "f1", "o1", "d6", "n1", "d1", "o2", "d3", "n3", "d5", "d2",
    ]
    .map(|who| format!("{who}@example.org"));
    for email in &answered_in {
        let token = app.link_of(wave, email).await;
        assert_eq!(app.answer_all(&token, |_| 4).await.status().as_u16(), 200);
    }
    let closed = app
        .post_json(&key, &format!("/api/v1/waves/{wave}/close"), &json!({}))
        .await;
    assert_eq!(closed.status().as_u16(), 200);

    let marks_in_dump_order = texts(
        &app,
        &format!(
            "SELECT p.email AS v FROM invitations i JOIN people p ON p.id = i.person_id \
             WHERE i.wave_id = {wave} AND i.answered ORDER BY i.ctid"
        ),
    )
    .await;
    assert_eq!(marks_in_dump_order.len(), answered_in.len(), "all marked");
    assert_ne!(
        marks_in_dump_order, answered_in,
        "the answered marks are not written in the order of the answers"
    );
    let writers = texts(
        &app,
        &format!(
            "SELECT DISTINCT xmin::text AS v FROM invitations \
             WHERE wave_id = {wave} AND answered"
        ),
    )
    .await;
    assert_eq!(writers.len(), 1, "one transaction marks them all, at close");

    let responses_in_dump_order = texts(
        &app,
        &format!("SELECT id::text AS v FROM responses WHERE wave_id = {wave} ORDER BY ctid"),
    )
    .await;
    let mut by_id = responses_in_dump_order.clone();
    by_id.sort();
    assert_eq!(by_id.len(), answered_in.len());
    assert_ne!(
        by_id, responses_in_dump_order,
        "response ids are random, not in the order the answers came"
    );
}
