//! Real `changeready` processes for the two-instance and fault tests: start `serve`,
//! wait until it is healthy, signal or kill it, run command-line commands; and the
//! API calls that set up an organisation and a wave on such a process.

use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use crate::helpers::PASSWORD;
use crate::smtp::free_port;

/// A `changeready serve` child process, killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub address: String,
    log: PathBuf,
    outbox: PathBuf,
}

impl Server {
    /// `serve` against `db_url`, mailing through `smtp` (empty: to files), debug logs.
    pub fn start(db_url: &str, smtp: &str) -> Server {
        Self::start_with(db_url, &[], &[("SMTP_URL", smtp), ("RUST_LOG", "debug")])
    }

    /// `serve` with extra arguments (e.g. `--no-worker`) and environment variables
    /// (e.g. `("APP_EMAIL__LEASE_SECS", "3")`), which override the defaults here.
    pub fn start_with(db_url: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        let port = free_port();
        // A file, not a pipe: a full pipe would block the server's logging.
        let id = uuid::Uuid::new_v4().simple();
        let log = std::env::temp_dir().join(format!("cr-serve-{id}.log"));
        let file = std::fs::File::create(&log).expect("log file");
        // Mail written to files (no SMTP_URL) lands here; the app creates the folder.
        let outbox = std::env::temp_dir().join(format!("cr-serve-outbox-{id}"));
        let child = Command::new(env!("CARGO_BIN_EXE_changeready"))
            .arg("serve")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DATABASE_URL", db_url)
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("SMTP_URL", "")
            .env("APP_EMAIL__OUTBOX_DIR", &outbox)
            .env("APP_EMAIL__RETRY_BASE_SECS", "1")
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .stdout(Stdio::from(file.try_clone().expect("log file")))
            .stderr(Stdio::from(file))
            .spawn()
            .expect("start serve");
        Server {
            child,
            address: format!("http://127.0.0.1:{port}"),
            log,
            outbox,
        }
    }

    /// Everything the process logged so far.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends `signal` (e.g. `"TERM"`) with kill(1).
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// SIGKILL, then reaps the process.
    pub fn kill9(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }

    /// Whether the process still runs.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits up to `limit` for the process to exit; `None` if it still runs.
    pub async fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits up to `limit` for a log line containing `text`.
    pub async fn wait_log(&self, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while !self.logs().contains(text) {
            assert!(
                Instant::now() < deadline,
                "no log line {text:?}; logs:\n{}",
                self.logs()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops the process and returns everything it logged.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.logs()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
        let _ = std::fs::remove_dir_all(&self.outbox);
    }
}

/// Waits (up to two minutes: the machine may be busy) until `/health` answers 200.
pub async fn wait_healthy(address: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if reqwest::get(format!("{address}/health"))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{address} did not become healthy");
}

/// Runs `changeready ARGS` against `db_url`; returns its trimmed standard output.
pub fn cli(db_url: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_changeready"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATABASE_URL", db_url)
        .env("CHANGEREADY_PASSWORD", PASSWORD)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run cli");
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// An admin account made with the command line, and an API key for it.
pub fn admin_key(db_url: &str) -> String {
    let email = "ops@example.org";
    let add = [
        "user", "add", "--email", email, "--name", "Ops", "--role", "admin",
    ];
    cli(db_url, &add);
    cli(db_url, &["api-key", "create", "--email", email])
}

/// A CSV of `people` people (`p0@example.org`, …) spread over `teams` teams.
pub fn people_csv(people: usize, teams: usize) -> String {
    let mut csv = String::from("email,name,team\n");
    for i in 0..people {
        csv.push_str(&format!("p{i}@example.org,P{i},Team {}\n", i % teams));
    }
    csv
}

/// Imports `csv` (PUT /api/v1/people) through the server at `address`.
pub async fn put_people(client: &reqwest::Client, address: &str, key: &str, csv: &str) {
    let put = client
        .put(format!("{address}/api/v1/people"))
        .bearer_auth(key)
        .header("Content-Type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .expect("PUT people");
    assert_eq!(put.status().as_u16(), 200, "import people");
}

/// Creates an initiative and a draft wave to every team; returns the wave id.
pub async fn draft_wave(client: &reqwest::Client, address: &str, key: &str) -> i64 {
    let initiative = create_initiative(client, address, key).await;
    draft_wave_of(client, address, key, initiative).await
}

/// Creates an initiative; returns its id.
pub async fn create_initiative(client: &reqwest::Client, address: &str, key: &str) -> i64 {
    let url = format!("{address}/api/v1/initiatives");
    post_for_id(client, key, url, json!({"name": "Faults"})).await
}

/// Creates a draft wave of `initiative` to every team; returns the wave id.
pub async fn draft_wave_of(
    client: &reqwest::Client,
    address: &str,
    key: &str,
    initiative: i64,
) -> i64 {
    let url = format!("{address}/api/v1/initiatives/{initiative}/waves");
    let closes = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    post_for_id(client, key, url, json!({"name": "W", "closes_at": closes})).await
}

async fn post_for_id(client: &reqwest::Client, key: &str, url: String, body: Value) -> i64 {
    let response = client.post(url).bearer_auth(key).json(&body).send().await;
    let created: Value = response.expect("POST").json().await.expect("json");
    created["id"].as_i64().expect("id")
}

/// POSTs the launch of `wave`; returns the response.
pub async fn launch(
    client: &reqwest::Client,
    address: &str,
    key: &str,
    wave: i64,
) -> reqwest::Result<reqwest::Response> {
    client
        .post(format!("{address}/api/v1/waves/{wave}/launch"))
        .bearer_auth(key)
        .send()
        .await
}

/// Starts the launch of `wave` with one team locked, so that it stops mid-way (template
/// frozen, invitations pending); returns, once it waits for the lock, the session holding
/// the lock (`ROLLBACK` releases it) and the launch's task.
pub async fn launch_held_mid_way(
    db_url: &str,
    client: &reqwest::Client,
    address: &str,
    key: &str,
    wave: i64,
) -> (
    AsyncPgConnection,
    JoinHandle<reqwest::Result<reqwest::Response>>,
) {
    let mut blocker = connect(db_url).await;
    blocker
        .batch_execute("BEGIN; SELECT id FROM teams ORDER BY id LIMIT 1 FOR UPDATE")
        .await
        .expect("lock a team");
    let (c, address, k) = (client.clone(), address.to_owned(), key.to_owned());
    let launching = tokio::spawn(async move { launch(&c, &address, &k, wave).await });
    wait_for_lock_wait(&mut connect(db_url).await, "INSERT INTO invitations").await;
    (blocker, launching)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// A connection to `db_url`.
pub async fn connect(db_url: &str) -> AsyncPgConnection {
    AsyncPgConnection::establish(db_url)
        .await
        .expect("connect to the test database")
}

/// Runs `SELECT count(*) AS n …` (any query with one bigint column `n`).
pub async fn count(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .n
}

/// Waits (polling `conn`) until another session of this database waits for a lock
/// in a statement starting with `statement`, e.g. `INSERT INTO invitations`.
pub async fn wait_for_lock_wait(conn: &mut AsyncPgConnection, statement: &str) {
    let sql = format!(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
         AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE '{statement}%'"
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(conn, &sql).await == 0 {
        assert!(Instant::now() < deadline, "nobody waits in {statement}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
