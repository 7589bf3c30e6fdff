//! `GET /api/v1/teams`.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::error::AppError;
use crate::routes::teams::index::load_tree;

/// One team as api.md describes it; `people` counts its whole subtree.
#[derive(Debug, Serialize)]
pub struct TeamJson {
    id: i64,
    name: String,
    path: String,
    parent_id: Option<i64>,
    people: i64,
}

/// Every team, depth-first.
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
