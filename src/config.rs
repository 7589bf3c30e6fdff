//! Layered configuration: `config/base.toml`, then `config/{APP_ENVIRONMENT}.toml`,
//! then `APP_SECTION__KEY` variables, then the plain variables named in api.md
//! (`DATABASE_URL`, `SMTP_URL`, `MAIL_FROM`, `BASE_URL`, `BIND`).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Every setting of the application. Unknown keys are refused at start-up.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// HTTP server and public URL.
    pub application: ApplicationSettings,
    /// PostgreSQL connection.
    pub database: DatabaseSettings,
    /// Outgoing email.
    pub email: EmailSettings,
    /// Log output.
    pub log: LogSettings,
    /// Prometheus metrics.
    pub metrics: MetricsSettings,
}

/// `[metrics]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// Bearer token for `GET /metrics`; empty turns the endpoint off. Env: `APP_METRICS__TOKEN`.
    pub token: SecretString,
}

/// `[application]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationSettings {
    /// `host:port` to listen on. Env: `BIND` or `APP_APPLICATION__BIND`.
    pub bind: String,
    /// Public URL used in emails and to decide on `Secure` cookies. Env: `BASE_URL`.
    pub base_url: String,
    /// Server key for keyed hashes (survey links, CSRF). Never stored in the database.
    /// Env: `APP_APPLICATION__SECRET`.
    pub secret: SecretString,
    /// Folder holding the Tera templates. Env: `APP_APPLICATION__TEMPLATES_DIR`.
    pub templates_dir: String,
    /// Folder holding static assets. Env: `APP_APPLICATION__STATIC_DIR`.
    pub static_dir: String,
    /// Largest accepted CSV upload, in megabytes. Env: `APP_APPLICATION__MAX_UPLOAD_MB`.
    pub max_upload_mb: usize,
    /// Hours a staff session lasts. Env: `APP_APPLICATION__SESSION_HOURS`.
    pub session_hours: i64,
    /// The organisation's time zone (IANA name) for dates in emails. Env: `APP_APPLICATION__TIME_ZONE`.
    pub time_zone: String,
    /// HTTP worker threads; 0 (the default) is one per CPU core. Fewer leave CPU to a
    /// PostgreSQL on the same machine. Env: `APP_APPLICATION__WORKERS`.
    #[serde(default)]
    pub workers: usize,
}

/// `[database]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// PostgreSQL URL. Env: `DATABASE_URL`.
    pub url: SecretString,
    /// Largest number of pooled connections. Env: `APP_DATABASE__POOL_SIZE`.
    pub pool_size: usize,
    /// Seconds to wait for a connection before answering 503. Env: `APP_DATABASE__CONNECT_TIMEOUT_SECS`.
    pub connect_timeout_secs: u64,
    /// Longest a single statement may run, in milliseconds. Env: `APP_DATABASE__STATEMENT_TIMEOUT_MS`.
    pub statement_timeout_ms: u64,
}

/// `[email]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    /// `smtp://host:port`, `smtps://…`, or empty to write mail to files. Env: `SMTP_URL`.
    pub smtp_url: SecretString,
    /// Sender address. Env: `MAIL_FROM`.
    pub from: String,
    /// Folder for `.eml` files when no SMTP server is set. Env: `APP_EMAIL__OUTBOX_DIR`.
    pub outbox_dir: String,
    /// Longest wait between two tries of a temporarily failing email, in seconds: the
    /// delay doubles up to this and retries go on (an outage delays mail, never loses
    /// it). Env: `APP_EMAIL__MAX_RETRY_DELAY_SECS`.
    pub max_retry_delay_secs: u64,
    /// First retry delay in seconds; doubles with each attempt. Env: `APP_EMAIL__RETRY_BASE_SECS`.
    pub retry_base_secs: u64,
    /// Most messages sent per second by one worker. Env: `APP_EMAIL__RATE_PER_SECOND`.
    pub rate_per_second: u32,
    /// Seconds to wait for the mail server. Env: `APP_EMAIL__TIMEOUT_SECS`.
    pub timeout_secs: u64,
    /// SMTP connections per worker, and messages in flight at once. Env: `APP_EMAIL__CONNECTIONS`.
    pub connections: usize,
    /// Seconds a worker reserves the rows it claimed; after a crash they are retried
    /// once this has passed. Env: `APP_EMAIL__LEASE_SECS`.
    pub lease_secs: u64,
}

