//! `GET/POST /login`.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::SecretString;
use serde::Deserialize;

use crate::auth::current_user::SESSION_COOKIE;
use crate::auth::login::{LoginRefusal, WINDOW_MINUTES, sign_in};
use crate::db::DbPool;
use crate::error::AppError;
use crate::startup::AppConfig;
use crate::web::Page;
use crate::web::csrf::CsrfForm;
use crate::web::flash::redirect;

/// The sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: SecretString,
}

/// Shows the sign-in form (or the start page to someone signed in).
#[tracing::instrument(name = "Show login form", skip_all)]
pub async fn login_form(page: Page) -> Result<HttpResponse, AppError> {
    if page.user.is_some() {
        return Ok(redirect("/"));
    }
    page.render("auth/login.html", &page.context())
}

/// Signs in: 303 to `/` with a session cookie, or the form again with one message
/// that does not tell an unknown email from a wrong password.
#[tracing::instrument(name = "Log in", skip_all)]
pub async fn login(
    req: HttpRequest,
    page: Page,
    pool: web::Data<DbPool>,
    config: web::Data<AppConfig>,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let mut conn = pool.get().await?;
    let outcome = sign_in(
        &mut conn,
        &form.email,
        form.password,
        &address,
        config.session_hours,
    )
    .await?;
    let (status, message) = match outcome {
        Ok(cookie_value) => {
            let cookie = Cookie::build(SESSION_COOKIE, cookie_value)
                .path("/")
                .http_only(true)
                .secure(config.secure_cookies)
                .same_site(SameSite::Lax)
                .finish();
            let mut response = redirect("/");
            response.add_cookie(&cookie).map_err(anyhow::Error::from)?;
            return Ok(response);
        }
        Err(LoginRefusal::BadCredentials) => (
            StatusCode::UNAUTHORIZED,
            "The email or password is not correct.".to_owned(),
        ),
        Err(LoginRefusal::Throttled) => (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many failed sign-in attempts. Wait {WINDOW_MINUTES} minutes and try again, or ask an administrator to reset your password."
            ),
        ),
    };
    let mut ctx = page.context();
    ctx.insert("email", &form.email);
    ctx.insert("error", &message);
    page.render_with_status(status, "auth/login.html", &ctx)
}
