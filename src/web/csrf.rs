//! CSRF protection by double submit: every browser gets a random `cr_csrf` cookie
//! (HttpOnly, SameSite=Strict) and every form carries the same value in `csrf_token`.
//! A cross-site page can neither read the cookie nor make the browser send it.

use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use serde::de::DeserializeOwned;

use crate::auth::token::random_secret;
use crate::error::AppError;
use crate::startup::AppConfig;

/// Name of the cookie holding the browser's CSRF token.
pub const CSRF_COOKIE: &str = "cr_csrf";
/// Name of the hidden form field.
pub const CSRF_FIELD: &str = "csrf_token";

/// The token to put in this response's forms.
#[derive(Debug, Clone)]
pub struct CsrfToken {
    /// The value.
    pub value: String,
    /// True when the request already carried it as a cookie (so a POST can be checked).
    pub from_cookie: bool,
}

/// Middleware: gives every browser a CSRF cookie and makes the token available to handlers.
pub async fn ensure_csrf_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // The JSON API has no forms and its clients keep no cookies: no token to mint.
    if req.path().starts_with("/api/") {
        return next.call(req).await;
    }
    let existing = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32);
    let secure = req
        .app_data::<web::Data<AppConfig>>()
        .is_some_and(|c| c.secure_cookies);
    let token = CsrfToken {
        from_cookie: existing.is_some(),
        value: existing.unwrap_or_else(random_secret),
    };
    req.extensions_mut().insert(token.clone());
    let mut res = next.call(req).await?;
    if !token.from_cookie {
        let cookie = Cookie::build(CSRF_COOKIE, token.value)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .finish();
        res.response_mut().add_cookie(&cookie)?;
    }
    Ok(res)
}

impl FromRequest for CsrfToken {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<CsrfToken>()
                .cloned()
                .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("CSRF middleware missing"))),
        )
    }
}

/// Fails with 403 unless `submitted` equals the token of the request's cookie.
pub fn verify(req: &HttpRequest, submitted: Option<&str>) -> Result<(), AppError> {
    let expected = req.extensions().get::<CsrfToken>().cloned();
    match (expected, submitted) {
        (Some(token), Some(submitted))
            if token.from_cookie
                && constant_time_eq(token.value.as_bytes(), submitted.as_bytes()) =>
        {
            Ok(())
        }
        _ => Err(AppError::Csrf),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A form that carries only its CSRF token (sign out, revoke, launch, …).
#[derive(Debug, serde::Deserialize)]
pub struct CsrfOnly {}

/// A url-encoded form whose CSRF token has been checked.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await?;
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&body).map_err(actix_web::error::ErrorBadRequest)?;
            let submitted = pairs
                .iter()
                .find(|(name, _)| name == CSRF_FIELD)
                .map(|(_, value)| value.as_str());
            verify(&req, submitted)?;
            let form =
                serde_urlencoded::from_bytes(&body).map_err(actix_web::error::ErrorBadRequest)?;
            Ok(CsrfForm(form))
        })
    }
}
