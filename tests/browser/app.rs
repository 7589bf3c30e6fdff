//! The real app, in-process, on port 0 against a fresh database cloned from the
//! migrated template: the minimal parts of `tests/api/helpers.rs` the browser
//! journeys need.

use std::path::Path;

#[path = "../support/accounts.rs"]
mod accounts;
#[path = "../support/test_db.rs"]
mod test_db;

use changeready::config::Settings;
use changeready::startup::Application;
use diesel_async::AsyncPgConnection;

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
    let (db_url, _) = test_db::fresh_database().await;
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
        accounts::connect(&self.db_url).await
    }

    /// Adds an account with `role` and [`PASSWORD`]; returns its email.
    pub async fn add_user(&self, role: &str) -> String {
        accounts::add_user(&self.db_url, role, "Pat Practitioner", PASSWORD).await
    }

    /// An API key for a new account with `role`.
    pub async fn api_key(&self, role: &str) -> String {
        let email = self.add_user(role).await;
        accounts::api_key_for(&self.db_url, &email).await
    }
}
