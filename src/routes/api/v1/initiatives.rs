//! `POST/GET /api/v1/initiatives`, `POST /api/v1/initiatives/{id}/waves`.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::initiative::Initiative;
use crate::db::models::wave::{NewWave, Wave};
use crate::domain::role::Role;
use crate::error::{AppError, FieldError};
use crate::services::access::require_read;
use crate::services::wave_form::{WaveInput, validate_wave};

/// Body of `POST /api/v1/initiatives`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInitiativeJson {
    name: String,
    #[serde(default)]
    description: Option<String>,
}

/// An initiative as the API shows it.
#[derive(Debug, Serialize)]
pub struct InitiativeJson {
    id: i64,
    name: String,
    description: String,
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
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Creates an initiative (admins and practitioners).
#[tracing::instrument(name = "Create initiative via API", skip_all)]
pub async fn create(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    body: web::Json<NewInitiativeJson>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let description = body.description.clone().unwrap_or_default();
    validate_initiative(&body.name, &description)?;
    let mut conn = pool.get().await?;
    let initiative = Initiative::insert(&mut conn, body.name.trim(), description.trim()).await?;
    Ok(HttpResponse::Created().json(InitiativeJson::from(initiative)))
}

/// Lists the initiatives the caller may read.
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

/// Creates a draft wave of an initiative.
#[tracing::instrument(name = "Create wave via API", skip_all, fields(initiative_id = *id))]
pub async fn create_wave(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: web::Json<WaveInput>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let mut conn = pool.get().await?;
    require_read(&mut conn, &user, *id).await?;
    Initiative::find(&mut conn, *id).await?;
    let valid = validate_wave(&mut conn, &body).await?;
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
    Ok(HttpResponse::Created().json(serde_json::json!({"id": wave.id, "status": wave.status})))
}
