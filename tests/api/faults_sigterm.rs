//! Graceful shutdown: SIGTERM lets in-flight requests finish, the email worker stops
//! claiming and puts back what it has not sent, the process exits 0, and after a
//! restart every email goes out exactly once.

use std::time::{Duration, Instant};

use changeready::jobs::shutdown::Stop;
use diesel_async::{AsyncPgConnection, SimpleAsyncConnection};
use serde_json::Value;

use crate::helpers::{fresh_database, spawn_app_with};
use crate::process::{
    Server, admin_key, connect, count, draft_wave, launch, launch_held_mid_way, people_csv,
    put_people, wait_healthy,
};
use crate::smtp::SmtpSink;

/// Rows claimed by a worker and not finished: queued, but reserved for later, or with
/// an attempt counted and no error recorded.
const CLAIMED: &str = "SELECT count(*) AS n FROM email_outbox WHERE status = 'queued' \
     AND (next_attempt_at > now() OR (attempts > 0 AND last_error IS NULL))";
const SENT: &str = "SELECT count(*) AS n FROM email_outbox WHERE status = 'sent'";
const QUEUED: &str = "SELECT count(*) AS n FROM email_outbox WHERE status = 'queued'";

async fn wait_for_messages(sink: &SmtpSink, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while sink.messages().len() < n {
        assert!(Instant::now() < deadline, "{n} messages sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Asserts the outbox holds nothing in progress and that every message the sink got
/// is recorded as sent (the worker finished what it was sending).
async fn assert_nothing_in_progress(conn: &mut AsyncPgConnection, sink: &SmtpSink) {
    assert_eq!(count(conn, CLAIMED).await, 0, "no email left claimed");
    assert_eq!(
        count(conn, SENT).await,
        sink.messages().len() as i64,
        "every message handed over is recorded as sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_in_flight_requests_and_leaves_no_email_claimed() {
    let sink = SmtpSink::start(&[]);
    let (db_url, _) = fresh_database().await;
    // A slow worker (10 emails a second) so SIGTERM finds it mid-wave.
    let smtp = sink.url();
    let env = [
        ("SMTP_URL", smtp.as_str()),
        ("APP_EMAIL__RATE_PER_SECOND", "10"),
        ("APP_EMAIL__CONNECTIONS", "2"),
    ];
    let mut server = Server::start_with(&db_url, &[], &env);
    wait_healthy(&server.address).await;
    let key = admin_key(&db_url);
    let client = reqwest::Client::new();
    put_people(&client, &server.address, &key, &people_csv(200, 5)).await;
    let first_wave = draft_wave(&client, &server.address, &key).await;
    let launched = launch(&client, &server.address, &key, first_wave).await;
    assert_eq!(launched.expect("launch").status().as_u16(), 202);
    let second_wave = draft_wave(&client, &server.address, &key).await;
    wait_for_messages(&sink, 10).await;

    // A slow request in flight: the second launch, held mid-way by a locked team.
    let mut conn = connect(&db_url).await;
    let (mut blocker, launching) =
        launch_held_mid_way(&db_url, &client, &server.address, &key, second_wave).await;

    server.signal("TERM");
    let minute = Duration::from_secs(60);
    server
        .wait_log("stopping: finishing in-flight requests", minute)
        .await;
    server.wait_log("email worker stopped", minute).await;
    // The worker is done while the launch still runs: nothing of its is in progress.
    assert!(
        server.is_running(),
        "waits for the request in flight; the server logged:\n{}",
        server.logs()
    );
    assert_nothing_in_progress(&mut conn, &sink).await;
    blocker.batch_execute("ROLLBACK").await.expect("release");

    let response = launching.await.expect("task").expect("an answer");
    assert_eq!(
        response.status().as_u16(),
        202,
        "the launch in flight finished"
    );
    assert_eq!(
        response
            .headers()
            .get("connection")
            .and_then(|v| v.to_str().ok()),
        Some("close"),
        "a response given while stopping closes its connection"
    );
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["invited"], 200);
    let exit = server.wait_exit(minute).await.expect("exits");
    assert!(exit.success(), "exit status {exit:?}");

    assert_nothing_in_progress(&mut conn, &sink).await;
    let queued = count(&mut conn, QUEUED).await;
    assert!(
        queued > 200,
        "stopped mid-wave: {queued} emails still queued"
    );
    let no_attempt =
        "SELECT count(*) AS n FROM email_outbox WHERE status = 'queued' AND attempts = 0";
    assert_eq!(
        count(&mut conn, no_attempt).await,
        queued,
        "claims taken back"
    );

    // After a restart every email goes out, none twice.
    let env = [
        ("SMTP_URL", smtp.as_str()),
        ("APP_EMAIL__RATE_PER_SECOND", "10000"),
    ];
    let again = Server::start_with(&db_url, &[], &env);
    wait_healthy(&again.address).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    while count(&mut conn, SENT).await < 400 {
        assert!(
            Instant::now() < deadline,
            "every email sent after the restart"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let per_recipient = sink.per_recipient();
    assert_eq!(per_recipient.len(), 200);
    assert!(
        per_recipient.values().all(|n| *n == 2),
        "one email per wave per person"
    );
}

#[tokio::test]
async fn a_worker_asked_to_stop_sends_nothing_more_and_puts_back_what_it_claimed() {
    let sink = SmtpSink::start(&[]);
    let smtp = sink.url();
    let app = spawn_app_with(&[
        ("SMTP_URL", smtp.as_str()),
        ("APP_EMAIL__RATE_PER_SECOND", "20"),
        ("APP_EMAIL__CONNECTIONS", "2"),
    ])
    .await;
    app.launched_wave_of(100, 4).await;
    let stop = Stop::new();
    let worker = tokio::spawn(
        app.mailer
            .clone()
            .run_until_stopped(app.pool.clone(), stop.clone()),
    );
    wait_for_messages(&sink, 5).await;

    stop.request();
    tokio::time::timeout(Duration::from_secs(60), worker)
        .await
        .expect("stops in time")
        .expect("worker task");

    let mut conn = app.db().await;
    assert_nothing_in_progress(&mut conn, &sink).await;
    let queued = count(&mut conn, QUEUED).await;
    assert!(queued > 0, "stopped before the end ({queued} queued)");
    assert_eq!(
        count(&mut conn, SENT).await + queued,
        100,
        "every email is sent or queued"
    );
}
