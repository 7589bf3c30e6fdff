//! `GET/POST /initiatives`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::initiative::Initiative;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::routes::api::v1::initiatives::validate_initiative;
use crate::web::Page;
use crate::web::csrf::CsrfForm;
use crate::web::flash::redirect_with_flash;

/// The new-initiative form.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub struct InitiativeForm {
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
}

async fn render(
    page: &Page,
    pool: &DbPool,
    user: &CurrentUser,
    form: &InitiativeForm,
    errors: &[crate::error::FieldError],
) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    let sponsor = (user.role() == Role::Sponsor).then_some(user.user.id);
    let initiatives = Initiative::list_visible(&mut conn, sponsor).await?;
    let mut ctx = page.context();
    ctx.insert("initiatives", &initiatives);
    ctx.insert("form", form);
    ctx.insert("errors", errors);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.render_with_status(status, "initiatives/index.html", &ctx)
}

/// Lists the initiatives the user may see.
#[tracing::instrument(name = "List initiatives", skip_all)]
pub async fn index(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, AppError> {
    render(&page, &pool, &user, &InitiativeForm::default(), &[]).await
}

/// Creates an initiative and opens it.
#[tracing::instrument(name = "Create initiative", skip_all)]
pub async fn create(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    CsrfForm(form): CsrfForm<InitiativeForm>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    if let Err(AppError::Validation(errors)) = validate_initiative(&form.name, &form.description) {
        return render(&page, &pool, &user, &form, &errors).await;
    }
    let mut conn = pool.get().await?;
    let initiative =
        Initiative::insert(&mut conn, form.name.trim(), form.description.trim()).await?;
    Ok(redirect_with_flash(
        &format!("/initiatives/{}", initiative.id),
        "Initiative created. Add a wave to survey your teams.",
    ))
}
