//! `POST /api/v1/waves/{id}/launch`, `/close`, `GET /api/v1/waves/{id}`.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::error_responses as err;
use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::wave::Wave;
use crate::domain::survey_token::SurveyKeys;
use crate::error::AppError;
use crate::services::access::require_read;
use crate::services::wave_lifecycle::{close_wave, launch_wave};
use crate::services::wave_summary::{EmailCounts, wave_summary};

/// A wave's state: `draft` until launched, `open` while answers are taken, then `closed`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WaveStatus {
    /// Being prepared; nobody is invited yet.
    Draft,
    /// Invitations sent; answers are taken.
    Open,
    /// No more answers.
    Closed,
}

/// 202 body of a launch.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WaveLaunched)]
pub struct LaunchedJson {
    /// Always `open`.
    status: WaveStatus,
    /// People invited.
    invited: i64,
}

/// Body of a close.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WaveClosed)]
pub struct ClosedJson {
    /// Always `closed`.
    status: WaveStatus,
}

/// A wave with its headline figures (counts are never gated by k).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Wave)]
pub struct WaveJson {
    id: i64,
    initiative_id: i64,
    name: String,
    #[schema(value_type = WaveStatus)]
    status: String,
    /// RFC 3339.
    #[schema(format = DateTime)]
    closes_at: String,
    /// k: the smallest group whose figures are shown.
    min_group_size: i32,
    /// People invited.
    invited: i64,
    /// Responses received.
    responded: i64,
    /// responded / invited, 0 when nobody was invited (4 decimals).
    response_rate: f64,
    /// Invitation and reminder emails by state.
    emails: EmailCounts,
}

/// Launches a draft wave: invitations are queued; a second launch is a conflict.
#[utoipa::path(
    post,
    path = "/api/v1/waves/{id}/launch",
    tag = "waves",
    params(("id" = i64, Path, description = "Wave id")),
    responses(
        (status = 202, description = "Launched; emails are being sent", body = LaunchedJson),
        (status = 401, response = err::Unauthorized),
        (status = 403, response = err::Forbidden),
        (status = 404, response = err::NotFound),
        (status = 409, response = err::Conflict),
        (status = 422, response = err::Unprocessable),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
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
    Ok(HttpResponse::Accepted().json(LaunchedJson {
        status: WaveStatus::Open,
        invited,
    }))
}

/// Closes an open wave (closing a closed wave changes nothing; a draft is a conflict).
#[utoipa::path(
    post,
    path = "/api/v1/waves/{id}/close",
    tag = "waves",
    params(("id" = i64, Path, description = "Wave id")),
    responses(
        (status = 200, description = "Closed", body = ClosedJson),
        (status = 401, response = err::Unauthorized),
        (status = 403, response = err::Forbidden),
        (status = 404, response = err::NotFound),
        (status = 409, response = err::Conflict),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
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
    Ok(HttpResponse::Ok().json(ClosedJson {
        status: WaveStatus::Closed,
    }))
}

/// Status and counts of a wave.
#[utoipa::path(
    get,
    path = "/api/v1/waves/{id}",
    tag = "waves",
    params(("id" = i64, Path, description = "Wave id")),
    responses(
        (status = 200, description = "The wave", body = WaveJson),
        (status = 401, response = err::Unauthorized),
        (status = 404, response = err::NotFound),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
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
    Ok(HttpResponse::Ok().json(WaveJson {
        id: wave.id,
        initiative_id: wave.initiative_id,
        name: wave.name,
        status: wave.status,
        closes_at: wave.closes_at.to_rfc3339(),
        min_group_size: wave.min_group_size,
        invited: summary.invited,
        responded: summary.responded,
        response_rate: summary.response_rate,
        emails: summary.emails,
    }))
}
