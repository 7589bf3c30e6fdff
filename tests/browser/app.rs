//! The real app, in-process, on port 0 against a fresh database cloned from the
//! migrated template: the minimal parts of `tests/api/helpers.rs` the browser
//! journeys need.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use changeready::config::Settings;
use changeready::db::models::user::{NewUser, User};
use changeready::startup::Application;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

/// Password given to every account the tests create.
pub const PASSWORD: &str = "a long test password";

/// A running app with its own database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// URL of this test's database.
    pub db_url: String,
    /// Plain HTTP client (no cookies needed: the API takes bearer keys).
    pub client: reqwest::Client,
}

fn admin_url() -> String {
    std::env::var("DATABASE_URL").expect(
        "DATABASE_URL must point at a PostgreSQL server's `postgres` database; run scripts/test",
    )
}

fn with_database(url: &str, db: &str) -> String {
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    format!("{base}/{db}")
}

/// The same name `tests/api/helpers.rs` computes, so both binaries share one template.
fn template_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let mut entries = walk(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"));
        entries.sort();
        let mut hasher = Sha256::new();
        for path in entries {
            hasher.update(path.to_string_lossy().as_bytes());
            hasher.update(std::fs::read(&path).expect("read migration"));
        }
        let hex: String = hasher.finalize()[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("cr_template_{hex}")
    })
}

fn walk(dir: PathBuf) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read migrations dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(walk(path));
        } else {
            out.push(path);
        }
    }
    out
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Creates the migrated template once per server, under the advisory lock the API
/// tests use too (nextest runs each test in its own process).
async fn ensure_template() {
    static DONE: OnceCell<()> = OnceCell::const_new();
    DONE.get_or_init(|| async {
        let mut admin = AsyncPgConnection::establish(&admin_url())
            .await
            .expect("connect to DATABASE_URL");
        let sql = |q: String| diesel::sql_query(q);
        sql("SELECT pg_advisory_lock(774411)".into())
            .execute(&mut admin)
            .await
            .expect("lock");
        let exists = sql(format!(
            "SELECT count(*) AS n FROM pg_database WHERE datname = '{}'",
            template_name()
        ))
        .get_result::<Count>(&mut admin)
        .await
        .expect("query pg_database")
        .n;
        if exists == 0 {
            let building = format!("{}_building", template_name());
            for q in [
                format!("DROP DATABASE IF EXISTS {building}"),
                format!("CREATE DATABASE {building}"),
            ] {
                sql(q).execute(&mut admin).await.expect("create template");
            }
            changeready::db::migrations::run_migrations(&with_database(&admin_url(), &building))
                .await
                .expect("migrate template");
            sql(format!(
                "ALTER DATABASE {building} RENAME TO {}",
                template_name()
            ))
            .execute(&mut admin)
            .await
            .expect("rename template");
        }
        sql("SELECT pg_advisory_unlock(774411)".into())
            .execute(&mut admin)
            .await
            .expect("unlock");
    })
    .await;
}

/// Settings for a test app on port 0 against `db_url`, as the API tests use them.
pub fn test_settings(db_url: &str) -> Settings {
    let root = env!("CARGO_MANIFEST_DIR");
    let outbox = std::env::temp_dir().join(format!("cr-outbox-{}", uuid::Uuid::new_v4().simple()));
    let vars: std::collections::HashMap<String, String> = [
        ("DATABASE_URL", db_url.to_owned()),
        ("BIND", "127.0.0.1:0".to_owned()),
        ("APP_DATABASE__POOL_SIZE", "4".to_owned()),
        ("APP_DATABASE__CONNECT_TIMEOUT_SECS", "2".to_owned()),
        (
            "APP_APPLICATION__TEMPLATES_DIR",
            format!("{root}/templates"),
        ),
        ("APP_APPLICATION__STATIC_DIR", format!("{root}/static")),
        (
            "APP_EMAIL__OUTBOX_DIR",
            outbox.to_string_lossy().into_owned(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    Settings::load_from(&Path::new(root).join("config"), &vars).expect("test settings")
}

/// Starts the app on a random port against a fresh database. The email worker does
/// not run, so launched waves keep their emails waiting.
///
/// The app's warnings and errors (`RUST_LOG` to change) go to the test's output, so a
/// page that says "Something went wrong" fails with the server's reason beside it.
pub async fn spawn_app() -> TestApp {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
    ensure_template().await;
    let name = format!("cr_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = AsyncPgConnection::establish(&admin_url())
        .await
        .expect("connect to DATABASE_URL");
    diesel::sql_query(format!(
        "CREATE DATABASE {name} TEMPLATE {}",
        template_name()
    ))
    .execute(&mut admin)
    .await
    .expect("clone template");
    let db_url = with_database(&admin_url(), &name);
    let app = Application::build(&test_settings(&db_url))
        .await
        .expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        db_url,
        client: reqwest::Client::new(),
    }
}

impl TestApp {
    /// A connection to this test's database.
    pub async fn db(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.db_url)
            .await
            .expect("connect to test db")
    }

    /// Adds an account with `role` and [`PASSWORD`]; returns its email.
    pub async fn add_user(&self, role: &str) -> String {
        let email = format!(
            "{role}-{}@example.org",
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let hash = changeready::auth::password::hash_password(SecretString::from(PASSWORD))
            .await
            .expect("hash");
        let new = NewUser {
            email: &email,
            name: "Pat Practitioner",
            role,
            password_hash: &hash,
        };
        User::insert(&mut self.db().await, &new)
            .await
            .expect("insert user");
        email
    }

    /// An API key for a new account with `role`.
    pub async fn api_key(&self, role: &str) -> String {
        let email = self.add_user(role).await;
        changeready::cli_commands::create_api_key(&mut self.db().await, &email, "test")
            .await
            .expect("api key")
    }
}
