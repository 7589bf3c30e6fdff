//! Statements as data (rules §1): the default survey, an initiative's own edited copy,
//! and the frozen version a launched wave keeps.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::spawn_app;

/// `(element, text)` of each question of a survey body, and the count per element.
fn statements(survey: &Value) -> (Vec<(String, String)>, BTreeMap<String, usize>) {
    let list: Vec<(String, String)> = survey["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| {
            (
                q["element"].as_str().expect("element").to_owned(),
                q["text"].as_str().expect("text").to_owned(),
            )
        })
        .collect();
    let mut per_element = BTreeMap::new();
    for (element, _) in &list {
        *per_element.entry(element.clone()).or_default() += 1;
    }
    (list, per_element)
}

#[tokio::test]
async fn edited_and_added_statements_go_out_with_a_wave_and_later_edits_do_not_reach_it() {
    let app = spawn_app().await;
    let (key, initiative, wave) = app.draft_wave(json!({})).await;
    app.login_as("practitioner").await;
    let base = format!("/initiatives/{initiative}/survey");
    let customised = app.post_form(&format!("{base}/customise"), &[]).await;
    assert_eq!(customised.status().as_u16(), 303);
    let own = app
        .number(&format!(
            "SELECT template_id FROM initiatives WHERE id = {initiative}"
        ))
        .await;
    let item = app
        .number(&format!(
            "SELECT id FROM survey_items WHERE template_id = {own} \
             AND element = 'awareness' AND position = 1"
        ))
        .await;
    let edit = format!("{base}/items/{item}");
    let edited = app.post_form(&edit, &[("text", "Edited wording")]).await;
    let added = app
        .post_form(
            &format!("{base}/items"),
            &[("element", "ability"), ("text", "I have the access I need")],
        )
        .await;
    assert_eq!(
        (edited.status().as_u16(), added.status().as_u16()),
        (303, 303)
    );
    let languages = app
        .number(&format!(
            "SELECT count(*) FROM survey_item_texts t JOIN survey_items i ON i.id = t.item_id \
             WHERE i.template_id = {own} AND t.language = 'en'"
        ))
        .await;
    assert_eq!(languages, 21.0, "each text carries its language code");

    let launch = app
        .post_json(&key, &format!("/api/v1/waves/{wave}/launch"), &json!({}))
        .await;
    assert_eq!(launch.status().as_u16(), 202);
    let token = app.link_of(wave, "d1@example.org").await;
    let (sent, per_element) = statements(&app.survey_json(&token).await);
    assert_eq!(sent.len(), 21);
    assert_eq!(
        per_element.values().copied().collect::<Vec<_>>(),
        [5, 4, 4, 4, 4],
        "ability, awareness, desire, knowledge, reinforcement: {per_element:?}"
    );
    assert_eq!(
        sent[0],
        ("awareness".to_owned(), "Edited wording".to_owned())
    );
    assert!(sent.contains(&("ability".to_owned(), "I have the access I need".to_owned())));

    let later = app.post_form(&edit, &[("text", "Later wording")]).await;
    assert_eq!(later.status().as_u16(), 303);
    let (kept, _) = statements(&app.survey_json(&token).await);
    assert_eq!(
        kept, sent,
        "the launched wave keeps the version it was sent with"
    );
    let page = app.get(&base).await.text().await.expect("body");
    assert!(
        page.contains("Later wording"),
        "the initiative's copy changed"
    );

    let default_texts = app
        .number(
            "SELECT count(*) FROM survey_item_texts t JOIN survey_items i ON i.id = t.item_id \
             WHERE i.template_id = 1 AND t.text IN ('Edited wording', 'Later wording')",
        )
        .await;
    assert_eq!(default_texts, 0.0, "the default statements are untouched");
}

#[tokio::test]
async fn removing_a_statement_asks_once_and_only_the_post_removes_it() {
    let app = spawn_app().await;
    let (_, initiative, _) = app.draft_wave(json!({})).await;
    app.login_as("practitioner").await;
    let base = format!("/initiatives/{initiative}/survey");
    let customised = app.post_form(&format!("{base}/customise"), &[]).await;
    assert_eq!(customised.status().as_u16(), 303);
    let own = format!("(SELECT template_id FROM initiatives WHERE id = {initiative})");
    let item = app
        .number(&format!(
            "SELECT id FROM survey_items WHERE template_id = {own} \
             AND element = 'desire' AND position = 2"
        ))
        .await;
    let count = format!("SELECT count(*) FROM survey_items WHERE template_id = {own}");
    let remove = format!("{base}/items/{item}/remove");

    let list = app.get(&base).await.text().await.expect("body");
    assert!(
        list.contains(&format!("href=\"{remove}\"")),
        "linked from the list"
    );
    let asked = app.get(&remove).await;
    assert_eq!(asked.status().as_u16(), 200);
    let html = asked.text().await.expect("body");
    assert!(html.contains("Remove this statement?") && html.contains("<p>Desire:</p>"));
    assert!(html.contains(&format!("<form method=\"post\" action=\"{remove}\">")));
    assert_eq!(app.number(&count).await, 20.0, "asking removes nothing");

    let removed = app.post_form(&remove, &[]).await;
    assert_eq!(removed.status().as_u16(), 303);
    assert_eq!(app.number(&count).await, 19.0);
    assert_eq!(app.get(&remove).await.status().as_u16(), 404, "gone");
}
