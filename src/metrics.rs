//! Prometheus metrics at `GET /metrics`, behind a bearer token (`metrics.token`; empty
//! turns the endpoint off): HTTP requests by route and status with latency histograms,
//! the email outbox, responses submitted and database pool use.

use std::sync::LazyLock;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double};
use diesel_async::RunQueryDsl;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, Opts, Registry, TextEncoder,
};

use crate::db::DbPool;
use crate::error::AppError;

/// The process's metrics.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    durations: HistogramVec,
    /// Survey saves (first answers and changes).
    pub responses_submitted: IntCounter,
}

fn build() -> Result<Metrics, prometheus::Error> {
    let registry = Registry::new_custom(Some("changeready".into()), None)?;
    let requests = IntCounterVec::new(
        Opts::new(
            "http_requests_total",
            "HTTP requests by route pattern, method and status",
        ),
        &["route", "method", "status"],
    )?;
    let durations = HistogramVec::new(
        HistogramOpts::new(
            "http_request_duration_seconds",
            "HTTP request latency by route pattern and method",
        )
        .buckets(vec![
            0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
        ]),
        &["route", "method"],
    )?;
    let responses_submitted = IntCounter::new(
        "survey_responses_submitted_total",
        "Survey answers saved (first answers and changes)",
    )?;
    registry.register(Box::new(requests.clone()))?;
    registry.register(Box::new(durations.clone()))?;
    registry.register(Box::new(responses_submitted.clone()))?;
    Ok(Metrics {
        registry,
        requests,
        durations,
        responses_submitted,
    })
}

/// The process-wide metrics (several app instances in one test process share them).
pub static METRICS: LazyLock<Option<Metrics>> = LazyLock::new(|| build().ok());

/// Middleware: counts and times every request by its route pattern (never the path).
pub async fn record_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let route = crate::telemetry::RoutePattern::of(&req);
    let method = req.method().clone();
    let res = next.call(req).await?;
    if let Some(m) = METRICS.as_ref() {
        let status = res.status();
        m.requests
            .with_label_values(&[&route, method.as_str(), status.as_str()])
            .inc();
        m.durations
            .with_label_values(&[&route, method.as_str()])
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(res)
}

#[derive(QueryableByName)]
struct Outbox {
    #[diesel(sql_type = BigInt)]
    queued: i64,
    #[diesel(sql_type = BigInt)]
    retrying: i64,
    #[diesel(sql_type = BigInt)]
    sent: i64,
    #[diesel(sql_type = BigInt)]
    failed: i64,
    #[diesel(sql_type = Double)]
    oldest: f64,
}

/// The token that unlocks `/metrics`; empty turns it off.
#[derive(Debug, Clone)]
pub struct MetricsToken(pub String);

/// `GET /metrics` in the Prometheus text format.
#[tracing::instrument(name = "Export metrics", skip_all)]
pub async fn export(
    req: HttpRequest,
    token: web::Data<MetricsToken>,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, AppError> {
    let given = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if token.0.is_empty() {
        return Err(AppError::NotFound);
    }
    if given != Some(token.0.as_str()) {
        return Err(AppError::Unauthorized);
    }
    let Some(m) = METRICS.as_ref() else {
        return Err(AppError::Unexpected(anyhow::anyhow!(
            "metrics registry unavailable"
        )));
    };
    let mut families = m.registry.gather();
    let mut conn = pool.get().await?;
    let outbox: Outbox = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE status = 'queued') AS queued, \
                count(*) FILTER (WHERE status = 'queued' AND attempts > 0) AS retrying, \
                count(*) FILTER (WHERE status = 'sent') AS sent, count(*) FILTER (WHERE status = 'failed') AS failed, \
                COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'queued')), 0)::float8 AS oldest \
         FROM email_outbox",
    )
    .get_result(&mut conn)
    .await?;
    drop(conn);
    let status = pool.status();
    let extra = Registry::new_custom(Some("changeready".into()), None)
        .map_err(|e| AppError::Unexpected(e.into()))?;
    let gauge = |name: &str,
                 help: &str,
                 labels: &[(&str, &str)],
                 value: f64|
     -> Result<(), prometheus::Error> {
        let mut opts = Opts::new(name, help);
        for (k, v) in labels {
            opts = opts.const_label(*k, *v);
        }
        let g = prometheus::Gauge::with_opts(opts)?;
        g.set(value);
        extra.register(Box::new(g))
    };
    let gauges = [
        (
            "outbox_emails",
            "Emails in the outbox by status",
            [("status", "queued")],
            outbox.queued as f64,
        ),
        (
            "outbox_emails",
            "Emails in the outbox by status",
            [("status", "retrying")],
            outbox.retrying as f64,
        ),
        (
            "outbox_emails",
            "Emails in the outbox by status",
            [("status", "sent")],
            outbox.sent as f64,
        ),
        (
            "outbox_emails",
            "Emails in the outbox by status",
            [("status", "failed")],
            outbox.failed as f64,
        ),
    ];
    for (name, help, labels, value) in gauges {
        gauge(name, help, &labels, value).map_err(|e| AppError::Unexpected(e.into()))?;
    }
    gauge(
        "outbox_oldest_queued_age_seconds",
        "Age of the oldest queued email",
        &[],
        outbox.oldest,
    )
    .map_err(|e| AppError::Unexpected(e.into()))?;
    let in_use = status.size.saturating_sub(status.available);
    gauge(
        "db_pool_connections_in_use",
        "Database connections handed out",
        &[],
        in_use as f64,
    )
    .map_err(|e| AppError::Unexpected(e.into()))?;
    gauge(
        "db_pool_connections_max",
        "Largest database pool size",
        &[],
        status.max_size as f64,
    )
    .map_err(|e| AppError::Unexpected(e.into()))?;
    families.extend(extra.gather());
    let mut body = Vec::new();
    TextEncoder::new()
        .encode(&families, &mut body)
        .map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body))
}
