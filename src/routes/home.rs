//! `GET /`: the staff start page.

use actix_web::HttpResponse;

use crate::error::AppError;
use crate::web::Page;
use crate::web::flash::redirect;

/// Sends visitors to sign in, staff to their start page.
#[tracing::instrument(name = "Show home page", skip_all)]
pub async fn home(page: Page) -> Result<HttpResponse, AppError> {
    if page.user.is_none() {
        return Ok(redirect("/login"));
    }
    page.render("home.html", &page.context())
}
