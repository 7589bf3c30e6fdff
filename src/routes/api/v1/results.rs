//! `GET /api/v1/waves/{id}/results`, `/results.csv`, `/hotspots` (api.md "Results").
//! Suppressed teams carry counts only; means are rounded to 2 decimals.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use serde_json::{Value, json};

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::wave::Wave;
use crate::domain::adkar::Element;
use crate::error::AppError;
use crate::scoring::{ElementFigure, WaveResults, primary_barrier, round2};
use crate::services::access::require_read;
use crate::services::results::{wave_insights, wave_results, wave_results_at};

/// One element's figure: `{"n", "mean"}`, mean rounded to 2 decimals.
#[derive(Serialize)]
struct FigureJson {
    n: i64,
    mean: Option<f64>,
}

/// The five elements by name, in A-D-K-A-R order.
#[derive(Serialize)]
struct ElementsJson {
    awareness: FigureJson,
    desire: FigureJson,
    knowledge: FigureJson,
    ability: FigureJson,
    reinforcement: FigureJson,
}

/// Barrier counts by element name, and `ready`.
#[derive(Serialize)]
struct BarriersJson {
    awareness: i64,
    desire: i64,
    knowledge: i64,
    ability: i64,
    reinforcement: i64,
    ready: i64,
}

fn elements_json(e: &[ElementFigure; 5]) -> ElementsJson {
    let f = |i: usize| FigureJson {
        n: e[i].n,
        mean: e[i].mean.map(round2),
    };
    ElementsJson {
        awareness: f(0),
        desire: f(1),
        knowledge: f(2),
        ability: f(3),
        reinforcement: f(4),
    }
}

fn barriers_json(b: &[i64; 6]) -> BarriersJson {
    BarriersJson {
        awareness: b[0],
        desire: b[1],
        knowledge: b[2],
        ability: b[3],
        reinforcement: b[4],
        ready: b[5],
    }
}

#[derive(Serialize)]
struct OrgJson {
    invited: i64,
    responded: i64,
    suppressed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    elements: Option<ElementsJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    barriers: Option<BarriersJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_barrier: Option<Option<Element>>,
}

#[derive(Serialize)]
struct TeamJson<'a> {
    team_id: i64,
    path: &'a str,
    parent_id: Option<i64>,
    invited: i64,
    responded: i64,
    suppressed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    elements: Option<ElementsJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    barriers: Option<BarriersJson>,
    // Present (possibly null: everyone ready) exactly when the figures are shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_barrier: Option<Option<Element>>,
}

/// The api.md shape of a wave's results.
#[derive(Serialize)]
pub struct ResultsJson<'a> {
    wave_id: i64,
    min_group_size: i64,
    org: OrgJson,
    teams: Vec<TeamJson<'a>>,
}

/// Builds the api.md shape of a wave's results; suppressed entries carry counts only.
pub fn results_json(wave_id: i64, results: &WaveResults) -> ResultsJson<'_> {
    let org = &results.org;
    let shown = !org.suppressed;
    ResultsJson {
        wave_id,
        min_group_size: results.min_group_size,
        org: OrgJson {
            invited: org.invited,
            responded: org.responded,
            suppressed: org.suppressed,
            elements: org.elements.as_ref().filter(|_| shown).map(elements_json),
            barriers: org.barriers.as_ref().filter(|_| shown).map(barriers_json),
            primary_barrier: org.barriers.as_ref().filter(|_| shown).map(primary_barrier),
        },
        teams: results
            .teams
            .iter()
            .map(|t| TeamJson {
                team_id: t.team_id,
                path: &t.path,
                parent_id: t.parent_id,
                invited: t.invited,
                responded: t.responded,
                suppressed: t.suppressed,
                elements: t.elements.as_ref().map(elements_json),
                barriers: t.barriers.as_ref().map(barriers_json),
                primary_barrier: t.barriers.map(|_| t.primary_barrier),
            })
            .collect(),
    }
}

