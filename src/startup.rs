//! Builds the HTTP server: shared state, middleware and routes.

use std::net::TcpListener;
use std::path::Path;

use actix_web::dev::Server;
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tera::Tera;
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::DbPool;
use crate::db::pool::build_pool;
use crate::domain::survey_token::SurveyKeys;
use crate::error::{AppError, FieldError};
pub use crate::jobs::background::{BackgroundJobs, build_mailer, spawn_background_jobs};
use crate::jobs::outbox::Mailer;
use crate::jobs::shutdown::{SHUTDOWN_TIMEOUT, Stop, stop_on_signal};
use crate::routes;
use crate::telemetry::RedactedRootSpan;
use crate::web::drain::{InFlight, track_in_flight};
use crate::web::{csrf, error_pages, headers};
use secrecy::ExposeSecret;

/// Largest body accepted by ordinary forms and JSON calls.
const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

/// Plain values handlers need from the settings.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Set `Secure` on cookies (public URL is https).
    pub secure_cookies: bool,
    /// Staff session length.
    pub session_hours: i64,
    /// Largest CSV upload in bytes.
    pub max_upload_bytes: usize,
    /// Public URL, without a trailing slash.
    pub base_url: String,
    /// Mail goes to files: show the dev outbox page.
    pub dev_outbox: bool,
    /// HTTP worker threads (0: one per core).
    pub http_workers: usize,
}

/// A bound, ready-to-run server.
pub struct Application {
    port: u16,
    server: Server,
    pool: DbPool,
    keys: SurveyKeys,
    mailer: Mailer,
    stop: Stop,
    in_flight: web::Data<InFlight>,
    jobs: Option<BackgroundJobs>,
}

