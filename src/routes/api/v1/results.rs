//! `GET /api/v1/waves/{id}/results`, `/results.csv`, `/hotspots` (api.md "Results").
//! Suppressed teams carry counts only; means are rounded to 2 decimals. Sponsors read
//! their initiatives' waves only: others answer 404.

use actix_web::{HttpResponse, web};
use utoipa::IntoParams;

use super::error_responses as err;
use super::results_json::{HotspotJson, ResultsJson, results_json};
use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::wave::Wave;
use crate::domain::adkar::Element;
use crate::error::{AppError, FieldError};
use crate::scoring::round2;
use crate::services::access::require_read;
use crate::services::results::{wave_insights, wave_results, wave_results_at};

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
#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocationQuery {
    /// Only people with this location (as imported); same k.
    #[param(pattern = r"^[^\x00]*$")]
    location: Option<String>,
}

/// Per-team results: one entry per team, each covering its subtree.
#[utoipa::path(
    get,
    path = "/api/v1/waves/{id}/results",
    tag = "results",
    params(("id" = i64, Path, description = "Wave id"), LocationQuery),
    responses(
        (status = 200, description = "The wave's figures", body = ResultsJson),
        (status = 401, response = err::Unauthorized),
        (status = 404, response = err::NotFound),
        (status = 422, response = err::Unprocessable),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "Wave results via API", skip_all, fields(wave_id = *id))]
pub async fn results(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    query: web::Query<LocationQuery>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = readable_wave(&pool, &user, *id).await?;
    let results = match query.location.as_deref() {
        // PostgreSQL text cannot hold NUL: the query would fail with a 500.
        Some(location) if location.contains('\0') => {
            let message = "must not contain NUL characters";
            return Err(AppError::Validation(vec![FieldError::new(
                "location", message,
            )]));
        }
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
///
/// Columns: `team_id,path,invited,responded,suppressed,element,n,mean,barrier_count,
/// ready_count,primary_barrier`; the organisation's rows have an empty `team_id` and the
/// path `(organisation)`; suppressed rows leave the figures empty.
#[utoipa::path(
    get,
    path = "/api/v1/waves/{id}/results.csv",
    tag = "results",
    params(("id" = i64, Path, description = "Wave id")),
    responses(
        (status = 200, description = "The wave's figures as CSV, with a header row",
            body = String, content_type = "text/csv",
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"wave-ID-results.csv\"`"))),
        (status = 401, response = err::Unauthorized),
        (status = 404, response = err::NotFound),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
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

/// Hotspots with reasons and interventions, lowest mean first.
#[utoipa::path(
    get,
    path = "/api/v1/waves/{id}/hotspots",
    tag = "results",
    params(("id" = i64, Path, description = "Wave id")),
    responses(
        (status = 200, description = "The wave's hotspots", body = Vec<HotspotJson>),
        (status = 401, response = err::Unauthorized),
        (status = 404, response = err::NotFound),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "Wave hotspots via API", skip_all, fields(wave_id = *id))]
pub async fn hotspots(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = readable_wave(&pool, &user, *id).await?;
    let insights = wave_insights(&mut conn, &wave).await?;
    let list: Vec<HotspotJson> = insights.hotspots.iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(list))
}
