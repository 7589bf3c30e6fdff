//! `GET/POST /people/import`: upload the organisation as CSV from a page.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::domain::people_csv::parse_people_csv;
use crate::error::AppError;
use crate::services::import_people::import_people;
use crate::startup::AppConfig;
use crate::web::Page;
use crate::web::csrf::{CSRF_FIELD, verify};

/// Shows the upload form.
#[tracing::instrument(name = "Show import form", skip_all)]
pub async fn import_form(user: CurrentUser, page: Page) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    page.render("people/import.html", &page.context())
}

/// The fields of the multipart upload.
#[derive(Default)]
struct Upload {
    csrf: Option<String>,
    file: Vec<u8>,
    deactivate_missing: bool,
}

async fn read_upload(mut payload: Multipart, limit: usize) -> Result<Upload, actix_web::Error> {
    let mut upload = Upload::default();
    while let Some(field) = payload.next().await {
        let mut field = field?;
        let name = field.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk?;
            if bytes.len() + chunk.len() > limit {
                return Err(actix_web::error::ErrorPayloadTooLarge("upload too large"));
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            CSRF_FIELD => upload.csrf = String::from_utf8(bytes).ok(),
            "file" => upload.file = bytes,
            "deactivate_missing" => upload.deactivate_missing = bytes == b"1",
            _ => {}
        }
    }
    Ok(upload)
}

/// Imports the uploaded file, then shows what changed, or every error with nothing changed.
#[tracing::instrument(name = "Import people from upload", skip_all)]
pub async fn import_upload(
    req: HttpRequest,
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    config: web::Data<AppConfig>,
    payload: Multipart,
) -> Result<HttpResponse, actix_web::Error> {
    user.require_operator()?;
    let upload = read_upload(payload, config.max_upload_bytes).await?;
    verify(&req, upload.csrf.as_deref())?;
    let mut ctx = page.context();
    ctx.insert("deactivate_missing", &upload.deactivate_missing);
    if upload.file.is_empty() {
        ctx.insert("form_error", "Choose a CSV file to import.");
        return Ok(page.render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "people/import.html",
            &ctx,
        )?);
    }
    let rows = match parse_people_csv(&upload.file) {
        Ok(rows) => rows,
        Err(errors) => {
            ctx.insert("errors", &errors);
            return Ok(page.render_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "people/import.html",
                &ctx,
            )?);
        }
    };
    let mut conn = pool.get().await.map_err(AppError::from)?;
    let summary = import_people(&mut conn, &rows, upload.deactivate_missing, &|_| {})
        .await
        .map_err(AppError::from)?;
    tracing::info!(people = rows.len(), ?summary, "people imported from upload");
    ctx.insert("summary", &summary);
    ctx.insert("rows", &rows.len());
    Ok(page.render("people/import.html", &ctx)?)
}
