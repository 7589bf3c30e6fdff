//! `GET /api/v1/waves/{id}/results`, `/results.csv`, `/hotspots` (api.md "Results").
//! Suppressed teams carry counts only; means are rounded to 2 decimals.

use actix_web::{HttpResponse, web};
use serde_json::{Map, Value, json};

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::wave::Wave;
use crate::domain::adkar::Element;
use crate::error::AppError;
use crate::scoring::{ElementFigure, WaveResults, primary_barrier, round2};
use crate::services::access::require_read;
use crate::services::results::{wave_insights, wave_results};

fn elements_json(elements: &[ElementFigure; 5]) -> Value {
    let map: Map<String, Value> = Element::ALL
        .iter()
        .zip(elements)
        .map(|(e, f)| {
            (
                e.as_str().to_owned(),
                json!({"n": f.n, "mean": f.mean.map(round2)}),
            )
        })
        .collect();
    Value::Object(map)
}

fn barriers_json(barriers: &[i64; 6]) -> Value {
    let mut map: Map<String, Value> = Element::ALL
        .iter()
        .zip(barriers)
        .map(|(e, n)| (e.as_str().to_owned(), json!(n)))
        .collect();
    map.insert("ready".into(), json!(barriers[5]));
    Value::Object(map)
}

/// The api.md shape of a wave's results.
pub fn results_json(wave_id: i64, results: &WaveResults) -> Value {
    let mut org = json!({"invited": results.org.invited, "responded": results.org.responded, "suppressed": results.org.suppressed});
    if let (Some(elements), Some(barriers)) = (&results.org.elements, &results.org.barriers) {
        org["elements"] = elements_json(elements);
        org["barriers"] = barriers_json(barriers);
        org["primary_barrier"] = json!(primary_barrier(barriers));
    }
    let teams: Vec<Value> = results
        .teams
        .iter()
        .map(|t| {
            let mut team = json!({
                "team_id": t.team_id, "path": t.path, "parent_id": t.parent_id,
                "invited": t.invited, "responded": t.responded, "suppressed": t.suppressed,
            });
            if let (Some(elements), Some(barriers)) = (&t.elements, &t.barriers) {
                team["elements"] = elements_json(elements);
                team["barriers"] = barriers_json(barriers);
                team["primary_barrier"] = json!(t.primary_barrier);
            }
            team
        })
        .collect();
    json!({"wave_id": wave_id, "min_group_size": results.min_group_size, "org": org, "teams": teams})
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

/// Per-team results as JSON.
#[tracing::instrument(name = "Wave results via API", skip_all, fields(wave_id = *id))]
pub async fn results(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = readable_wave(&pool, &user, *id).await?;
    let results = wave_results(&mut conn, &wave).await?;
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
