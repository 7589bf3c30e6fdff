//! `GET /api/v1/teams`.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::error_responses as err;
use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::error::AppError;
use crate::routes::teams::index::load_tree;

/// One team as api.md describes it; `people` counts its whole subtree.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Team)]
pub struct TeamJson {
    id: i64,
    /// Its own name, e.g. `Service Desk`.
    name: String,
    /// Full path, parents first, e.g. `Ops/Service Desk`.
    path: String,
    /// The parent team; null at the top.
    #[schema(required = true)]
    parent_id: Option<i64>,
    /// Active people in the team and its sub-teams.
    people: i64,
}

/// Lists every team, depth-first.
#[utoipa::path(
    get,
    path = "/api/v1/teams",
    tag = "teams",
    responses(
        (status = 200, description = "Every team, depth-first", body = Vec<TeamJson>),
        (status = 401, response = err::Unauthorized),
        (status = 403, response = err::Forbidden),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "List teams via API", skip_all)]
pub async fn list_teams(
    user: CurrentUser,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let teams: Vec<TeamJson> = load_tree(&pool)
        .await?
        .into_iter()
        .map(|row| TeamJson {
            id: row.id,
            name: row.name,
            path: row.path,
            parent_id: row.parent_id,
            people: row.subtree_people,
        })
        .collect();
    Ok(HttpResponse::Ok().json(teams))
}
