//! `GET /waves/{id}/results`: heatmap (teams × elements), barrier bars, response rates,
//! hotspots with reasons and interventions, change since the previous wave, and the
//! comments of a chosen (unsuppressed) team.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::domain::adkar::Element;
use crate::error::AppError;
use crate::routes::results::heatmap::heatmap_rows;
use crate::scoring::{hotspot_team_ids, round2};
use crate::services::access::readable_launched_wave;
use crate::services::results::{insights_for, team_comments, wave_locations};
use crate::web::Page;

/// Query string: a team to focus on, and how many levels below it to show.
#[derive(Debug, Deserialize)]
pub struct ResultsQuery {
    team: Option<i64>,
    depth: Option<usize>,
    location: Option<String>,
}

/// Shows the results of a wave to practitioners, admins and its sponsors.
#[tracing::instrument(name = "Show wave results", skip_all, fields(wave_id = *id))]
pub async fn show(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    query: web::Query<ResultsQuery>,
) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    let (wave, initiative) = readable_launched_wave(&mut conn, &user, *id).await?;
    let locations = wave_locations(&mut conn, wave.id).await?;
    let location = query
        .location
        .as_deref()
        .filter(|l| locations.iter().any(|x| x == l));
    let insights = insights_for(&mut conn, &wave, location).await?;
    let hotspot_teams: Vec<i64> = insights
        .hotspots
        .iter()
        .filter(|h| h.hotspot_team)
        .map(|h| h.team_id)
        .collect();
    let focus = query.team.and_then(|t| insights.results.team(t));
    let depth = query
        .depth
        .unwrap_or(if focus.is_some() { 1 } else { 2 })
        .min(10);
    let rows = heatmap_rows(
        &insights.results,
        insights.previous.as_ref().map(|(_, r)| r),
        &hotspot_teams,
        focus.map(|t| t.team_id),
        depth,
    );
    let comments = match focus {
        Some(team) if !team.suppressed && location.is_none() => {
            team_comments(&mut conn, wave.id, team.team_id).await?
        }
        _ => Vec::new(),
    };
    let comments: Vec<_> = Element::ALL
        .iter()
        .map(|e| serde_json::json!({"label": e.label(), "items": comments.iter().filter(|(ce, _)| ce == e).map(|(_, c)| c).collect::<Vec<_>>()}))
        .filter(|g| g["items"].as_array().is_some_and(|a| !a.is_empty()))
        .collect();
    let hotspots: Vec<_> = insights
        .hotspots
        .iter()
        .map(|h| serde_json::json!({"team_id": h.team_id, "path": h.path, "element": h.element.label(), "mean": round2(h.mean), "n": h.n, "reasons": h.reasons, "hotspot_team": h.hotspot_team, "interventions": h.interventions}))
        .collect();
    let mut ctx = page.context();
    ctx.insert("wave", &wave);
    ctx.insert("initiative", &initiative);
    ctx.insert("rows", &rows);
    ctx.insert("elements", &Element::ALL.map(Element::label));
    ctx.insert("hotspots", &hotspots);
    ctx.insert(
        "hotspot_team_count",
        &hotspot_team_ids(&insights.hotspots).len(),
    );
    ctx.insert(
        "previous",
        &insights.previous.as_ref().map(|(w, _)| w.name.clone()),
    );
    ctx.insert("focus", &focus.map(|t| serde_json::json!({"id": t.team_id, "path": t.path, "parent_id": t.parent_id, "suppressed": t.suppressed})));
    ctx.insert("depth", &depth);
    ctx.insert("comments", &comments);
    ctx.insert("k", &wave.min_group_size);
    ctx.insert("links", &true);
    ctx.insert("locations", &locations);
    ctx.insert("location", &location);
    page.render("results/show.html", &ctx)
}
