//! A pg_dump of the database is the whole state: restored into a new database, the
//! app serves the same results and, with the same server key, the same survey links.

use std::process::Command;

use serde_json::Value;

use crate::helpers::{fresh_empty_database, spawn_app, test_settings};

fn pg_tool(name: &str) -> String {
    std::env::var("CHANGEREADY_TEST_PG_BIN")
        .map_or_else(|_| name.to_owned(), |bin| format!("{bin}/{name}"))
}

#[tokio::test]
async fn a_restored_dump_serves_the_same_results_and_links() {
    let app = spawn_app().await;
    let (key, wave) = app.open_wave().await;
    for email in [
        "d1@example.org",
        "d2@example.org",
        "d3@example.org",
        "d4@example.org",
        "d5@example.org",
        "d6@example.org",
    ] {
        let token = app.link_of(wave, email).await;
        app.answer_all(&token, |e| if e == "desire" { 2 } else { 4 })
            .await;
    }
    let before: Value = app
        .get_json(&key, &format!("/api/v1/waves/{wave}/results"))
        .await
        .json()
        .await
        .expect("json");
    let link = app.link_of(wave, "f1@example.org").await;
    let dump = std::env::temp_dir().join(format!("cr-dump-{}.dump", uuid::Uuid::new_v4().simple()));

    let dumped = Command::new(pg_tool("pg_dump"))
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(&app.db_url)
        .status()
        .expect("pg_dump");
    assert!(dumped.success());
    let (restored_url, _) = fresh_empty_database().await;
    let restored = Command::new(pg_tool("pg_restore"))
        .args(["--no-owner", "--dbname", &restored_url])
        .arg(&dump)
        .status()
        .expect("pg_restore");
    assert!(restored.success());
    std::fs::remove_file(&dump).ok();
    let server = changeready::startup::Application::build(&test_settings(&restored_url))
        .await
        .expect("app on the restored database");
    let address = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until_stopped());

    let client = reqwest::Client::new();
    let after: Value = client
        .get(format!("{address}/api/v1/waves/{wave}/results"))
        .bearer_auth(&key)
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    let survey = client
        .get(format!("{address}/api/v1/survey/{link}"))
        .send()
        .await
        .expect("GET");

    assert_eq!(after, before, "same figures from the restored database");
    assert_eq!(
        survey.status().as_u16(),
        200,
        "links keep working with the same server key"
    );
}
