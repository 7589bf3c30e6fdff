//! `GET /api/v1/initiatives/{id}` and `PATCH /api/v1/initiatives/{id}`: one initiative
//! with its sponsors and practitioners, and changes to any of them.

use actix_web::{HttpResponse, web};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error_responses as err;
use super::initiatives::validate_initiative;
use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::initiative::Initiative;
use crate::db::models::user::User;
use crate::domain::json_object::JsonObject;
use crate::domain::role::Role;
use crate::error::{AppError, FieldError};
use crate::services::access::require_read;

/// An initiative with the people who run and sponsor it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = InitiativeDetail)]
pub struct InitiativeDetailJson {
    id: i64,
    name: String,
    /// Empty when none was given.
    description: String,
    /// Emails of its sponsors (they may read its results).
    sponsors: Vec<String>,
    /// Emails of its practitioners.
    practitioners: Vec<String>,
}

/// Body of `PATCH /api/v1/initiatives/{id}`: each field given replaces the stored one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = InitiativeUpdate)]
pub struct InitiativeUpdateJson {
    /// 1 to 200 characters once trimmed.
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00]*[^\s\x00][^\x00]*$"
    )]
    name: Option<String>,
    /// At most 5000 characters.
    #[serde(default)]
    #[schema(max_length = 5000, pattern = r"^[^\x00]*$")]
    description: Option<String>,
    /// Emails of active users with the sponsor role: the new list of sponsors.
    #[serde(default)]
    sponsors: Option<Vec<String>>,
    /// Emails of active users with the practitioner role: the new list of practitioners.
    #[serde(default)]
    practitioners: Option<Vec<String>>,
}

async fn detail(conn: &mut AsyncPgConnection, id: i64) -> Result<InitiativeDetailJson, AppError> {
    let initiative = Initiative::find(conn, id).await?;
    let members = Initiative::members(conn, id).await?;
    let with_role = |role: &str| {
        members
            .iter()
            .filter(|m| m.member_role == role)
            .map(|m| m.email.clone())
            .collect()
    };
    Ok(InitiativeDetailJson {
        id: initiative.id,
        name: initiative.name,
        description: initiative.description,
        sponsors: with_role("sponsor"),
        practitioners: with_role("practitioner"),
    })
}

/// One initiative with its sponsors and practitioners (a sponsor: only their own).
#[utoipa::path(
    get,
    path = "/api/v1/initiatives/{id}",
    tag = "initiatives",
    params(("id" = i64, Path, description = "Initiative id")),
    responses(
        (status = 200, description = "The initiative", body = InitiativeDetailJson),
        (status = 401, response = err::Unauthorized),
        (status = 404, response = err::NotFound),
        (status = 503, response = err::Unavailable),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "Show initiative via API", skip_all, fields(initiative_id = *id))]
pub async fn show(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    require_read(&mut conn, &user, *id).await?;
    Ok(HttpResponse::Ok().json(detail(&mut conn, *id).await?))
}

/// The members named by `emails` for `field` (`sponsors` or `practitioners`): each must
/// be an active user with `role`; every other entry is a field error.
fn members_named(
    staff: &[User],
    field: &str,
    emails: &[String],
    role: Role,
    errors: &mut Vec<FieldError>,
) -> Vec<i64> {
    let mut ids = Vec::new();
    for (i, email) in emails.iter().enumerate() {
        let found = staff
            .iter()
            .find(|u| u.active && u.role() == role && u.email.eq_ignore_ascii_case(email.trim()));
        match found {
            Some(user) if !ids.contains(&user.id) => ids.push(user.id),
            Some(_) => {}
            None => errors.push(FieldError::new(
                format!("{field}[{i}]"),
                format!("is not an active user with the {} role", role.as_str()),
            )),
        }
    }
    ids
}

/// Changes an initiative's name, description, sponsors or practitioners (admins and
/// practitioners); fields left out keep their values. All or nothing.
#[utoipa::path(
    patch,
    path = "/api/v1/initiatives/{id}",
    tag = "initiatives",
    params(("id" = i64, Path, description = "Initiative id")),
    request_body = InitiativeUpdateJson,
    responses(
        (status = 200, description = "Saved", body = InitiativeDetailJson),
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
#[tracing::instrument(name = "Update initiative via API", skip_all, fields(initiative_id = *id))]
pub async fn update(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: web::Json<JsonObject<InitiativeUpdateJson>>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let JsonObject(body) = body.into_inner();
    let mut conn = pool.get().await?;
    let initiative = Initiative::find(&mut conn, *id).await?;
    let name = body.name.unwrap_or(initiative.name);
    let description = body.description.unwrap_or(initiative.description);
    let mut errors = match validate_initiative(&name, &description) {
        Err(AppError::Validation(errors)) => errors,
        _ => Vec::new(),
    };
    let staff = User::list(&mut conn).await?;
    let current = Initiative::members(&mut conn, *id).await?;
    // A list left out keeps its members as they are, even one disabled since.
    let mut members_for = |field: &str, given: Option<Vec<String>>, role: Role| match given {
        Some(emails) => members_named(&staff, field, &emails, role, &mut errors),
        None => current
            .iter()
            .filter(|m| m.member_role == role.as_str())
            .map(|m| m.user_id)
            .collect(),
    };
    let sponsors = members_for("sponsors", body.sponsors, Role::Sponsor);
    let practitioners = members_for("practitioners", body.practitioners, Role::Practitioner);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let members: Vec<(i64, &str)> = sponsors
        .into_iter()
        .map(|user_id| (user_id, "sponsor"))
        .chain(
            practitioners
                .into_iter()
                .map(|user_id| (user_id, "practitioner")),
        )
        .collect();
    let saved = conn
        .transaction(async |conn| {
            Initiative::update(conn, *id, name.trim(), description.trim()).await?;
            Initiative::set_members(conn, *id, &members).await?;
            detail(conn, *id).await
        })
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}
