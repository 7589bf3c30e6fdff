//! `spawn_app()` and one helper per endpoint.

use changeready::config::Settings;
use changeready::startup::Application;
use diesel_async::AsyncPgConnection;

#[path = "../support/accounts.rs"]
mod accounts;
#[path = "../support/test_db.rs"]
mod test_db;
pub use test_db::{fresh_database, fresh_empty_database};

/// Password given to every account the tests create.
pub const PASSWORD: &str = "a long test password";

/// A running app with its own database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// URL of this test's database.
    pub db_url: String,
    /// Name of this test's database.
    pub db_name: String,
    /// Client with a cookie store that does not follow redirects.
    pub client: reqwest::Client,
    /// The email worker (not running: tests drive it).
    pub mailer: changeready::jobs::outbox::Mailer,
    /// The app's pool.
    pub pool: changeready::db::DbPool,
}

/// Settings for a test app on port 0 against `db_url`.
pub fn test_settings(db_url: &str) -> Settings {
    test_settings_with(db_url, &[])
}

/// [`test_settings`] with extra variables, e.g. `("SMTP_URL", …)`.
pub fn test_settings_with(db_url: &str, extra: &[(&str, &str)]) -> Settings {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let mut vars = std::collections::HashMap::new();
    vars.insert("DATABASE_URL".to_owned(), db_url.to_owned());
    vars.insert("BIND".to_owned(), "127.0.0.1:0".to_owned());
    vars.insert("APP_DATABASE__POOL_SIZE".to_owned(), "4".to_owned());
    vars.insert(
        "APP_DATABASE__CONNECT_TIMEOUT_SECS".to_owned(),
        "2".to_owned(),
    );
    let root = env!("CARGO_MANIFEST_DIR");
    vars.insert(
        "APP_APPLICATION__TEMPLATES_DIR".to_owned(),
        format!("{root}/templates"),
    );
    vars.insert(
        "APP_APPLICATION__STATIC_DIR".to_owned(),
        format!("{root}/static"),
    );
    let outbox = std::env::temp_dir().join(format!("cr-outbox-{}", uuid::Uuid::new_v4().simple()));
    vars.insert(
        "APP_EMAIL__OUTBOX_DIR".to_owned(),
        outbox.to_string_lossy().into_owned(),
    );
    vars.insert("APP_EMAIL__RETRY_BASE_SECS".to_owned(), "1".to_owned());
    vars.insert("APP_EMAIL__TIMEOUT_SECS".to_owned(), "5".to_owned());
    vars.insert("APP_EMAIL__RATE_PER_SECOND".to_owned(), "10000".to_owned());
    for (k, v) in extra {
        vars.insert((*k).to_owned(), (*v).to_owned());
    }
    Settings::load_from(&dir, &vars).expect("test settings")
}

/// Starts the app on a random port against a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// [`spawn_app`] with extra settings variables.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        changeready::telemetry::init_logging(changeready::config::LogFormat::Pretty);
    }
    let (db_url, db_name) = fresh_database().await;
    let app = Application::build(&test_settings_with(&db_url, extra))
        .await
        .expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let (mailer, pool) = (app.mailer(), app.pool());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        address,
        db_url,
        db_name,
        client,
        mailer,
        pool,
    }
}

impl TestApp {
    /// Runs the email worker until nothing is due.
    pub async fn dispatch_all_pending_emails(&self) -> usize {
        let mut total = 0;
        loop {
            match self.mailer.deliver_due(&self.pool).await.expect("deliver") {
                0 => return total,
                n => total += n,
            }
        }
    }

    /// A connection to this test's database.
    pub async fn db(&self) -> AsyncPgConnection {
        accounts::connect(&self.db_url).await
    }

    /// The one number `sql` selects (as `v`, cast to float8), from this test's database.
    pub async fn number(&self, sql: &str) -> f64 {
        #[derive(diesel::QueryableByName)]
        struct Number {
            #[diesel(sql_type = diesel::sql_types::Double)]
            v: f64,
        }
        let row: Number = diesel_async::RunQueryDsl::get_result(
            diesel::sql_query(format!("SELECT ({sql})::float8 AS v")),
            &mut self.db().await,
        )
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
        row.v
    }

    /// Adds an account with `role` and [`PASSWORD`]; returns its email.
    pub async fn add_user(&self, role: &str) -> String {
        accounts::add_user(&self.db_url, role, "Test User", PASSWORD).await
    }

    /// An API key for a new account with `role`.
    pub async fn api_key(&self, role: &str) -> String {
        let email = self.add_user(role).await;
        self.api_key_of(&email).await
    }

    /// A new API key for the account `email`.
    pub async fn api_key_of(&self, email: &str) -> String {
        accounts::api_key_for(&self.db_url, email).await
    }

    /// GETs `path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("GET")
    }

    /// The CSRF token of this client's cookie, read from a form page.
    pub async fn csrf_token(&self) -> String {
        // Signed-in clients are sent away from /login; the start page has the sign-out form.
        let login = self.get("/login").await;
        let html = if login.status().as_u16() == 303 {
            self.get("/").await.text().await.expect("body")
        } else {
            login.text().await.expect("body")
        };
        extract_csrf(&html)
    }

    /// POSTs a form with this client's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf_token().await;
        let mut body: Vec<(&str, &str)> = fields.to_vec();
        body.push(("csrf_token", &token));
        self.client
            .post(format!("{}{path}", self.address))
            .form(&body)
            .send()
            .await
            .expect("POST")
    }

    /// POSTs a multipart form to the people import page (fields, CSRF token included, as given).
    pub async fn post_import(&self, form: reqwest::multipart::Form) -> reqwest::Response {
        self.client
            .post(format!("{}/people/import", self.address))
            .multipart(form)
            .send()
            .await
            .expect("POST")
    }

    /// Signs in through the login form.
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form("/login", &[("email", email), ("password", password)])
            .await
    }

    /// Adds an account with `role` and signs this client in as it.
    pub async fn login_as(&self, role: &str) -> String {
        let email = self.add_user(role).await;
        let response = self.login(&email, PASSWORD).await;
        assert_eq!(response.status().as_u16(), 303, "login as {role}");
        email
    }

    /// `PUT /api/v1/people` with a CSV body.
    pub async fn put_people(
        &self,
        key: &str,
        csv: &str,
        deactivate_missing: bool,
    ) -> reqwest::Response {
        self.client
            .put(format!(
                "{}/api/v1/people?deactivate_missing={deactivate_missing}",
                self.address
            ))
            .bearer_auth(key)
            .header("Content-Type", "text/csv")
            .body(csv.to_owned())
            .send()
            .await
            .expect("PUT people")
    }
}

/// The value of the first `csrf_token` hidden input in `html`.
pub fn extract_csrf(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("page has a csrf_token field") + marker.len();
    html[start..].split('"').next().expect("token").to_owned()
}

/// The `Content-Type` of `response`, empty when it has none.
pub fn content_type(response: &reqwest::Response) -> String {
    let value = response.headers().get("content-type");
    value
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A second client (own cookies) for the same app.
pub fn spawn_client(_app: &TestApp) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Signs `client` in through the login form; returns the status (303 on success).
pub async fn login_client(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> u16 {
    let login = format!("{}/login", app.address);
    let html = client
        .get(&login)
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let token = extract_csrf(&html);
    let form = [
        ("email", email),
        ("password", password),
        ("csrf_token", token.as_str()),
    ];
    client
        .post(&login)
        .form(&form)
        .send()
        .await
        .expect("POST")
        .status()
        .as_u16()
}
