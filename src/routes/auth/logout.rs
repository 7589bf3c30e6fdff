//! `POST /logout`.

use actix_web::cookie::Cookie;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::auth::current_user::SESSION_COOKIE;
use crate::auth::token::sha256;
use crate::db::DbPool;
use crate::db::models::session::Session;
use crate::error::AppError;
use crate::web::csrf::{CsrfForm, CsrfOnly};
use crate::web::flash::redirect_with_flash;

/// Ends the session in the database and removes the cookie.
#[tracing::instrument(name = "Log out", skip_all)]
pub async fn logout(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    _form: CsrfForm<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    if let Some(cookie) = req.cookie(SESSION_COOKIE) {
        let mut conn = pool.get().await?;
        Session::delete(&mut conn, &sha256(cookie.value())).await?;
    }
    let mut removal = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    removal.make_removal();
    let mut response = redirect_with_flash("/login", "You are signed out.");
    response.add_cookie(&removal).map_err(anyhow::Error::from)?;
    Ok(response)
}
