use base64::Engine;
use changeready::domain::survey_token::SurveyKeys;
use changeready::services::demo::load_demo;
use secrecy::ExposeSecret;
use serde_json::json;
use crate::app::{spawn_app, test_settings};
use crate::browser::{Browser, Viewport};

async fn full(browser: &Browser, name: &str) {
    let h = browser.js("return document.documentElement.scrollHeight", vec![]).await.as_f64().unwrap();
    let w = browser.js("return document.documentElement.scrollWidth", vec![]).await.as_f64().unwrap();
    let mut y = 0.0; let mut i = 0;
    while y < h {
        let ch = (h - y).min(1000.0);
        let shot = browser.cdp("Page.captureScreenshot", json!({"format": "png", "captureBeyondViewport": true, "clip": {"x": 0, "y": y, "width": w, "height": ch, "scale": 1}})).await;
        let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
        std::fs::write(format!("/tmp/shots/{name}-{i}.png"), png).unwrap();
        y += 1000.0; i += 1;
    }
}

#[tokio::test]
async fn scratch() {
    std::fs::create_dir_all("/tmp/shots").unwrap();
    let app = spawn_app().await;
    let keys = SurveyKeys::new(test_settings(&app.db_url).application.secret);
    let summary = load_demo(&mut app.db().await, &keys).await.unwrap();
    let (_, practitioner) = summary.passwords.unwrap();
    let browser = Browser::start(&app.address, Viewport::Desktop).await;
    crate::practitioner::sign_in(&browser, "practitioner@demo.example", practitioner.expose_secret()).await;
    let wave: i64 = browser.js("return 0", vec![]).await.as_i64().unwrap();
    let _ = wave;
    let id = { use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)] struct Id { #[diesel(sql_type = diesel::sql_types::BigInt)] id: i64 }
        let r: Id = diesel::sql_query("SELECT id FROM waves WHERE status = 'open' ORDER BY id DESC LIMIT 1").get_result(&mut app.db().await).await.unwrap(); r.id };
    browser.goto(&format!("/waves/{id}/results")).await;
    browser.find("table.heatmap").await;
    full(&browser, "results-full").await;
    browser.goto(&format!("/waves/{id}/report")).await;
    browser.find("table.heatmap").await;
    full(&browser, "report-screen").await;
    browser.emulate_media("print").await;
    full(&browser, "report-print").await;
    browser.emulate_media("").await;
    browser.goto(&format!("/waves/{id}/champions")).await;
    browser.find("main h1").await;
    full(&browser, "champions").await;
    browser.set_viewport(320, 800, false).await;
    browser.goto(&format!("/waves/{id}/results")).await;
    browser.find("table.heatmap").await;
    full(&browser, "results-320").await;
    browser.close().await;
}