async fn readable_wave(
    pool: &DbPool,
    user: &CurrentUser,
    id: i64,
) -> Result<(crate::db::DbConn, Wave), AppError> {
    let mut conn = pool.get().await?;
    let wave = Wave::find(&mut conn, id).await?;
    require_read(&mut conn, user, wave.initiative_id).await?;
    Ok((conn, wave))
}

/// `?location=`: the same figures for the people of one location (same k).
#[derive(Debug, serde::Deserialize)]
pub struct LocationQuery {
    location: Option<String>,
}

/// Per-team results as JSON.
#[tracing::instrument(name = "Wave results via API", skip_all, fields(wave_id = *id))]
pub async fn results(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    query: web::Query<LocationQuery>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = readable_wave(&pool, &user, *id).await?;
    let results = match query.location.as_deref() {
        Some(location) => wave_results_at(&mut conn, &wave, location).await?,
        None => wave_results(&mut conn, &wave).await?,
    };
    Ok(HttpResponse::Ok().json(results_json(wave.id, &results)))
}

fn csv_row(out: &mut csv::Writer<Vec<u8>>, cells: &[String]) -> Result<(), AppError> {
    out.write_record(cells)
        .map_err(|e| AppError::Unexpected(e.into()))
}

/// The same figures as CSV: one row per team (and the organisation) and element.
#[tracing::instrument(name = "Wave results CSV", skip_all, fields(wave_id = *id))]
pub async fn results_csv(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = readable_wave(&pool, &user, *id).await?;
    let results = wave_results(&mut conn, &wave).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    csv_row(
        &mut out,
        &[
            "team_id",
            "path",
            "invited",
            "responded",
            "suppressed",
            "element",
            "n",
            "mean",
            "barrier_count",
            "ready_count",
            "primary_barrier",
        ]
        .map(String::from),
    )?;
    let org = (
        "".to_owned(),
        "(organisation)".to_owned(),
        results.org.invited,
        results.org.responded,
        results.org.suppressed,
        results.org.elements,
        results.org.barriers,
        results.org.primary_barrier,
    );
    let teams = results.teams.iter().map(|t| {
        (
            t.team_id.to_string(),
            t.path.clone(),
            t.invited,
            t.responded,
            t.suppressed,
            t.elements,
            t.barriers,
            t.primary_barrier,
        )
    });
    for (id, path, invited, responded, suppressed, elements, barriers, primary) in
        std::iter::once(org).chain(teams)
    {
        for (i, element) in Element::ALL.iter().enumerate() {
            let figure = elements.map(|e| e[i]);
            csv_row(
                &mut out,
                &[
                    id.clone(),
                    path.clone(),
                    invited.to_string(),
                    responded.to_string(),
                    suppressed.to_string(),
                    element.as_str().to_owned(),
                    figure.map(|f| f.n.to_string()).unwrap_or_default(),
                    figure
                        .and_then(|f| f.mean)
                        .map(|m| format!("{:.2}", round2(m)))
                        .unwrap_or_default(),
                    barriers.map(|b| b[i].to_string()).unwrap_or_default(),
                    barriers.map(|b| b[5].to_string()).unwrap_or_default(),
                    primary.map(|p| p.as_str().to_owned()).unwrap_or_default(),
                ],
            )?;
        }
    }
    let body = out
        .into_inner()
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("{e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"wave-{}-results.csv\"", wave.id),
        ))
        .body(body))
}

/// Hotspots with reasons and interventions.
#[tracing::instrument(name = "Wave hotspots via API", skip_all, fields(wave_id = *id))]
pub async fn hotspots(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = readable_wave(&pool, &user, *id).await?;
    let insights = wave_insights(&mut conn, &wave).await?;
    let list: Vec<Value> = insights
        .hotspots
        .iter()
        .map(|h| {
            json!({
                "team_id": h.team_id, "path": h.path, "element": h.element, "mean": round2(h.mean), "n": h.n,
                "reasons": h.reasons, "hotspot_team": h.hotspot_team, "interventions": h.interventions,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(list))
}