impl Application {
    /// Binds the listener and builds the server; nothing runs until [`Self::run_until_stopped`].
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let pool = build_pool(&settings.database)?;
        let listener = TcpListener::bind(&settings.application.bind)
            .with_context(|| format!("cannot listen on {}", settings.application.bind))?;
        let port = listener.local_addr()?.port();
        let tera = build_tera(Path::new(&settings.application.templates_dir))?;
        let config = AppConfig {
            secure_cookies: settings.secure_cookies(),
            session_hours: settings.application.session_hours,
            max_upload_bytes: settings.application.max_upload_mb * 1024 * 1024,
            dev_outbox: settings.email.smtp_url.expose_secret().trim().is_empty(),
            http_workers: settings.application.workers,
            base_url: settings
                .application
                .base_url
                .trim_end_matches('/')
                .to_owned(),
        };
        let keys = SurveyKeys::new(settings.application.secret.clone());
        let in_flight = web::Data::new(InFlight::default());
        let server = run(
            listener,
            in_flight.clone(),
            pool.clone(),
            tera,
            config,
            keys.clone(),
            settings.application.static_dir.clone(),
            crate::metrics::MetricsToken(settings.metrics.token.expose_secret().to_owned()),
        )?;
        let mailer = build_mailer(settings)?;
        Ok(Self {
            port,
            server,
            pool,
            keys,
            mailer,
            stop: Stop::new(),
            in_flight,
            jobs: None,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Starts the background jobs (email worker, reminders, wave closer) on the runtime;
    /// they stop with the server.
    pub fn spawn_background_jobs(&mut self) {
        if self.jobs.is_none() {
            self.jobs = Some(spawn_background_jobs(
                &self.pool,
                &self.keys,
                &self.mailer,
                &self.stop,
            ));
        }
    }

    /// The stop request SIGTERM/SIGINT set; requesting it stops the server the same way.
    pub fn stop_handle(&self) -> Stop {
        self.stop.clone()
    }

    /// The email worker, for tests that drive it by hand.
    pub fn mailer(&self) -> Mailer {
        self.mailer.clone()
    }

    /// The pool the server uses.
    pub fn pool(&self) -> DbPool {
        self.pool.clone()
    }

    /// Serves until the process is asked to stop. SIGTERM or SIGINT (or
    /// [`Self::stop_handle`]) stops accepting connections, lets in-flight requests
    /// finish (up to [`SHUTDOWN_TIMEOUT`]) and, at the same time, has the email worker
    /// finish or put back what it holds; this returns when both are done.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let stop = self.stop.clone();
        let in_flight = self.in_flight.clone();
        let stopper = tokio::spawn(async move {
            stop_on_signal(stop).await;
            // Not `stop(true)` alone: see `web::drain` for the race it has.
            handle.pause().await;
            if !in_flight.finish(SHUTDOWN_TIMEOUT).await {
                tracing::warn!(
                    requests = in_flight.count(),
                    "requests still in flight at the shutdown timeout"
                );
            }
            handle.stop(true).await;
        });
        let served = self.server.await;
        stopper.abort();
        if let Some(jobs) = self.jobs {
            jobs.stop().await;
        }
        tracing::info!("stopped");
        served
    }
}

/// Loads every template under `dir` once, at start-up.
pub fn build_tera(dir: &Path) -> anyhow::Result<Tera> {
    let glob = dir.join("**").join("*");
    let mut tera = Tera::new(&glob.to_string_lossy())
        .with_context(|| format!("cannot load templates from {}", dir.display()))?;
    // Autoescape HTML and the HTML part of emails; plain-text emails are not HTML.
    tera.autoescape_on(vec![".html"]);
    Ok(tera)
}

#[expect(clippy::too_many_arguments, reason = "each is shared state of the app")]
fn run(
    listener: TcpListener,
    in_flight: web::Data<InFlight>,
    pool: DbPool,
    tera: Tera,
    config: AppConfig,
    keys: SurveyKeys,
    static_dir: String,
    metrics_token: crate::metrics::MetricsToken,
) -> anyhow::Result<Server> {
    let keys = web::Data::new(keys);
    let questions = web::Data::new(crate::services::survey_response::QuestionCache::default());
    let metrics_token = web::Data::new(metrics_token);
    let pool = web::Data::new(pool);
    let tera = web::Data::new(tera);
    let max_upload = config.max_upload_bytes;
    let workers = match config.http_workers {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let config = web::Data::new(config);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(from_fn(csrf::ensure_csrf_cookie))
            .wrap(ErrorHandlers::new().default_handler(error_pages::render_error_page))
            .wrap(headers::security_headers())
            .wrap(from_fn(crate::metrics::record_requests))
            .wrap(TracingLogger::<RedactedRootSpan>::new())
            .wrap(from_fn(track_in_flight))
            .app_data(in_flight.clone())
            .app_data(pool.clone())
            .app_data(tera.clone())
            .app_data(config.clone())
            .app_data(keys.clone())
            .app_data(questions.clone())
            .app_data(metrics_token.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(DEFAULT_BODY_LIMIT)
                    .error_handler(json_error),
            )
            .app_data(web::PayloadConfig::new(DEFAULT_BODY_LIMIT))
            .app_data(web::FormConfig::default().limit(DEFAULT_BODY_LIMIT))
            .configure(|cfg| routes::configure(cfg, &static_dir, max_upload))
    })
    // Signals are handled in `run_until_stopped`, so the background jobs stop too.
    .disable_signals()
    .workers(workers)
    .shutdown_timeout(SHUTDOWN_TIMEOUT.as_secs())
    .listen(listener)?
    .run();
    Ok(server)
}

/// Malformed or oversized JSON: 413 for size, else 422 naming the problem (serde's
/// message names the field).
fn json_error(
    err: actix_web::error::JsonPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::JsonPayloadError;
    match err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            actix_web::error::ErrorPayloadTooLarge("body too large")
        }
        JsonPayloadError::ContentType => {
            AppError::UnsupportedMediaType("send JSON with Content-Type: application/json".into())
                .into()
        }
        JsonPayloadError::Deserialize(e) => {
            AppError::Validation(vec![FieldError::new("body", e.to_string())]).into()
        }
        other => AppError::Validation(vec![FieldError::new("body", other.to_string())]).into(),
    }
}
