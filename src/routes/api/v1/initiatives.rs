//! `POST/GET /api/v1/initiatives`, `POST /api/v1/initiatives/{id}/waves`.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error_responses as err;
use super::waves::WaveStatus;
use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::initiative::Initiative;
use crate::db::models::wave::{NewWave, Wave};
use crate::domain::json_object::JsonObject;
use crate::domain::role::Role;
use crate::error::{AppError, FieldError};
use crate::services::access::require_read;
use crate::services::wave_form::{WaveInput, validate_wave};

/// Body of `POST /api/v1/initiatives`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewInitiative)]
pub struct NewInitiativeJson {
    /// 1 to 200 characters once trimmed.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00]*[^\s\x00][^\x00]*$"
    )]
    name: String,
    /// At most 5000 characters; absent or null: empty.
    #[serde(default)]
    #[schema(max_length = 5000, pattern = r"^[^\x00]*$")]
    description: Option<String>,
}

/// An initiative as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Initiative)]
pub struct InitiativeJson {
    id: i64,
    name: String,
    /// Empty when none was given.
    description: String,
}

/// 201 body of a new wave: its id and `draft`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WaveCreated)]
pub struct WaveCreatedJson {
    id: i64,
    /// Always `draft`.
    #[schema(value_type = WaveStatus)]
    status: String,
}

impl From<Initiative> for InitiativeJson {
    fn from(i: Initiative) -> Self {
        Self {
            id: i.id,
            name: i.name,
            description: i.description,
        }
    }
}

/// Checks an initiative's name and description; shared with the pages.
pub fn validate_initiative(name: &str, description: &str) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if name.trim().is_empty() || name.trim().chars().count() > 200 {
        errors.push(FieldError::new("name", "must be 1 to 200 characters"));
    }
    if description.chars().count() > 5000 {
        errors.push(FieldError::new(
            "description",
            "must be at most 5000 characters",
        ));
    }
    // PostgreSQL text cannot hold NUL: it would fail the insert with a 500.
    for (field, text) in [("name", name), ("description", description)] {
        if text.contains('\0') {
            errors.push(FieldError::new(field, "must not contain NUL characters"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Creates an initiative (admins and practitioners).
#[utoipa::path(
    post,
    path = "/api/v1/initiatives",
    tag = "initiatives",
    request_body = NewInitiativeJson,
    responses(
        (status = 201, description = "Created", body = InitiativeJson),
        (status = 401, response = err::Unauthorized),
        (status = 403, response = err::Forbidden),
        (status = 413, response = err::PayloadTooLarge),
        (status = 415, response = err::UnsupportedMediaType),
        (status = 422, response = err::Unprocessable),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "Create initiative via API", skip_all)]
pub async fn create(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    body: web::Json<JsonObject<NewInitiativeJson>>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let JsonObject(body) = body.into_inner();
    let description = body.description.clone().unwrap_or_default();
    validate_initiative(&body.name, &description)?;
    let mut conn = pool.get().await?;
    let initiative = Initiative::insert(&mut conn, body.name.trim(), description.trim()).await?;
    Ok(HttpResponse::Created().json(InitiativeJson::from(initiative)))
}

/// Lists the initiatives the caller may read (a sponsor: those they sponsor).
#[utoipa::path(
    get,
    path = "/api/v1/initiatives",
    tag = "initiatives",
    responses(
        (status = 200, description = "Readable initiatives", body = Vec<InitiativeJson>),
        (status = 401, response = err::Unauthorized),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "List initiatives via API", skip_all)]
pub async fn list(user: CurrentUser, pool: web::Data<DbPool>) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    let sponsor = (user.role() == Role::Sponsor).then_some(user.user.id);
    let list: Vec<InitiativeJson> = Initiative::list_visible(&mut conn, sponsor)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

/// Creates a draft wave of an initiative; without `team_ids` it invites everyone.
#[utoipa::path(
    post,
    path = "/api/v1/initiatives/{id}/waves",
    tag = "initiatives",
    params(("id" = i64, Path, description = "Initiative id")),
    request_body = WaveInput,
    responses(
        (status = 201, description = "The draft wave", body = WaveCreatedJson),
        (status = 401, response = err::Unauthorized),
        (status = 403, response = err::Forbidden),
        (status = 404, response = err::NotFound),
        (status = 413, response = err::PayloadTooLarge),
        (status = 415, response = err::UnsupportedMediaType),
        (status = 422, response = err::Unprocessable),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "Create wave via API", skip_all, fields(initiative_id = *id))]
pub async fn create_wave(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: web::Json<JsonObject<WaveInput>>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let mut conn = pool.get().await?;
    require_read(&mut conn, &user, *id).await?;
    Initiative::find(&mut conn, *id).await?;
    let valid = validate_wave(&mut conn, &body.0.0).await?;
    let new = NewWave {
        initiative_id: *id,
        name: &valid.name,
        closes_at: valid.closes_at,
        min_group_size: valid.min_group_size,
        reminder_days: valid.reminder_days.iter().copied().map(Some).collect(),
        all_teams: valid.team_ids.is_empty(),
        sponsor_message: &valid.sponsor_message,
    };
    let wave = Wave::insert(&mut conn, &new, &valid.team_ids).await?;
    Ok(HttpResponse::Created().json(WaveCreatedJson {
        id: wave.id,
        status: wave.status,
    }))
}
