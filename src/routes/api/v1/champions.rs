//! `POST /api/v1/waves/{id}/champions/assign`, `GET /api/v1/waves/{id}/champions`.
//! Practitioners and admins only: candidates link a person to their answers.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::wave::Wave;
use crate::error::{AppError, FieldError};
use crate::services::champion_assignment::{DEFAULT_MAX_TEAMS, propose, stored_assignments};
use crate::services::champion_candidates::load_candidates;

/// Body of the assign call.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignJson {
    #[serde(default)]
    max_teams_per_champion: Option<i64>,
}

/// Checks `max_teams_per_champion` (1..=20).
pub fn parse_max_teams(value: Option<i64>) -> Result<u32, AppError> {
    match value {
        None => Ok(DEFAULT_MAX_TEAMS),
        Some(n) if (1..=20).contains(&n) => Ok(n as u32),
        Some(_) => Err(AppError::Validation(vec![FieldError::new(
            "max_teams_per_champion",
            "must be a whole number from 1 to 20",
        )])),
    }
}

/// Proposes the optimal assignment for the wave's hotspot teams (overrides kept).
#[tracing::instrument(name = "Assign champions via API", skip_all, fields(wave_id = *id))]
pub async fn assign(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Option<web::Json<AssignJson>>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let max = parse_max_teams(body.and_then(|b| b.max_teams_per_champion))?;
    let mut conn = pool.get().await?;
    let wave = Wave::find(&mut conn, *id).await?;
    if wave.status == "draft" {
        return Err(AppError::Conflict("the wave has not been launched".into()));
    }
    let result = propose(&mut conn, &wave, max).await?;
    Ok(HttpResponse::Ok().json(json!({
        "assignments": result.assignments.iter().map(|a| json!({"team_id": a.team_id, "champion_email": a.champion_email, "distance": a.distance})).collect::<Vec<_>>(),
        "uncovered": result.uncovered,
        "total_distance": result.total_distance,
    })))
}

/// Candidates and the current assignment.
#[tracing::instrument(name = "Show champions via API", skip_all, fields(wave_id = *id))]
pub async fn show(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let mut conn = pool.get().await?;
    let wave = Wave::find(&mut conn, *id).await?;
    let candidates = load_candidates(&mut conn, wave.id).await?;
    let assignments = stored_assignments(&mut conn, wave.id).await?;
    Ok(HttpResponse::Ok().json(json!({
        "candidates": candidates.iter().map(|c| json!({
            "email": c.email, "name": c.name, "team_id": c.team_id, "source": c.source,
            "eligible": c.eligible, "readiness": c.readiness.map(crate::scoring::round2), "reason": c.reason,
        })).collect::<Vec<_>>(),
        "assignments": assignments.iter().map(|a| json!({
            "team_id": a.team_id, "path": a.path, "champion_email": a.champion_email,
            "distance": a.distance, "overridden": a.overridden,
        })).collect::<Vec<_>>(),
        "confirmed_at": wave.champions_confirmed_at.map(|t| t.to_rfc3339()),
    })))
}
