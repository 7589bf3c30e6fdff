//! PostgreSQL stopped for some seconds under load: requests fail fast with 503 (JSON
//! under /api, a page that says so elsewhere), `/health` says 503, and once the
//! database is back everything works again without restarting the app; no answer is
//! half-written.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::faults_checks::{answers_for, assert_responses_whole, assert_stats_match_recount};
use crate::helpers::content_type;
use crate::pg_cluster::PgCluster;
use crate::process::{Server, admin_key, connect, count, draft_wave, launch, put_people};

const UP: u8 = 0;
const DOWN: u8 = 1;
const RESTARTING: u8 = 2;
const BACK: u8 = 3;
/// A request refused while the database is down must end within this.
const FAIL_FAST: Duration = Duration::from_secs(8);

/// One request made by the load.
#[derive(Debug, Clone)]
struct Sample {
    /// `api` (survey save), `page` (survey page) or `health`.
    kind: &'static str,
    /// The phase when it was sent and when its answer had arrived.
    phases: (u8, u8),
    status: u16,
    took: Duration,
    content_type: String,
    body: String,
}

struct Load {
    phase: AtomicU8,
    done: AtomicBool,
    samples: Mutex<Vec<Sample>>,
}

impl Load {
    fn count(&self, kind: &str, phase: u8, status: u16) -> usize {
        let samples = self.samples.lock().expect("lock");
        samples
            .iter()
            .filter(|s| s.kind == kind && s.phases == (phase, phase) && s.status == status)
            .count()
    }
}

async fn request(load: &Load, kind: &'static str, builder: reqwest::RequestBuilder) {
    let phase = load.phase.load(Ordering::SeqCst);
    let started = Instant::now();
    let response = builder.send().await.expect("the app answers every request");
    let status = response.status().as_u16();
    let content_type = content_type(&response);
    let body = response.text().await.expect("a whole body");
    let sample = Sample {
        kind,
        phases: (phase, load.phase.load(Ordering::SeqCst)),
        status,
        took: started.elapsed(),
        content_type,
        body,
    };
    load.samples.lock().expect("lock").push(sample);
}

/// How many emails the file transport wrote into `dir`.
fn emails(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| {
        d.filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .count()
    })
}

