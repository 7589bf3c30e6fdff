//! `PUT /api/v1/people`: import the organisation from CSV.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::domain::people_csv::parse_people_csv;
use crate::error::AppError;
use crate::services::import_people::import_people;

/// Query string of the import.
#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    deactivate_missing: bool,
}

/// All or nothing: 422 with every line error, or 200 with what changed.
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
            return Ok(
                HttpResponse::UnprocessableEntity().json(serde_json::json!({ "errors": errors }))
            );
        }
    };
    let mut conn = pool.get().await?;
    let summary = import_people(&mut conn, &rows, query.deactivate_missing, &|_| {}).await?;
    tracing::info!(people = rows.len(), ?summary, "people imported via API");
    Ok(HttpResponse::Ok().json(summary))
}
