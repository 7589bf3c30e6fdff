//! A worker process killed with SIGKILL mid-batch loses no email.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::QueryableByName;
use diesel_async::RunQueryDsl;

use crate::helpers::spawn_app;
use crate::smtp::SmtpSink;

fn start_worker(db_url: &str, smtp_url: &str, outbox_dir: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_changeready"))
        .arg("worker")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATABASE_URL", db_url)
        .env("SMTP_URL", smtp_url)
        .env("APP_EMAIL__RATE_PER_SECOND", "40")
        .env("APP_EMAIL__LEASE_SECS", "2")
        .env("APP_EMAIL__CONNECTIONS", "4")
        .env("APP_EMAIL__OUTBOX_DIR", outbox_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start worker")
}

#[derive(QueryableByName)]
struct Queued {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[tokio::test]
async fn a_worker_killed_mid_batch_and_restarted_delivers_every_email() {
    let sink = SmtpSink::start(&[]);
    let app = spawn_app().await;
    app.launched_wave_of(120, 5).await;
    let outbox_dir = crate::smtp::fresh_dir().to_string_lossy().into_owned();

    let mut first = start_worker(&app.db_url, &sink.url(), &outbox_dir);
    let started = Instant::now();
    while sink.messages().len() < 20 && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    first.kill().expect("SIGKILL");
    first.wait().expect("reap");
    let before_restart = sink.messages().len();
    assert!(
        before_restart < 120,
        "killed mid-batch ({before_restart} sent)"
    );
    let mut second = start_worker(&app.db_url, &sink.url(), &outbox_dir);
    let mut conn = app.db().await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let queued: Queued =
            diesel::sql_query("SELECT count(*) AS n FROM email_outbox WHERE status <> 'sent'")
                .get_result(&mut conn)
                .await
                .expect("count");
        if queued.n == 0 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    second.kill().ok();
    second.wait().ok();

    let per_recipient = sink.per_recipient();
    assert_eq!(per_recipient.len(), 120, "every email delivered");
    let doubled = per_recipient.values().filter(|n| **n > 1).count();
    assert!(
        doubled <= 4,
        "only messages in flight at the kill may repeat: {doubled}"
    );
}
