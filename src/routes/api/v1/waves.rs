//! `POST /api/v1/waves/{id}/launch`, `/close`, `GET /api/v1/waves/{id}`.

use actix_web::{HttpResponse, web};

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::wave::Wave;
use crate::domain::survey_token::SurveyKeys;
use crate::error::AppError;
use crate::services::access::require_read;
use crate::services::wave_lifecycle::{close_wave, launch_wave};
use crate::services::wave_summary::wave_summary;

/// Launches a draft wave: 202 with the number invited; 409 when already launched.
#[tracing::instrument(name = "Launch wave via API", skip_all, fields(wave_id = *id))]
pub async fn launch(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    keys: web::Data<SurveyKeys>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let mut conn = pool.get().await?;
    let invited = launch_wave(&mut conn, &keys, *id).await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({"status": "open", "invited": invited})))
}

/// Closes an open wave.
#[tracing::instrument(name = "Close wave via API", skip_all, fields(wave_id = *id))]
pub async fn close(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    keys: web::Data<SurveyKeys>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let mut conn = pool.get().await?;
    close_wave(&mut conn, &keys, *id).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "closed"})))
}

/// Status and counts of a wave.
#[tracing::instrument(name = "Show wave via API", skip_all, fields(wave_id = *id))]
pub async fn show(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    let wave = Wave::find(&mut conn, *id).await?;
    require_read(&mut conn, &user, wave.initiative_id).await?;
    let summary = wave_summary(&mut conn, wave.id).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "id": wave.id,
        "initiative_id": wave.initiative_id,
        "name": wave.name,
        "status": wave.status,
        "closes_at": wave.closes_at.to_rfc3339(),
        "min_group_size": wave.min_group_size,
        "invited": summary.invited,
        "responded": summary.responded,
        "response_rate": summary.response_rate,
        "emails": summary.emails,
    })))
}
