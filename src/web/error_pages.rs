//! Friendly HTML pages for error statuses outside the API. They show a short,
//! fixed message per status and nothing of the cause.

use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, web};
use tera::{Context, Tera};

/// Title and explanation shown for `status`.
fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("Bad request", "The request could not be understood."),
        403 => (
            "Not allowed",
            "You do not have access to this page, or the form expired. Go back, reload the page and try again.",
        ),
        404 => ("Page not found", "There is nothing at this address."),
        405 => (
            "Not allowed",
            "This address does not accept that kind of request.",
        ),
        410 => ("Gone", "This is no longer available."),
        413 => (
            "Too large",
            "The upload is larger than this server accepts.",
        ),
        415 => (
            "Unsupported format",
            "The upload is not in a format this page accepts.",
        ),
        429 => (
            "Too many attempts",
            "Please wait a few minutes and try again.",
        ),
        503 => (
            "Temporarily unavailable",
            "The service cannot reach its database right now. Please try again in a minute.",
        ),
        _ if status.is_server_error() => (
            "Something went wrong",
            "The error has been logged. Please try again; if it keeps happening, tell your administrator.",
        ),
        _ => ("Request failed", "The request could not be completed."),
    }
}

/// `ErrorHandlers` callback: swaps a JSON or empty error body for an HTML page, except
/// under `/api/` and `/health` and where a handler already drew a page (forms with errors).
pub fn render_error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let path = res.request().path();
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if path.starts_with("/api/") || path == "/health" || path == "/metrics" || is_html {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, _) = res.into_parts();
    let response = if status == StatusCode::UNAUTHORIZED {
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/login"))
            .finish()
    } else {
        let (title, message) = describe(status);
        let mut ctx = Context::new();
        ctx.insert("status", &status.as_u16());
        ctx.insert("title", title);
        ctx.insert("message", message);
        let body = req
            .app_data::<web::Data<Tera>>()
            .and_then(|tera| tera.render("error.html", &ctx).ok())
            .unwrap_or_else(|| {
                format!("<!doctype html><title>{title}</title><h1>{title}</h1><p>{message}</p>")
            });
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body)
    };
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
