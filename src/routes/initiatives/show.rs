//! `GET/POST /initiatives/{id}` and `POST /initiatives/{id}/waves`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::initiative::Initiative;
use crate::db::models::user::User;
use crate::db::models::wave::{NewWave, Wave};
use crate::domain::role::Role;
use crate::error::{AppError, FieldError};
use crate::routes::api::v1::initiatives::validate_initiative;
use crate::routes::teams::index::load_tree;
use crate::services::access::require_read;
use crate::services::wave_form::{WaveInput, validate_wave};
use crate::web::Page;
use crate::web::csrf::CsrfForm;
use crate::web::flash::redirect_with_flash;

/// The edit form as posted, shown again with its errors.
struct EditForm<'a> {
    name: &'a str,
    description: &'a str,
    members: Vec<i64>,
    errors: Vec<FieldError>,
}

/// The wave form as a fresh page shows it.
fn new_wave_form() -> serde_json::Value {
    serde_json::json!({"min_group_size": 5, "reminder_days": "3, 7"})
}

async fn render(
    page: &Page,
    pool: &DbPool,
    user: &CurrentUser,
    id: i64,
    wave_form: &serde_json::Value,
    errors: &[FieldError],
    edit: Option<&EditForm<'_>>,
) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    require_read(&mut conn, user, id).await?;
    let initiative = Initiative::find(&mut conn, id).await?;
    let waves = Wave::list_for_initiative(&mut conn, id).await?;
    let members = Initiative::members(&mut conn, id).await?;
    let (wave_names, trend) =
        crate::routes::results::trend::initiative_trend(&mut conn, id).await?;
    let staff: Vec<_> = User::list(&mut conn)
        .await?
        .into_iter()
        .filter(|u| u.active && u.role() != Role::Admin)
        .map(|u| {
            let chosen = match edit {
                Some(edit) => edit.members.contains(&u.id),
                None => members.iter().any(|m| m.user_id == u.id),
            };
            serde_json::json!({"id": u.id, "name": u.name, "email": u.email, "role": u.role, "chosen": chosen})
        })
        .collect();
    drop(conn);
    let teams = if user.role().is_staff_operator() {
        load_tree(pool).await?
    } else {
        Vec::new()
    };
    let mut ctx = page.context();
    ctx.insert("initiative", &initiative);
    ctx.insert("waves", &waves);
    ctx.insert("members", &members);
    ctx.insert("wave_names", &wave_names);
    ctx.insert("trend", &trend);
    ctx.insert("staff", &staff);
    ctx.insert("teams", &teams);
    ctx.insert("wave_form", wave_form);
    ctx.insert("errors", errors);
    let edit_errors = edit.map_or(&[][..], |e| e.errors.as_slice());
    ctx.insert("edit_errors", edit_errors);
    ctx.insert(
        "edit",
        &edit.map_or_else(
            || serde_json::json!({"name": initiative.name, "description": initiative.description}),
            |e| serde_json::json!({"name": e.name, "description": e.description}),
        ),
    );
    let status = if errors.is_empty() && edit_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.render_with_status(status, "initiatives/show.html", &ctx)
}

/// Shows an initiative with its waves.
#[tracing::instrument(name = "Show initiative", skip_all, fields(initiative_id = *id))]
pub async fn show(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    render(&page, &pool, &user, *id, &new_wave_form(), &[], None).await
}

/// Form fields repeat (`member`, `team_id`), so the form is read as pairs.
type Pairs = Vec<(String, String)>;

fn field<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Saves name, description, sponsors and practitioners; the form again with messages
/// when the name or description is not valid.
#[tracing::instrument(name = "Update initiative", skip_all, fields(initiative_id = *id))]
pub async fn update(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let (name, description) = (field(&pairs, "name"), field(&pairs, "description"));
    let chosen: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "member")
        .filter_map(|(_, v)| v.parse::<i64>().ok())
        .collect();
    if let Err(AppError::Validation(errors)) = validate_initiative(name, description) {
        let edit = EditForm {
            name,
            description,
            members: chosen,
            errors,
        };
        return render(&page, &pool, &user, *id, &new_wave_form(), &[], Some(&edit)).await;
    }
    let mut conn = pool.get().await?;
    let staff = User::list(&mut conn).await?;
    let members: Vec<(i64, &str)> = chosen
        .iter()
        .filter_map(|uid| staff.iter().find(|u| u.id == *uid))
        .filter_map(|u| match u.role() {
            Role::Sponsor => Some((u.id, "sponsor")),
            Role::Practitioner => Some((u.id, "practitioner")),
            Role::Admin => None,
        })
        .collect();
    use diesel_async::AsyncConnection;
    conn.transaction(async |conn| {
        Initiative::update(conn, *id, name.trim(), description.trim()).await?;
        Initiative::set_members(conn, *id, &members).await
    })
    .await?;
    Ok(redirect_with_flash(
        &format!("/initiatives/{id}"),
        "Initiative saved.",
    ))
}

/// Creates a draft wave from the page's form.
#[tracing::instrument(name = "Create wave", skip_all, fields(initiative_id = *id))]
pub async fn create_wave(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let reminder_text = field(&pairs, "reminder_days");
    let reminder_days: Result<Vec<i64>, _> = reminder_text
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect();
    let input = WaveInput {
        name: field(&pairs, "name").to_owned(),
        closes_at: field(&pairs, "closes_at").to_owned(),
        team_ids: Some(
            pairs
                .iter()
                .filter(|(k, _)| k == "team_id")
                .filter_map(|(_, v)| v.parse().ok())
                .collect(),
        ),
        // Left empty: the default k (rules §4); not a number: 0, which the checks refuse.
        min_group_size: Some(field(&pairs, "min_group_size").trim())
            .filter(|k| !k.is_empty())
            .map(|k| k.parse().unwrap_or(0)),
        reminder_days: Some(reminder_days.clone().unwrap_or_else(|_| vec![0])),
        sponsor_message: Some(field(&pairs, "sponsor_message").to_owned()),
    };
    let mut conn = pool.get().await?;
    require_read(&mut conn, &user, *id).await?;
    let valid = match validate_wave(&mut conn, &input).await {
        Ok(valid) => valid,
        Err(AppError::Validation(errors)) => {
            drop(conn);
            let echo = serde_json::json!({"name": input.name, "closes_at": input.closes_at, "min_group_size": field(&pairs, "min_group_size"), "reminder_days": reminder_text, "sponsor_message": input.sponsor_message});
            return render(&page, &pool, &user, *id, &echo, &errors, None).await;
        }
        Err(other) => return Err(other),
    };
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
    Ok(redirect_with_flash(
        &format!("/waves/{}", wave.id),
        "Draft wave created. Check it, then launch it.",
    ))
}
