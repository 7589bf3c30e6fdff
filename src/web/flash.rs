//! One-shot messages shown on the page a POST redirects to.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Name of the cookie carrying the message to the next page.
pub const FLASH_COOKIE: &str = "cr_flash";

/// 303 to `location`, showing `message` once on the next page.
pub fn redirect_with_flash(location: &str, message: &str) -> HttpResponse {
    let cookie = Cookie::build(FLASH_COOKIE, URL_SAFE_NO_PAD.encode(message))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(Duration::minutes(5))
        .finish();
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .cookie(cookie)
        .finish()
}

/// Plain 303 to `location`.
pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

/// The message waiting for this request, if any.
pub fn take_flash(req: &HttpRequest) -> Option<String> {
    let cookie = req.cookie(FLASH_COOKIE)?;
    let bytes = URL_SAFE_NO_PAD.decode(cookie.value()).ok()?;
    String::from_utf8(bytes).ok().filter(|m| !m.is_empty())
}

/// A cookie that removes the flash message once shown.
pub fn clear_flash_cookie() -> Cookie<'static> {
    let mut cookie = Cookie::build(FLASH_COOKIE, "").path("/").finish();
    cookie.make_removal();
    cookie
}
