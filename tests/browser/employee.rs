//! The employee's journey: a private link opened on a phone, answered with the
//! keyboard alone, thanked, reopened and changed.

use std::collections::BTreeMap;

use fantoccini::key::Key;
use serde_json::{Value, json};

use crate::app::spawn_app;
use crate::axe::assert_accessible;
use crate::browser::{Browser, Viewport};

/// The radio group names (`q_<id>`) of the survey, in page order.
async fn question_names(browser: &Browser) -> Vec<String> {
    let names = browser
        .js(
            "return [...document.querySelectorAll('form.survey fieldset.question')] \
             .map(f => f.querySelector('input[type=radio]').name);",
            vec![],
        )
        .await;
    serde_json::from_value(names).expect("question names")
}

/// The checked value of every radio group, `q_<id>` → `"1"`…`"5"` or `""` (no answer).
async fn checked_answers(browser: &Browser) -> BTreeMap<String, String> {
    let checked = browser
        .js(
            "return Object.fromEntries([...document.querySelectorAll( \
             'form.survey input[type=radio]:checked')].map(e => [e.name, e.value]));",
            vec![],
        )
        .await;
    serde_json::from_value(checked).expect("checked answers")
}

/// Whether the focus is on a radio of group `name`.
fn in_group(focused: &Value, name: &str) -> bool {
    focused["type"] == json!("radio") && focused["name"] == json!(name)
}

/// From the focus on group `name`'s checked radio, moves the choice with the Down
/// arrow to `value` (1–5; the groups start on "No answer", after 5, and wrap) and
/// checks that it is focused and checked.
async fn choose(browser: &Browser, name: &str, from: usize, value: usize) {
    // Six radios per group: 1..=5 then "No answer" (index 0 here).
    let presses = (value + 6 - from) % 6;
    browser.press(&vec![Key::Down; presses]).await;
    let focused = browser.focused().await;
    assert!(
        in_group(&focused, name)
            && focused["value"] == json!(value.to_string())
            && focused["checked"] == json!(true),
        "after {presses} × Down in {name}, expected {value} focused and checked; focus: {focused}"
    );
}

/// Tabs to the submit button and presses `key` on it; waits for the thank-you page.
async fn submit_with(browser: &Browser, key: Key) -> String {
    browser
        .tab_until("the submit button", 40, |f| {
            f["tag"] == json!("button") && f["text"] == json!("Save my answers")
        })
        .await;
    browser.press(&[key]).await;
    browser
        .wait_for_text("main h1", "Thank you, your answers are saved")
        .await;
    browser.text("main article").await
}

/// The answer given to the `i`-th statement: every value of the scale occurs.
fn answer_for(i: usize) -> usize {
    i % 5 + 1
}

#[tokio::test]
async fn an_employee_answers_on_a_phone_with_the_keyboard_alone_then_reopens_the_link_and_changes_an_answer()
 {
    let app = spawn_app().await;
    let wave = app.open_wave().await;
    let token = app.link_of(wave, "d1@example.org").await;
    let browser = Browser::start(&app.address, Viewport::Phone).await;
    let link = format!("/s/{token}");

    browser.goto(&link).await;
    browser.wait_for_text("main h1", "New ITSM").await;
    let width = browser.js("return window.innerWidth;", vec![]).await;
    assert_eq!(width, json!(390), "phone viewport");
    assert_accessible(&browser, "the survey", &[]).await;
    let names = question_names(&browser).await;
    assert_eq!(names.len(), 20, "statements on the page");

    // Keyboard only: Tab into each radio group, arrows within it, Tab onwards
    // (past each part's comment box, which stays empty).
    for (i, name) in names.iter().enumerate() {
        let focused = browser
            .tab_until(&format!("statement {}", i + 1), 5, |f| in_group(f, name))
            .await;
        assert_eq!(
            focused["value"],
            json!(""),
            "the focus lands on the checked 'No answer'"
        );
        choose(&browser, name, 0, answer_for(i)).await;
    }
    // For the README: the first screen of the answered survey, not all of its length.
    browser.js("window.scrollTo(0, 0);", vec![]).await;
    browser.save_screenshot("survey-phone.png").await;
    let thanks = submit_with(&browser, Key::Enter).await;
    assert!(
        thanks.contains("You answered 20 of 20 statements about New ITSM."),
        "thank-you page: {thanks}"
    );
    assert!(
        !thanks.contains("change champion"),
        "nothing else was ticked: {thanks}"
    );
    assert_accessible(&browser, "the thank-you page", &[]).await;

    let mut expected: BTreeMap<String, String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), answer_for(i).to_string()))
        .collect();
    browser.goto(&link).await;
    browser
        .wait_for_text("p.notice", "You answered before")
        .await;
    assert_eq!(
        checked_answers(&browser).await,
        expected,
        "saved answers shown"
    );

    // Change the third statement from 3 to 5, and save with Space this time.
    let third = &names[2];
    let focused = browser
        .tab_until("the third statement", 10, |f| in_group(f, third))
        .await;
    assert_eq!(
        focused["value"],
        json!("3"),
        "the focus lands on the saved answer"
    );
    choose(&browser, third, 3, 5).await;
    let thanks = submit_with(&browser, Key::Space).await;
    assert!(
        thanks.contains("You answered 20 of 20"),
        "thank-you page: {thanks}"
    );

    expected.insert(third.clone(), "5".into());
    browser.goto(&link).await;
    browser
        .wait_for_text("p.notice", "You answered before")
        .await;
    assert_eq!(
        checked_answers(&browser).await,
        expected,
        "the change is saved"
    );
    browser.close().await;
}
