//! Email delivery through a real SMTP server on loopback.

use std::collections::HashSet;

use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with};
use crate::smtp::{SmtpSink, free_port, fresh_dir, link_in, recipient};

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    attempts: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    last_error: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    recipient: String,
}

async fn outbox(app: &TestApp) -> Vec<Row> {
    let mut conn = app.db().await;
    diesel::sql_query("SELECT status, attempts, last_error, recipient FROM email_outbox ORDER BY recipient, created_at")
        .load(&mut conn)
        .await
        .expect("outbox")
}

async fn make_due(app: &TestApp) {
    let mut conn = app.db().await;
    diesel::sql_query("UPDATE email_outbox SET next_attempt_at = now() WHERE status = 'queued'")
        .execute(&mut conn)
        .await
        .expect("due");
}

#[tokio::test]
async fn the_invitation_arrives_with_a_link_that_works() {
    let sink = SmtpSink::start(&[]);
    let app = spawn_app_with(&[("SMTP_URL", &sink.url())]).await;
    let (key, wave) = app.open_wave().await;

    let handled = app.dispatch_all_pending_emails().await;

    assert_eq!(handled, 12);
    let messages = sink.messages();
    assert_eq!(messages.len(), 12);
    let to_d1 = messages
        .iter()
        .find(|m| recipient(m) == "d1@example.org")
        .expect("mail to d1");
    assert!(
        to_d1.contains("multipart/alternative") && to_d1.contains("text/html"),
        "multipart text+HTML"
    );
    assert!(to_d1.contains("Message-ID: <") && to_d1.contains("New ITSM"));
    assert!(to_d1.contains("anonymous"));
    let token = link_in(to_d1).expect("link in the mail");
    assert_eq!(token, app.link_of(wave, "d1@example.org").await);
    assert_eq!(app.answer_all(&token, |_| 4).await.status().as_u16(), 200);
    let status: Value = app
        .get_json(&key, &format!("/api/v1/waves/{wave}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(status["responded"], 1);
    assert_eq!(
        status["emails"],
        json!({"queued": 0, "sent": 12, "failed": 0})
    );
    let mut conn = app.db().await;
    #[derive(QueryableByName)]
    struct Leak {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let leak: Leak = diesel::sql_query(format!("SELECT count(*) AS n FROM email_outbox WHERE payload::text LIKE '%{token}%' OR recipient LIKE '%{token}%'"))
        .get_result(&mut conn)
        .await
        .expect("leak check");
    assert_eq!(leak.n, 0, "no link at rest in the outbox");
}

#[tokio::test]
async fn an_smtp_outage_loses_nothing_and_everything_goes_once_it_is_back() {
    let port = free_port();
    let app = spawn_app_with(&[("SMTP_URL", &format!("smtp://127.0.0.1:{port}"))]).await;
    app.open_wave().await;

    app.dispatch_all_pending_emails().await;
    let during = outbox(&app).await;
    assert!(
        during
            .iter()
            .all(|r| r.status == "queued" && r.attempts == 1 && r.last_error.is_some()),
        "kept for retry"
    );

    let sink = SmtpSink::start_on(port, fresh_dir(), &[]);
    make_due(&app).await;
    app.dispatch_all_pending_emails().await;

    assert!(outbox(&app).await.iter().all(|r| r.status == "sent"));
    let recipients: Vec<String> = sink.messages().iter().map(|m| recipient(m)).collect();
    assert_eq!(recipients.len(), 12);
    assert_eq!(
        recipients.iter().collect::<HashSet<_>>().len(),
        12,
        "each once"
    );
}

#[tokio::test]
async fn a_permanent_rejection_is_marked_failed_with_the_reply_and_not_retried() {
    let sink = SmtpSink::start(&["--reject-rcpt", "d1@"]);
    let app = spawn_app_with(&[("SMTP_URL", &sink.url())]).await;
    app.open_wave().await;

    app.dispatch_all_pending_emails().await;
    make_due(&app).await;
    app.dispatch_all_pending_emails().await;

    let rows = outbox(&app).await;
    let d1 = rows
        .iter()
        .find(|r| r.recipient == "d1@example.org")
        .expect("d1 row");
    assert_eq!(d1.status, "failed");
    assert_eq!(d1.attempts, 1, "not retried");
    assert!(
        d1.last_error.as_deref().is_some_and(|e| e.contains("550")),
        "{:?}",
        d1.last_error
    );
    assert_eq!(sink.messages().len(), 11);
}

#[tokio::test]
async fn temporary_failures_back_off_and_are_never_given_up() {
    let port = free_port();
    let tempfail = SmtpSink::start_on(port, fresh_dir(), &["--tempfail-rcpt", "f1@"]);
    let app = spawn_app_with(&[("SMTP_URL", &tempfail.url())]).await;
    app.open_wave().await;

    for _ in 0..12 {
        app.dispatch_all_pending_emails().await;
        make_due(&app).await;
    }
    let f1 = |rows: Vec<Row>| {
        rows.into_iter()
            .find(|r| r.recipient == "f1@example.org")
            .expect("f1 row")
    };
    let waiting = f1(outbox(&app).await);
    assert_eq!(
        (waiting.status.as_str(), waiting.attempts),
        ("queued", 12),
        "still queued"
    );
    assert!(
        waiting
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("451"))
    );

    drop(tempfail);
    let sink = SmtpSink::start_on(port, fresh_dir(), &[]);
    app.dispatch_all_pending_emails().await;
    assert_eq!(f1(outbox(&app).await).status, "sent");
    assert_eq!(sink.messages().len(), 1, "only f1 was left");
}

#[tokio::test]
async fn two_workers_on_one_database_send_each_email_once() {
    let sink = SmtpSink::start(&[]);
    let app = spawn_app_with(&[("SMTP_URL", &sink.url())]).await;
    app.launched_wave_of(150, 7).await;

    let (a, b) = (app.mailer.clone(), app.mailer.clone());
    let (pa, pb) = (app.pool.clone(), app.pool.clone());
    let worker = |m: changeready::jobs::outbox::Mailer, p: changeready::db::DbPool| async move {
        while m.deliver_due(&p).await.expect("deliver") > 0 {}
    };
    tokio::join!(worker(a, pa), worker(b, pb));

    let recipients: Vec<String> = sink.messages().iter().map(|m| recipient(m)).collect();
    assert_eq!(recipients.len(), 150);
    assert_eq!(recipients.iter().collect::<HashSet<_>>().len(), 150);
}

#[tokio::test]
async fn reminders_reach_only_those_who_have_not_answered_and_only_once_per_day() {
    let sink = SmtpSink::start(&[]);
    let app = spawn_app_with(&[("SMTP_URL", &sink.url())]).await;
    let (key, _, wave) = app.draft_wave(json!({"reminder_days": [3, 7]})).await;
    app.post_json(&key, &format!("/api/v1/waves/{wave}/launch"), &json!({}))
        .await;
    for email in ["d1@example.org", "d2@example.org", "o1@example.org"] {
        let token = app.link_of(wave, email).await;
        app.answer_all(&token, |_| 4).await;
    }
    app.launched_days_ago(wave, 4).await;

    let first = app.enqueue_due_reminders().await;
    let again = app.enqueue_due_reminders().await;
    app.dispatch_all_pending_emails().await;

    assert_eq!((first, again), (9, 0));
    let reminded: HashSet<String> = sink
        .messages()
        .iter()
        .filter(|m| m.contains("Subject: Reminder"))
        .map(|m| recipient(m))
        .collect();
    assert_eq!(reminded.len(), 9);
    assert!(!reminded.contains("d1@example.org") && !reminded.contains("o1@example.org"));
}
