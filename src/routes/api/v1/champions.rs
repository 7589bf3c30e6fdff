//! `POST /api/v1/waves/{id}/champions/assign`, `GET /api/v1/waves/{id}/champions`.
//! Practitioners and admins only: candidates link a person to their answers.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error_responses as err;
use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::wave::Wave;
use crate::domain::json_object::JsonObject;
use crate::error::{AppError, FieldError};
use crate::services::champion_assignment::{DEFAULT_MAX_TEAMS, propose, stored_assignments};
use crate::services::champion_candidates::load_candidates;

/// Body of the assign call; the body itself may be left out.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AssignChampions)]
pub struct AssignJson {
    /// Most hotspot teams one champion covers; default 2.
    #[serde(default, deserialize_with = "crate::domain::json_int::option")]
    #[schema(minimum = 1, maximum = 20)]
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

/// The optional body: none, only whitespace or `null` means the defaults; anything else
/// must be a valid [`AssignJson`] (a bad one used to be ignored silently).
fn parse_assign_body(body: &[u8]) -> Result<AssignJson, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(AssignJson::default());
    }
    serde_json::from_slice::<Option<JsonObject<AssignJson>>>(body)
        .map(|b| b.map(|b| b.0).unwrap_or_default())
        .map_err(|e| AppError::Validation(vec![FieldError::new("body", e.to_string())]))
}

/// One hotspot team and the champion proposed for it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AssignedTeam)]
pub struct AssignedTeamJson {
    team_id: i64,
    champion_email: String,
    /// Steps between the champion's team and this one in the team tree.
    distance: u32,
}

/// The proposed assignment (practitioners' overrides kept).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ChampionAssignment)]
pub struct AssignmentJson {
    assignments: Vec<AssignedTeamJson>,
    /// Hotspot teams no eligible candidate can cover.
    uncovered: Vec<i64>,
    /// Sum of the distances.
    total_distance: u64,
}

/// A candidate: a respondent who opted in, or a person a practitioner nominated.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ChampionCandidate)]
pub struct CandidateJson {
    email: String,
    name: String,
    team_id: i64,
    /// `opt_in` or `nominated`.
    source: &'static str,
    /// May be assigned (opt-ins: no element at 3.0 or below).
    eligible: bool,
    /// Mean of desire, knowledge and ability, 2 decimals (opt-ins only, else null).
    #[schema(required = true)]
    readiness: Option<f64>,
    /// Why a practitioner nominated them (else null).
    #[schema(required = true)]
    reason: Option<String>,
}

/// A stored assignment of one hotspot team.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StoredAssignment)]
pub struct StoredAssignmentJson {
    team_id: i64,
    path: String,
    /// Null when no champion covers the team.
    #[schema(required = true)]
    champion_email: Option<String>,
    /// Null when no champion covers the team.
    #[schema(required = true)]
    distance: Option<i32>,
    /// Set by a practitioner; kept by re-runs.
    overridden: bool,
}

/// Candidates and the current assignment.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Champions)]
pub struct ChampionsJson {
    candidates: Vec<CandidateJson>,
    assignments: Vec<StoredAssignmentJson>,
    /// When the assignment was last confirmed (RFC 3339); null if never.
    #[schema(required = true, format = DateTime)]
    confirmed_at: Option<String>,
}

/// Proposes the optimal assignment for the wave's hotspot teams (overrides kept).
#[utoipa::path(
    post,
    path = "/api/v1/waves/{id}/champions/assign",
    tag = "champions",
    params(("id" = i64, Path, description = "Wave id")),
    request_body(content = Option<AssignJson>, description = "Optional."),
    responses(
        (status = 200, description = "The proposed assignment", body = AssignmentJson),
        (status = 401, response = err::Unauthorized),
        (status = 403, response = err::Forbidden),
        (status = 404, response = err::NotFound),
        (status = 409, response = err::Conflict),
        (status = 413, response = err::PayloadTooLarge),
        (status = 422, response = err::Unprocessable),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "Assign champions via API", skip_all, fields(wave_id = *id))]
pub async fn assign(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let max = parse_max_teams(parse_assign_body(&body)?.max_teams_per_champion)?;
    let mut conn = pool.get().await?;
    let wave = Wave::find(&mut conn, *id).await?;
    if wave.status == "draft" {
        return Err(AppError::Conflict("the wave has not been launched".into()));
    }
    let result = propose(&mut conn, &wave, max).await?;
    Ok(HttpResponse::Ok().json(AssignmentJson {
        assignments: result
            .assignments
            .into_iter()
            .map(|a| AssignedTeamJson {
                team_id: a.team_id,
                champion_email: a.champion_email,
                distance: a.distance,
            })
            .collect(),
        uncovered: result.uncovered,
        total_distance: result.total_distance,
    }))
}

/// Candidates and the current assignment.
#[utoipa::path(
    get,
    path = "/api/v1/waves/{id}/champions",
    tag = "champions",
    params(("id" = i64, Path, description = "Wave id")),
    responses(
        (status = 200, description = "Candidates and assignments", body = ChampionsJson),
        (status = 401, response = err::Unauthorized),
        (status = 403, response = err::Forbidden),
        (status = 404, response = err::NotFound),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
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
    Ok(HttpResponse::Ok().json(ChampionsJson {
        candidates: candidates
            .into_iter()
            .map(|c| CandidateJson {
                email: c.email,
                name: c.name,
                team_id: c.team_id,
                source: c.source,
                eligible: c.eligible,
                readiness: c.readiness.map(crate::scoring::round2),
                reason: c.reason,
            })
            .collect(),
        assignments: assignments
            .into_iter()
            .map(|a| StoredAssignmentJson {
                team_id: a.team_id,
                path: a.path,
                champion_email: a.champion_email,
                distance: a.distance,
                overridden: a.overridden,
            })
            .collect(),
        confirmed_at: wave.champions_confirmed_at.map(|t| t.to_rfc3339()),
    }))
}
