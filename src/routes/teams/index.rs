//! `GET /teams`: the team tree with people per subtree.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::team::Team;
use crate::domain::team_tree::{TeamRef, TreeRow, flatten_tree};
use crate::error::AppError;
use crate::web::Page;

/// Loads the whole tree with active people counted per team and per subtree.
pub async fn load_tree(pool: &DbPool) -> Result<Vec<TreeRow>, AppError> {
    let mut conn = pool.get().await?;
    let teams = Team::all(&mut conn).await?;
    let counts: HashMap<i64, i64> = Team::active_member_counts(&mut conn)
        .await?
        .into_iter()
        .collect();
    let refs: Vec<TeamRef> = teams
        .into_iter()
        .map(|t| TeamRef {
            id: t.id,
            parent_id: t.parent_id,
            name: t.name,
            path: t.path,
        })
        .collect();
    Ok(flatten_tree(&refs, &counts))
}

/// Shows the tree; practitioners and admins only.
#[tracing::instrument(name = "Show team tree", skip_all)]
pub async fn index(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let rows = load_tree(&pool).await?;
    let total: i64 = rows
        .iter()
        .filter(|r| r.depth == 0)
        .map(|r| r.subtree_people)
        .sum();
    let mut ctx = page.context();
    ctx.insert("teams", &rows);
    ctx.insert("total_people", &total);
    page.render("teams/index.html", &ctx)
}
