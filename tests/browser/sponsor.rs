//! The sponsor's journey over the demo data: only the initiative they sponsor is
//! listed, its open wave's heatmap and hotspots, the printable one-pager; another
//! initiative and the champions page stay closed to them.

use std::time::Instant;

use changeready::domain::survey_token::SurveyKeys;
use changeready::services::demo::{DEMO_INITIATIVE, SPONSOR_EMAIL, load_demo};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use crate::app::{TestApp, spawn_app, test_settings};
use crate::axe::assert_accessible;
use crate::browser::{Browser, Viewport};
use crate::practitioner::sign_in;
use crate::results::{
    assert_print_keeps_only_the_report, read_heatmap, scroll_to_heatmap, team_link,
};

/// Loads the demo into the test's database, as `changeready demo` does; returns the
/// sponsor's new password.
async fn load_the_demo(app: &TestApp) -> String {
    let keys = SurveyKeys::new(test_settings(&app.db_url).application.secret);
    let started = Instant::now();
    let summary = load_demo(&mut app.db().await, &keys)
        .await
        .expect("load the demo");
    eprintln!("demo loaded in {:.1?}", started.elapsed());
    let (sponsor, _) = summary.passwords.expect("a first load sets new passwords");
    sponsor.expose_secret().to_owned()
}

/// The rows of the waves table on an initiative's page: name, status and the
/// address of its "Heatmap" link (none for a draft).
async fn wave_rows(browser: &Browser) -> Vec<Value> {
    browser.find("main table:not(.trend) tbody tr").await;
    let rows = browser
        .js(
            "return [...document.querySelectorAll('main table:not(.trend) tbody tr')].map(r => ({ \
             name: r.cells[0].textContent.trim(), status: r.cells[1].textContent.trim(), \
             heatmap: [...r.querySelectorAll('a')].find(a => a.textContent.trim() === 'Heatmap') \
               ?.getAttribute('href') ?? null}));",
            vec![],
        )
        .await;
    rows.as_array().cloned().unwrap_or_default()
}

/// How many elements match `selector` on the current page.
async fn count(browser: &Browser, selector: &str) -> Value {
    let script = "return document.querySelectorAll(arguments[0]).length;";
    browser.js(script, vec![json!(selector)]).await
}

/// Opens `path` and expects the error page titled `title` for `status`.
async fn expect_error_page(browser: &Browser, path: &str, title: &str, status: u16) {
    browser.goto(path).await;
    let heading = browser.wait_for_text("main h1", title).await;
    let body = browser.text("main").await;
    assert!(
        body.contains(&format!("Error {status}")),
        "{path}: {heading}\n{body}"
    );
}

#[tokio::test]
async fn a_sponsor_sees_only_the_demo_initiative_reads_its_open_waves_heatmap_and_prints_the_one_pager()
 {
    let app = spawn_app().await;
    // Someone else's initiative with a launched wave, which the sponsor does not sponsor.
    let other_wave = app.open_wave().await;
    let other = app.initiative_of(other_wave).await;
    let password = load_the_demo(&app).await;
    let browser = Browser::start(&app.address, Viewport::Desktop).await;
    sign_in(&browser, SPONSOR_EMAIL, &password).await;

    browser.goto("/initiatives").await;
    browser.wait_for_text("main h1", "Initiatives").await;
    let listed = browser
        .js(
            "return [...document.querySelectorAll('ul.cards li strong')].map(e => e.textContent);",
            vec![],
        )
        .await;
    assert_eq!(listed, json!([DEMO_INITIATIVE]), "initiatives listed");
    assert_eq!(
        count(&browser, "form[action='/initiatives']").await,
        json!(0)
    );
    browser.click("ul.cards a").await;
    browser.wait_for_text("main h1", DEMO_INITIATIVE).await;

    let waves = wave_rows(&browser).await;
    let statuses: Vec<&Value> = waves.iter().map(|w| &w["status"]).collect();
    assert_eq!(
        statuses,
        [&json!("closed"), &json!("closed"), &json!("open")]
    );
    let heatmap_link = waves[2]["heatmap"]
        .as_str()
        .expect("the open wave's Heatmap");
    browser
        .click(&format!("main table a[href='{heatmap_link}']"))
        .await;
    let path = browser
        .wait_for_path("the open wave's results", |p| p.ends_with("/results"))
        .await;
    let wave: i64 = path
        .trim_start_matches("/waves/")
        .trim_end_matches("/results")
        .parse()
        .unwrap_or_else(|_| panic!("no wave id in {path}"));
    browser
        .wait_for_text("main h1", "Results: Wave 3: bedding in")
        .await;
    let heatmap = read_heatmap(&browser).await;
    assert_eq!(heatmap.row("Whole organisation").hidden, None);
    assert!(heatmap.rows.len() > 5, "teams shown: {:?}", heatmap.rows);
    // The demo's Accounts team never understood why: an Awareness hotspot every wave.
    let hotspots = browser
        .wait_for_text("ol.hotspots", "Demo Corp/Finance/Accounts: Awareness")
        .await;
    assert!(
        hotspots.contains("Try: "),
        "interventions listed: {hotspots}"
    );
    assert_eq!(
        count(&browser, "a[href$='/champions']").await,
        json!(0),
        "sponsors get no Champions link"
    );
    assert_accessible(&browser, "the sponsor's results page", &[]).await;

    // Into one department: its teams, with the demo's Field Support stuck at
    // Reinforcement (a hotspot team).
    let operations = team_link(&browser, "Operations").await;
    browser
        .click(&format!("table.heatmap a[href='{operations}']"))
        .await;
    browser
        .wait_for_text("main", "Showing Demo Corp/Operations and its sub-teams")
        .await;
    let department = read_heatmap(&browser).await;
    assert!(department.row("Field Support").hotspot, "{department:?}");
    assert_eq!(department.row("Operations").hidden, None);
    scroll_to_heatmap(&browser).await;
    browser.save_screenshot("heatmap.png").await;

    browser
        .click(&format!("main a[href='/waves/{wave}/report']"))
        .await;
    browser
        .wait_for_text("article.report h1", "readiness report")
        .await;
    let report = read_heatmap(&browser).await;
    assert_eq!(report.row("Whole organisation").hidden, None);
    browser
        .wait_for_text("article.report ol", "Demo Corp/")
        .await;
    assert_accessible(&browser, "the one-pager", &[]).await;
    assert_print_keeps_only_the_report(&browser).await;

    // Not theirs: the other initiative, its wave's results and report; not for
    // sponsors: the champions page.
    for path in [
        format!("/initiatives/{other}"),
        format!("/waves/{other_wave}/results"),
        format!("/waves/{other_wave}/report"),
    ] {
        expect_error_page(&browser, &path, "Page not found", 404).await;
    }
    assert_accessible(&browser, "the not-found page", &[]).await;
    let champions = format!("/waves/{wave}/champions");
    expect_error_page(&browser, &champions, "Not allowed", 403).await;
    browser.close().await;
}
