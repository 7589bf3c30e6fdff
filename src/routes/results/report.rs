//! `GET /waves/{id}/report`: the sponsor's printable one-pager.

use actix_web::{HttpResponse, web};

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::domain::adkar::Element;
use crate::error::AppError;
use crate::routes::results::heatmap::heatmap_rows;
use crate::routes::results::trend::initiative_trend;
use crate::scoring::round2;
use crate::services::access::readable_launched_wave;
use crate::services::results::wave_insights;
use crate::web::Page;

/// Top-level heatmap, top five hotspots, response rate and the trend across waves.
#[tracing::instrument(name = "Show wave report", skip_all, fields(wave_id = *id))]
pub async fn report(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    let (wave, initiative) = readable_launched_wave(&mut conn, &user, *id).await?;
    let insights = wave_insights(&mut conn, &wave).await?;
    let hotspot_teams: Vec<i64> = insights
        .hotspots
        .iter()
        .filter(|h| h.hotspot_team)
        .map(|h| h.team_id)
        .collect();
    let rows = heatmap_rows(
        &insights.results,
        insights.previous.as_ref().map(|(_, r)| r),
        &hotspot_teams,
        None,
        1,
    );
    let top: Vec<_> = insights
        .hotspots
        .iter()
        .filter(|h| h.hotspot_team)
        .take(5)
        .map(|h| serde_json::json!({"path": h.path, "element": h.element.label(), "mean": round2(h.mean), "interventions": h.interventions}))
        .collect();
    let (wave_names, trend) = initiative_trend(&mut conn, initiative.id).await?;
    let mut ctx = page.context();
    ctx.insert("wave", &wave);
    ctx.insert("initiative", &initiative);
    ctx.insert("rows", &rows);
    ctx.insert("elements", &Element::ALL.map(Element::label));
    ctx.insert("top_hotspots", &top);
    ctx.insert(
        "previous",
        &insights.previous.as_ref().map(|(w, _)| w.name.clone()),
    );
    ctx.insert("wave_names", &wave_names);
    ctx.insert("trend", &trend);
    ctx.insert("k", &wave.min_group_size);
    ctx.insert("links", &false);
    ctx.insert(
        "generated",
        &chrono::Utc::now().format("%Y-%m-%d").to_string(),
    );
    page.render("results/report.html", &ctx)
}
