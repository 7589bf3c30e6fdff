//! `/health` follows the database: 200 when it answers, 503 when not, and back.

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_is_ok_when_the_database_answers() {
    let app = spawn_app().await;

    let response = app.get("/health").await;

    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn health_is_503_while_the_database_refuses_connections_and_recovers_after() {
    let app = spawn_app().await;
    assert_eq!(app.get("/health").await.status().as_u16(), 200);
    let mut admin =
        AsyncPgConnection::establish(&std::env::var("DATABASE_URL").expect("DATABASE_URL"))
            .await
            .expect("admin connection");

    // Stop this database for the app alone: refuse new connections and end the open ones.
    diesel::sql_query(format!(
        "ALTER DATABASE {} ALLOW_CONNECTIONS false",
        app.db_name
    ))
    .execute(&mut admin)
    .await
    .expect("disallow");
    diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
        app.db_name
    ))
    .execute(&mut admin)
    .await
    .expect("terminate");
    let down = app.get("/health").await.status().as_u16();
    let page = app.get("/login").await;
    let page_status = page.status().as_u16();
    let page_body = page.text().await.expect("body");

    diesel::sql_query(format!(
        "ALTER DATABASE {} ALLOW_CONNECTIONS true",
        app.db_name
    ))
    .execute(&mut admin)
    .await
    .expect("allow");
    let up = app.get("/health").await.status().as_u16();

    assert_eq!(down, 503);
    assert_eq!(page_status, 200, "the login page itself needs no database");
    assert!(page_body.contains("Sign in"));
    assert_eq!(up, 200, "recovers without a restart");
}

#[tokio::test]
async fn health_is_503_when_no_database_server_listens() {
    let (db_url, _) = crate::helpers::fresh_database().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let unreachable = db_url.replacen(
        &db_url[db_url.find('@').expect("@")..db_url.rfind('/').expect("/")],
        &format!("@127.0.0.1:{port}"),
        1,
    );
    let app =
        changeready::startup::Application::build(&crate::helpers::test_settings(&unreachable))
            .await
            .expect("the server starts while the database is down");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());

    let response = reqwest::get(format!("{address}/health"))
        .await
        .expect("GET");

    assert_eq!(response.status().as_u16(), 503);
}
