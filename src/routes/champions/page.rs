//! `GET /waves/{id}/champions`: hotspot teams with their proposed champion, distance,
//! primary barrier and interventions; uncovered teams; coverage ratio; candidates.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::initiative::Initiative;
use crate::db::models::wave::Wave;
use crate::error::AppError;
use crate::services::champion_assignment::stored_assignments;
use crate::services::champion_candidates::load_candidates;
use crate::services::results::wave_insights;
use crate::web::Page;

/// Default coverage target: one champion per this many people.
pub const DEFAULT_PEOPLE_PER_CHAMPION: i64 = 15;

/// Query string: the coverage target.
#[derive(Debug, Deserialize)]
pub struct ChampionsQuery {
    per: Option<i64>,
}

/// Shows the assignment and the candidates.
#[tracing::instrument(name = "Show champions", skip_all, fields(wave_id = *id))]
pub async fn show(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    query: web::Query<ChampionsQuery>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let mut conn = pool.get().await?;
    let wave = Wave::find(&mut conn, *id).await?;
    if wave.status == "draft" {
        return Err(AppError::NotFound);
    }
    let initiative = Initiative::find(&mut conn, wave.initiative_id).await?;
    let insights = wave_insights(&mut conn, &wave).await?;
    let candidates = load_candidates(&mut conn, wave.id).await?;
    let stored = stored_assignments(&mut conn, wave.id).await?;
    let per = query
        .per
        .filter(|p| (1..=1000).contains(p))
        .unwrap_or(DEFAULT_PEOPLE_PER_CHAMPION);
    let teams: Vec<_> = stored
        .iter()
        .map(|a| {
            let team = insights.results.team(a.team_id);
            let interventions: Vec<&String> = insights.hotspots.iter().filter(|h| h.team_id == a.team_id).flat_map(|h| h.interventions.iter()).collect();
            let mut unique: Vec<&String> = Vec::new();
            for i in interventions {
                if !unique.contains(&i) {
                    unique.push(i);
                }
            }
            let champions = i64::from(a.champion_email.is_some());
            let target = (a.people + per - 1) / per;
            serde_json::json!({
                "team_id": a.team_id, "path": a.path, "champion_email": a.champion_email, "champion_name": a.champion_name,
                "distance": a.distance, "overridden": a.overridden, "people": a.people,
                "primary_barrier": team.and_then(|t| t.primary_barrier).map(|e| e.label()),
                "interventions": unique, "champions": champions, "target": target, "meets_target": champions >= target,
            })
        })
        .collect();
    let covered = stored.iter().filter(|a| a.champion_email.is_some()).count();
    let mut ctx = page.context();
    ctx.insert("wave", &wave);
    ctx.insert("initiative", &initiative);
    ctx.insert("teams", &teams);
    ctx.insert("covered", &covered);
    ctx.insert("candidates", &candidates);
    ctx.insert(
        "eligible",
        &candidates.iter().filter(|c| c.eligible).collect::<Vec<_>>(),
    );
    ctx.insert("per", &per);
    ctx.insert(
        "hotspot_team_count",
        &insights
            .hotspots
            .iter()
            .filter(|h| h.hotspot_team)
            .map(|h| h.team_id)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
    );
    ctx.insert(
        "confirmed",
        &wave
            .champions_confirmed_at
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
    );
    page.render("champions/show.html", &ctx)
}
