//! `/account/api-keys`: create (shown once), list, revoke.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::api_key::ApiKey;
use crate::error::AppError;
use crate::services::api_keys::create_api_key;
use crate::web::Page;
use crate::web::csrf::{CsrfForm, CsrfOnly};
use crate::web::flash::redirect_with_flash;

/// The new-key form.
#[derive(Debug, Deserialize)]
pub struct NewKeyForm {
    label: String,
}

async fn render(
    user: &CurrentUser,
    page: &Page,
    pool: &DbPool,
    new_key: Option<&str>,
    error: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    let keys: Vec<_> = ApiKey::list_for_user(&mut conn, user.user.id)
        .await?
        .into_iter()
        .map(|k| {
            serde_json::json!({
                "id": k.id, "label": k.label, "prefix": k.prefix,
                "created": k.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                "last_used": k.last_used_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
                "revoked": k.revoked_at.is_some(),
            })
        })
        .collect();
    let mut ctx = page.context();
    ctx.insert("keys", &keys);
    ctx.insert("new_key", &new_key);
    ctx.insert("error", &error);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.render_with_status(status, "account/api_keys.html", &ctx)
}

/// Lists the user's keys.
#[tracing::instrument(name = "List API keys", skip_all)]
pub async fn index(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, AppError> {
    render(&user, &page, &pool, None, None).await
}

/// Creates a key and shows it this once.
#[tracing::instrument(name = "Create API key", skip_all)]
pub async fn create(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    CsrfForm(form): CsrfForm<NewKeyForm>,
) -> Result<HttpResponse, AppError> {
    let label = form.label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return render(
            &user,
            &page,
            &pool,
            None,
            Some("Give the key a label of 1 to 100 characters."),
        )
        .await;
    }
    let mut conn = pool.get().await?;
    let key = create_api_key(&mut conn, user.user.id, label).await?;
    drop(conn);
    render(&user, &page, &pool, Some(&key), None).await
}

/// Revokes one of the user's keys.
#[tracing::instrument(name = "Revoke API key", skip_all, fields(key_id = *id))]
pub async fn revoke(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    _form: CsrfForm<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    ApiKey::revoke(&mut conn, user.user.id, *id).await?;
    Ok(redirect_with_flash(
        "/account/api-keys",
        "Key revoked; it no longer works.",
    ))
}
