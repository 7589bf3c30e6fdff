//! The practitioner's journey through the pages: sign in, import people, create an
//! initiative and a wave, launch it, watch the progress, read the heatmap and propose
//! change champions.

use std::io::Write;

use crate::app::{PASSWORD, TestApp, spawn_app};
use crate::axe::assert_accessible;
use crate::browser::{Browser, Viewport};
use crate::results::read_heatmap;
use crate::waves::ORG;

/// Signs in through `/login` (checked with axe on the way) and waits for the start page.
pub async fn sign_in(browser: &Browser, email: &str, password: &str) {
    browser.goto("/login").await;
    browser.wait_for_text("main h1", "Sign in").await;
    assert_accessible(browser, "the login page", &[]).await;
    browser.fill("#email", email).await;
    browser.fill("#password", password).await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text("main h1", "Welcome").await;
    assert_eq!(browser.path().await, "/");
}

/// Uploads `csv` as a file through the `/people/import` form; returns the summary.
async fn import_people(browser: &Browser, csv: &str) -> String {
    let mut file = tempfile::Builder::new()
        .prefix("people-")
        .suffix(".csv")
        .tempfile()
        .expect("temp CSV");
    file.write_all(csv.as_bytes()).expect("write CSV");
    browser.goto("/people/import").await;
    let path = file.path().to_str().expect("UTF-8 temp path");
    browser
        .find("input#file[type=file]")
        .await
        .send_keys(path)
        .await
        .expect("choose file");
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text("main", "Import finished").await;
    browser.text("main article.success").await
}

/// Creates an initiative from `/initiatives`; returns its id.
async fn create_initiative(browser: &Browser, name: &str, description: &str) -> i64 {
    browser.goto("/initiatives").await;
    browser.fill("#name", name).await;
    browser.fill("#description", description).await;
    browser
        .click("main form[action='/initiatives'] button[type=submit]")
        .await;
    let path = browser
        .wait_for_path("the new initiative's page", |p| {
            p.starts_with("/initiatives/")
        })
        .await;
    browser.wait_for_text("main h1", name).await;
    browser.wait_for_text("p.flash", "Initiative created").await;
    id_from(&path)
}

/// The number at the end of `path`.
pub fn id_from(path: &str) -> i64 {
    let last = path.rsplit('/').next().unwrap_or_default();
    last.parse()
        .unwrap_or_else(|_| panic!("no id at the end of {path}"))
}

/// Types `date` (`YYYY-MM-DD`) into the date input `selector` the way a person does:
/// its digits, in the order the browser's locale shows the parts.
async fn type_date(browser: &Browser, selector: &str, date: chrono::NaiveDate) {
    let order = browser
        .js(
            "return new Intl.DateTimeFormat(navigator.language, \
             {year: 'numeric', month: '2-digit', day: '2-digit'}) \
             .formatToParts(new Date()).filter(p => p.type !== 'literal').map(p => p.type);",
            vec![],
        )
        .await;
    let digits: String = order
        .as_array()
        .expect("date parts")
        .iter()
        .map(|part| match part.as_str() {
            Some("year") => date.format("%Y").to_string(),
            Some("month") => date.format("%m").to_string(),
            _ => date.format("%d").to_string(),
        })
        .collect();
    let input = browser.find(selector).await;
    input.send_keys(&digits).await.expect("type the date");
    let value = input.prop("value").await.expect("date value");
    let iso = date.format("%Y-%m-%d").to_string();
    assert_eq!(
        value.as_deref(),
        Some(iso.as_str()),
        "typed {digits} in order {order}"
    );
}

/// Opens the wave form on the initiative's page, fills it and creates a draft wave
/// closing on `closes`; returns the wave's id.
async fn create_wave(browser: &Browser, name: &str, closes: chrono::NaiveDate) -> i64 {
    browser.click("details > summary").await;
    browser.fill("#wave-name", name).await;
    type_date(browser, "#closes-at", closes).await;
    browser
        .click("form[action$='/waves'] button[type=submit]")
        .await;
    let path = browser
        .wait_for_path("the new wave's page", |p| p.starts_with("/waves/"))
        .await;
    browser.wait_for_text("p.flash", "Draft wave created").await;
    browser.wait_for_text("main", "Status: draft").await;
    id_from(&path)
}

/// Ticks the confirmation on the wave page and launches the wave.
async fn launch_wave(browser: &Browser) -> String {
    browser.click("#launch-form input[name=confirm]").await;
    browser.click("#launch-form button[type=submit]").await;
    browser.wait_for_text("p.flash", "Wave launched").await
}

/// Opens the results page of wave `wave_id` and returns the summary under its title.
pub async fn open_results(browser: &Browser, wave_id: i64) -> String {
    browser.goto(&format!("/waves/{wave_id}/results")).await;
    browser.wait_for_text("main h1", "Results: ").await;
    browser.text("main h1 + p").await
}

/// The emails' `<progress>`: (value, max).
async fn email_progress(browser: &Browser) -> (String, String) {
    let bar = browser
        .find("progress[aria-label='Emails processed']")
        .await;
    let value = bar.attr("value").await.expect("value").unwrap_or_default();
    let max = bar.attr("max").await.expect("max").unwrap_or_default();
    (value, max)
}

