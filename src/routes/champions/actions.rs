//! The champions page's forms: propose, override, reset, nominate, remove, confirm.

use actix_web::{HttpResponse, web};
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::RunQueryDsl;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::wave::Wave;
use crate::domain::email_address::EmailAddress;
use crate::error::AppError;
use crate::routes::api::v1::champions::parse_max_teams;
use crate::services::champion_assignment::{propose, reset_overrides, set_override};
use crate::services::champion_notify::confirm_assignment;
use crate::web::csrf::{CsrfForm, CsrfOnly};
use crate::web::flash::redirect_with_flash;

/// The propose form.
#[derive(Debug, Deserialize)]
pub struct ProposeForm {
    max_teams_per_champion: Option<String>,
}

/// The override form: a team and a candidate's person id, or `none`.
#[derive(Debug, Deserialize)]
pub struct OverrideForm {
    team_id: i64,
    person: String,
}

/// The nomination form.
#[derive(Debug, Deserialize)]
pub struct NominateForm {
    email: String,
    reason: String,
}

/// The remove-candidate form.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    person_id: i64,
}

fn back(id: i64, message: &str) -> HttpResponse {
    redirect_with_flash(&format!("/waves/{id}/champions"), message)
}

async fn launched_wave(
    pool: &DbPool,
    user: &CurrentUser,
    id: i64,
) -> Result<(crate::db::DbConn, Wave), AppError> {
    user.require_operator()?;
    let mut conn = pool.get().await?;
    let wave = Wave::find(&mut conn, id).await?;
    if wave.status == "draft" {
        return Err(AppError::NotFound);
    }
    Ok((conn, wave))
}

/// Runs the optimal assignment.
#[tracing::instrument(name = "Propose champions", skip_all, fields(wave_id = *id))]
pub async fn propose_form(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ProposeForm>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = launched_wave(&pool, &user, *id).await?;
    let value = form
        .max_teams_per_champion
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<i64>().unwrap_or(0));
    let Ok(max) = parse_max_teams(value) else {
        return Ok(back(
            *id,
            "Teams per champion must be a whole number from 1 to 20.",
        ));
    };
    let result = propose(&mut conn, &wave, max).await?;
    let message = format!(
        "Proposed: {} team(s) covered, {} uncovered, total distance {}.",
        result.assignments.len(),
        result.uncovered.len(),
        result.total_distance
    );
    Ok(back(*id, &message))
}

/// Fixes one team's champion, or none.
#[tracing::instrument(name = "Override champion", skip_all, fields(wave_id = *id))]
pub async fn override_form(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<OverrideForm>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = launched_wave(&pool, &user, *id).await?;
    let person = if form.person == "none" {
        None
    } else {
        Some(form.person.parse::<i64>().map_err(|_| AppError::NotFound)?)
    };
    set_override(&mut conn, wave.id, form.team_id, person).await?;
    Ok(back(
        *id,
        "Override saved; later proposals keep it until you reset overrides.",
    ))
}

/// Drops all overrides.
#[tracing::instrument(name = "Reset champion overrides", skip_all, fields(wave_id = *id))]
pub async fn reset_form(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    _f: CsrfForm<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = launched_wave(&pool, &user, *id).await?;
    reset_overrides(&mut conn, wave.id).await?;
    Ok(back(
        *id,
        "Overrides removed. Propose again to fill those teams.",
    ))
}

/// Nominates a person (with a reason).
#[tracing::instrument(name = "Nominate champion", skip_all, fields(wave_id = *id))]
pub async fn nominate_form(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<NominateForm>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = launched_wave(&pool, &user, *id).await?;
    let reason = form.reason.trim();
    let Ok(email) = EmailAddress::parse(&form.email) else {
        return Ok(back(
            *id,
            "Not nominated: that is not a valid email address.",
        ));
    };
    if reason.is_empty() || reason.chars().count() > 500 {
        return Ok(back(
            *id,
            "Not nominated: give a reason of 1 to 500 characters.",
        ));
    }
    let added = diesel::sql_query(
        "INSERT INTO champion_nominations (wave_id, person_id, reason, nominated_by) \
         SELECT $1, p.id, $3, $4 FROM people p WHERE p.email = $2 AND p.active \
         ON CONFLICT (wave_id, person_id) DO UPDATE SET reason = excluded.reason",
    )
    .bind::<BigInt, _>(wave.id)
    .bind::<Text, _>(email.as_ref())
    .bind::<Text, _>(reason)
    .bind::<Nullable<BigInt>, _>(Some(user.user.id))
    .execute(&mut conn)
    .await?;
    Ok(back(
        *id,
        if added == 0 {
            "Not nominated: nobody active has that email."
        } else {
            "Nominated."
        },
    ))
}

/// Removes a candidate (their opt-in or nomination) and any team they cover.
#[tracing::instrument(name = "Remove champion candidate", skip_all, fields(wave_id = *id))]
pub async fn remove_form(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<RemoveForm>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = launched_wave(&pool, &user, *id).await?;
    for sql in [
        "DELETE FROM champion_optins WHERE wave_id = $1 AND person_id = $2",
        "DELETE FROM champion_nominations WHERE wave_id = $1 AND person_id = $2",
        "UPDATE champion_assignments SET person_id = NULL, distance = NULL WHERE wave_id = $1 AND person_id = $2",
    ] {
        diesel::sql_query(sql)
            .bind::<BigInt, _>(wave.id)
            .bind::<BigInt, _>(form.person_id)
            .execute(&mut conn)
            .await?;
    }
    Ok(back(*id, "Candidate removed."))
}

/// Confirms: emails each champion whose teams changed.
#[tracing::instrument(name = "Confirm champions", skip_all, fields(wave_id = *id))]
pub async fn confirm_form(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    _f: CsrfForm<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    let (mut conn, wave) = launched_wave(&pool, &user, *id).await?;
    let queued = confirm_assignment(&mut conn, &wave, &user.user.email).await?;
    Ok(back(
        *id,
        &format!("Confirmed. {queued} champion email(s) queued (only those whose teams changed)."),
    ))
}
