//! `GET /people`: search, team filter, pagination.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::person::{PeopleFilter, Person};
use crate::error::AppError;
use crate::web::Page;

/// People shown per page.
pub const PAGE_SIZE: i64 = 50;

/// Query string of the people list.
#[derive(Debug, Deserialize)]
pub struct PeopleQuery {
    q: Option<String>,
    team: Option<String>,
    inactive: Option<String>,
    page: Option<i64>,
}

/// Lists people; practitioners and admins only.
#[tracing::instrument(name = "List people", skip_all)]
pub async fn list(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    query: web::Query<PeopleQuery>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let filter = PeopleFilter {
        search: query.q.as_deref().map(str::trim).map(str::to_owned),
        team_path: query.team.clone().filter(|t| !t.is_empty()),
        include_inactive: query.inactive.as_deref() == Some("1"),
    };
    let page_number = query.page.unwrap_or(1).max(1);
    let mut conn = pool.get().await?;
    let found =
        Person::search(&mut conn, &filter, (page_number - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    let pages = ((found.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let rows: Vec<_> = found
        .rows
        .into_iter()
        .map(|(person, team)| serde_json::json!({"person": person, "team": team}))
        .collect();
    let mut ctx = page.context();
    ctx.insert("people", &rows);
    ctx.insert("total", &found.total);
    ctx.insert("page", &page_number);
    ctx.insert("pages", &pages);
    ctx.insert("q", &filter.search.unwrap_or_default());
    ctx.insert("team", &filter.team_path.unwrap_or_default());
    ctx.insert("inactive", &filter.include_inactive);
    page.render("people/list.html", &ctx)
}