#[tokio::test]
async fn a_practitioner_imports_people_launches_a_wave_watches_it_progress_and_reads_its_heatmap_and_champions()
 {
    let app: TestApp = spawn_app().await;
    let email = app.add_user("practitioner").await;
    let browser = Browser::start(&app.address, Viewport::Desktop).await;

    sign_in(&browser, &email, PASSWORD).await;
    let summary = import_people(&browser, ORG).await;
    assert!(
        summary.contains("12 people in the file: 12 created, 0 updated, 0 deactivated"),
        "import summary: {summary}"
    );

    let initiative =
        create_initiative(&browser, "New ITSM", "One service desk tool for everyone.").await;
    browser.goto("/initiatives").await;
    browser.wait_for_text("ul.cards", "New ITSM").await;
    assert_accessible(&browser, "the initiatives page", &[]).await;
    browser
        .click(&format!("ul.cards a[href='/initiatives/{initiative}']"))
        .await;
    browser.wait_for_text("main h1", "New ITSM").await;

    let closes = (chrono::Utc::now() + chrono::Duration::days(10)).date_naive();
    let wave = create_wave(&browser, "Wave 1: before go-live", closes).await;
    let status = browser.text("main h1 + p").await;
    assert!(
        status.contains(&closes.format("closes %Y-%m-%d 23:59 UTC").to_string()),
        "{status}"
    );
    assert_accessible(&browser, "the draft wave page", &[]).await;

    let flash = launch_wave(&browser).await;
    assert!(
        flash.contains("Wave launched: 12 people invited"),
        "flash: {flash}"
    );
    browser.wait_for_text("main", "Status: open").await;
    // The email worker does not run in tests: every invitation waits to be sent.
    let emails = browser
        .wait_for_text("main section", "0 sent, 12 waiting, 0 failed, of 12.")
        .await;
    assert!(emails.contains("Sending…"), "sending shown: {emails}");
    assert_eq!(email_progress(&browser).await, ("0".into(), "12".into()));
    assert_accessible(&browser, "the open wave page", &[]).await;

    let token = app.link_of(wave, "n2@example.org").await;
    app.answer_all_by_api(&token, 4).await;
    browser.goto(&format!("/waves/{wave}")).await;
    let progress = browser.wait_for_text("main", "Responses").await;
    assert!(
        progress.contains("1 of 12 invited have answered (8%)"),
        "wave page: {progress}"
    );
    let rate = browser.find("progress[aria-label='Response rate']").await;
    assert_eq!(rate.attr("value").await.expect("value"), Some("1".into()));

    // Desk (5 of 6, all at 2: a barrier) is shown; so is Ops, as its other responses
    // (2 direct, 3 from Network) reach 5. Network (3) and Finance (0) stay hidden.
    answer_the_rest(&app, wave).await;
    let summary = open_results(&browser, wave).await;
    assert!(summary.starts_with("10 of 12 answered (83%)"), "{summary}");
    let heatmap = read_heatmap(&browser).await;
    let names: Vec<&str> = heatmap.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.len(), 5, "organisation and four teams: {names:?}");
    for shown in ["Whole organisation", "Ops", "Desk"] {
        assert_eq!(heatmap.row(shown).hidden, None, "{shown} is shown");
    }
    for hidden in ["Network", "Finance"] {
        let text = heatmap.row(hidden).hidden.clone().unwrap_or_default();
        assert!(text.contains("fewer responses"), "{hidden}: {text}");
    }
    assert!(heatmap.row("Desk").hotspot, "Desk is a hotspot team");
    browser.wait_for_text("ol.hotspots", "Ops/Desk").await;
    assert_accessible(&browser, "the results page", &[]).await;

    browser
        .click(&format!("main a[href='/waves/{wave}/champions']"))
        .await;
    browser.wait_for_text("main h1", "Change champions").await;
    browser
        .click("form[action$='/champions/assign'] button[type=submit]")
        .await;
    let flash = browser.wait_for_text("p.flash", "Proposed:").await;
    assert!(flash.contains("1 team(s) covered, 0 uncovered"), "{flash}");
    let assignment = browser.wait_for_text("main table", "Ops/Desk").await;
    assert!(
        assignment.contains("O1"),
        "the volunteer covers Desk: {assignment}"
    );
    assert_accessible(&browser, "the champions page", &[]).await;
    browser.goto("/docs/api").await;
    assert_accessible(&browser, "the API reference", &[]).await;
    browser.close().await;
}

/// Nine more answers: Desk d1–d5 low, Ops and Network high; o1 volunteers as a
/// change champion.
async fn answer_the_rest(app: &TestApp, wave: i64) {
    let answers = [
        ("o1", 5),
        ("o2", 4),
        ("n1", 4),
        ("n3", 5),
        ("d1", 2),
        ("d2", 2),
        ("d3", 2),
        ("d4", 2),
        ("d5", 2),
    ];
    for (who, value) in answers {
        let token = app.link_of(wave, &format!("{who}@example.org")).await;
        app.answer_by_api(&token, value, who == "o1").await;
    }
}