/// `[log]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `json` (production) or `pretty` (local). Env: `APP_LOG__FORMAT`.
    pub format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// Human-readable lines.
    Pretty,
}

const PLAIN_VARIABLES: [(&str, &str); 5] = [
    ("DATABASE_URL", "database.url"),
    ("SMTP_URL", "email.smtp_url"),
    ("MAIL_FROM", "email.from"),
    ("BASE_URL", "application.base_url"),
    ("BIND", "application.bind"),
];

impl Settings {
    /// Loads settings from `dir` for `APP_ENVIRONMENT` (default `local`) and the process environment.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let vars: HashMap<String, String> = std::env::vars().collect();
        Self::load_from(dir, &vars)
    }

    /// Loads settings from `dir` with `vars` standing in for the process environment.
    pub fn load_from(dir: &Path, vars: &HashMap<String, String>) -> anyhow::Result<Self> {
        let environment = vars.get("APP_ENVIRONMENT").map_or("local", String::as_str);
        if !matches!(environment, "local" | "production") {
            anyhow::bail!("APP_ENVIRONMENT must be `local` or `production`, not `{environment}`");
        }
        let mut builder = config::Config::builder()
            .add_source(config::File::from(dir.join("base.toml")))
            .add_source(config::File::from(dir.join(format!("{environment}.toml"))))
            .add_source(
                config::Environment::with_prefix("APP")
                    .prefix_separator("_")
                    .separator("__")
                    .try_parsing(true)
                    .source(Some(sectioned_variables(vars))),
            );
        for (variable, key) in PLAIN_VARIABLES {
            if let Some(value) = vars.get(variable) {
                builder = builder.set_override(key, value.as_str())?;
            }
        }
        let settings: Settings = builder
            .build()
            .and_then(config::Config::try_deserialize)
            .with_context(|| format!("invalid configuration in {}", dir.display()))?;
        settings.check(environment)?;
        Ok(settings)
    }

    fn check(&self, environment: &str) -> anyhow::Result<()> {
        if self.application.secret.expose_secret().len() < 32 {
            anyhow::bail!("application.secret must be at least 32 characters");
        }
        if environment == "production"
            && self
                .application
                .secret
                .expose_secret()
                .starts_with("insecure")
        {
            anyhow::bail!("set APP_APPLICATION__SECRET to a random value in production");
        }
        if self.application.time_zone.parse::<chrono_tz::Tz>().is_err() {
            anyhow::bail!(
                "application.time_zone `{}` is not an IANA time zone such as Europe/London",
                self.application.time_zone
            );
        }
        if self.email.rate_per_second == 0
            || self.email.max_retry_delay_secs == 0
            || self.email.connections == 0
        {
            anyhow::bail!(
                "email.rate_per_second, email.max_retry_delay_secs and email.connections must be at least 1"
            );
        }
        if !(self.application.base_url.starts_with("http://")
            || self.application.base_url.starts_with("https://"))
        {
            anyhow::bail!("application.base_url must start with http:// or https://");
        }
        Ok(())
    }

    /// The organisation's time zone (checked at load).
    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.application.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// True when the public URL is https, so cookies must be `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.application.base_url.starts_with("https://")
    }
}

/// `APP_SECTION__KEY` variables only: `APP_ENVIRONMENT` and other `APP_*` names without a
/// section are not settings and must not trip `deny_unknown_fields`.
fn sectioned_variables(vars: &HashMap<String, String>) -> HashMap<String, String> {
    vars.iter()
        .filter(|(name, _)| name.starts_with("APP_") && name[4..].contains("__"))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

#[cfg(test)]
mod tests;