/// Waits until `ready` holds, checking every 100 ms, for up to `limit`.
async fn wait_until(what: &str, limit: Duration, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + limit;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_under_load_gives_fast_503s_and_everything_recovers_without_a_restart() {
    let Some(pg) = PgCluster::start() else { return };
    let mut admin = connect(&pg.url("postgres")).await;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("CREATE DATABASE changeready"),
        &mut admin,
    )
    .await
    .expect("create database");
    let db_url = pg.url("changeready");
    // Mail goes to files, slowly (4 a second), so the outage finds the worker mid-batch.
    let outbox = crate::smtp::fresh_dir();
    let outbox_dir = outbox.to_string_lossy().into_owned();
    let env = [
        ("APP_DATABASE__CONNECT_TIMEOUT_SECS", "2"),
        ("APP_DATABASE__POOL_SIZE", "6"),
        ("APP_EMAIL__OUTBOX_DIR", outbox_dir.as_str()),
        ("APP_EMAIL__RATE_PER_SECOND", "4"),
        ("APP_EMAIL__CONNECTIONS", "2"),
    ];
    let mut server = Server::start_with(&db_url, &[], &env);
    crate::process::wait_healthy(&server.address).await;
    let key = admin_key(&db_url);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let address = server.address.clone();
    put_people(&client, &address, &key, crate::wave_helpers::ORG).await;
    let wave = draft_wave(&client, &address, &key).await;
    let launched = launch(&client, &address, &key, wave).await.expect("launch");
    assert_eq!(launched.status().as_u16(), 202);
    let mut conn = connect(&db_url).await;
    let links = crate::faults_checks::links(&mut conn, wave).await;
    let questions = crate::faults_checks::questions(&mut conn, wave).await;
    drop(conn);

    let load = Arc::new(Load {
        phase: AtomicU8::new(UP),
        done: AtomicBool::new(false),
        samples: Mutex::new(Vec::new()),
    });
    let workers: Vec<_> = (0..4)
        .map(|task| {
            let (load, client, address) = (load.clone(), client.clone(), address.clone());
            let (links, questions) = (links.clone(), questions.clone());
            tokio::spawn(async move {
                let mut round = 0;
                while !load.done.load(Ordering::SeqCst) {
                    let token = &links[(task * 3 + round) % links.len()];
                    let body = answers_for(&questions, task + round);
                    let save = client
                        .post(format!("{address}/api/v1/survey/{token}"))
                        .json(&body);
                    request(&load, "api", save).await;
                    let page = client.get(format!("{address}/s/{token}"));
                    request(&load, "page", page).await;
                    round += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
        })
        .collect();
    let minute = Duration::from_secs(60);
    wait_until("saves and emails before the outage", minute, || {
        load.count("api", UP, 200) >= 20 && emails(&outbox) >= 1
    })
    .await;

    tokio::task::block_in_place(|| pg.stop_fast());
    load.phase.store(DOWN, Ordering::SeqCst);
    let outage = Instant::now();
    let health = client
        .get(format!("{address}/health"))
        .send()
        .await
        .expect("GET /health");
    let health_status = health.status().as_u16();
    let health_body = health.text().await.expect("body");
    wait_until("requests during the outage", minute, || {
        load.count("api", DOWN, 503) >= 10 && load.count("page", DOWN, 503) >= 10
    })
    .await;
    // "Some seconds": at least 3, whatever the pace of the load.
    if let Some(rest) = Duration::from_secs(3).checked_sub(outage.elapsed()) {
        tokio::time::sleep(rest).await;
    }

    load.phase.store(RESTARTING, Ordering::SeqCst);
    tokio::task::block_in_place(|| pg.start_again());
    let deadline = Instant::now() + minute;
    loop {
        let status = client.get(format!("{address}/health")).send().await;
        if status.is_ok_and(|r| r.status().as_u16() == 200) {
            break;
        }
        assert!(Instant::now() < deadline, "/health back to 200");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    load.phase.store(BACK, Ordering::SeqCst);
    wait_until("saves after the outage", minute, || {
        load.count("api", BACK, 200) >= 20 && load.count("page", BACK, 200) >= 20
    })
    .await;
    load.done.store(true, Ordering::SeqCst);
    for worker in workers {
        worker.await.expect("load task");
    }

    assert!(server.is_running(), "the same process served throughout");
    assert_eq!(health_status, 503, "/health during the outage");
    assert!(health_body.contains("unavailable"), "{health_body}");
    let samples = load.samples.lock().expect("lock").clone();
    for s in &samples {
        assert!(
            s.status == 200 || s.status == 503,
            "only 200 or 503, never a 500 or a broken answer: {s:?}"
        );
        if s.phases == (DOWN, DOWN) {
            assert_eq!(s.status, 503, "refused while the database is down: {s:?}");
            assert!(s.took < FAIL_FAST, "fails fast: {s:?}");
        }
        if s.status == 503 && s.kind == "api" {
            assert!(s.content_type.starts_with("application/json"), "{s:?}");
            assert!(s.body.contains("the database is unavailable"), "{s:?}");
        }
        if s.status == 503 && s.kind == "page" {
            assert!(s.content_type.starts_with("text/html"), "{s:?}");
            assert!(s.body.contains("Temporarily unavailable"), "{s:?}");
            assert!(s.body.contains("cannot reach its database"), "{s:?}");
        }
        if s.phases == (BACK, BACK) {
            assert_eq!(s.status, 200, "works again after the outage: {s:?}");
        }
    }

    let mut conn = connect(&db_url).await;
    let stored = assert_responses_whole(&mut conn, wave).await;
    assert_stats_match_recount(&mut conn, wave).await;
    assert!(stored > 0 && stored <= links.len() as i64, "one per link");
    // The email worker, caught mid-batch, is back too: every invitation goes out once,
    // long before a lease would have run out.
    let deadline = Instant::now() + minute;
    let unsent = "SELECT count(*) AS n FROM email_outbox WHERE status <> 'sent'";
    while count(&mut conn, unsent).await > 0 {
        assert!(
            Instant::now() < deadline,
            "sent after the outage; logs:\n{}",
            server.logs()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(emails(&outbox), 12, "each invitation written once");
    let _ = std::fs::remove_dir_all(&outbox);
    assert!(server.is_running(), "no restart");
}
