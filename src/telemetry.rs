//! Logging: JSON lines in production, readable lines locally; one span per request.
//!
//! Request spans carry the route *pattern* (`/s/{token}`), never the raw path or query,
//! so survey tokens, emails and names cannot reach the logs.

use std::rc::Rc;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber. `RUST_LOG` overrides the default `info` level.
/// Safe to call more than once (later calls are ignored), which the tests rely on.
pub fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
}

/// The route pattern of a request (`/s/{token}`, or `unmatched`), worked out once per
/// request and kept in its extensions: matching walks the route table with regexes,
/// which the logs and the metrics would otherwise both repeat.
#[derive(Clone)]
pub struct RoutePattern(pub Rc<str>);

impl RoutePattern {
    /// The request's pattern, from its extensions when already known.
    pub fn of(request: &ServiceRequest) -> Rc<str> {
        if let Some(known) = request.extensions().get::<RoutePattern>() {
            return known.0.clone();
        }
        let pattern: Rc<str> = request
            .match_pattern()
            .map_or_else(|| Rc::from("unmatched"), Rc::from);
        request
            .extensions_mut()
            .insert(RoutePattern(pattern.clone()));
        pattern
    }
}

/// Builds the per-request span without the request's path or query string.
pub struct RedactedRootSpan;

impl RootSpanBuilder for RedactedRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = RoutePattern::of(request);
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            request_id = %uuid::Uuid::new_v4(),
            http.status_code = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
