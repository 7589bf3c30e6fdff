//! `PUT /api/v1/people`: import the organisation from CSV.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error_responses as err;
use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::domain::people_csv::{CsvError, parse_people_csv};
use crate::error::AppError;
use crate::services::import_people::{ImportSummary, import_people};

/// Query string of the import.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Deactivate the active people the file does not list.
    #[serde(default)]
    deactivate_missing: bool,
}

/// 422 body of a CSV with bad rows: every problem, by line (the header is line 1).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CsvErrors)]
pub struct CsvErrorsJson {
    /// Every problem found; nothing was imported.
    errors: Vec<CsvError>,
}

/// Imports people and teams from CSV, all or nothing.
///
/// Upserts by email; a team path's parents come before it. Any bad row answers 422
/// with every line error and changes nothing.
#[utoipa::path(
    put,
    path = "/api/v1/people",
    tag = "people",
    params(ImportQuery),
    request_body(
        content = String,
        content_type = "text/csv",
        description = "Header `email,name,team`, optional `manager_email,location,external_id`.",
        example = "email,name,team\nada@example.org,Ada,Ops/Service Desk\n"
    ),
    responses(
        (status = 200, description = "What changed", body = ImportSummary),
        (status = 401, response = err::Unauthorized),
        (status = 403, response = err::Forbidden),
        (status = 413, response = err::PayloadTooLarge),
        (status = 415, response = err::UnsupportedMediaType),
        (status = 422, response = err::PeopleUnprocessable),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "Import people via API", skip_all)]
pub async fn put_people(
    req: HttpRequest,
    user: CurrentUser,
    pool: web::Data<DbPool>,
    query: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type.starts_with("text/csv") {
        return Err(AppError::UnsupportedMediaType(
            "send the file with Content-Type: text/csv".into(),
        ));
    }
    let rows = match parse_people_csv(&body) {
        Ok(rows) => rows,
        Err(errors) => {
            return Ok(HttpResponse::UnprocessableEntity().json(CsvErrorsJson { errors }));
        }
    };
    let mut conn = pool.get().await?;
    let summary = import_people(&mut conn, &rows, query.deactivate_missing, &|_| {}).await?;
    tracing::info!(people = rows.len(), ?summary, "people imported via API");
    Ok(HttpResponse::Ok().json(summary))
}
