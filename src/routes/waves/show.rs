//! `GET /waves/{id}`, `POST /waves/{id}/launch`, `POST /waves/{id}/close`.

use actix_web::{HttpResponse, web};
use chrono::Utc;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::initiative::Initiative;
use crate::db::models::wave::Wave;
use crate::db::models::wave_team_stats::load_for_wave;
use crate::domain::survey_token::SurveyKeys;
use crate::domain::team_tree::{TeamRef, flatten_tree};
use crate::error::AppError;
use crate::services::access::require_read;
use crate::services::wave_lifecycle::{close_wave, launch_wave};
use crate::services::wave_summary::wave_summary;
use crate::web::Page;
use crate::web::csrf::{CsrfForm, CsrfOnly};
use crate::web::flash::redirect_with_flash;

fn time_left(wave: &Wave) -> String {
    let left = wave.closes_at - Utc::now();
    if left.num_seconds() <= 0 {
        "closed".into()
    } else if left.num_days() >= 1 {
        format!("{} days {} hours", left.num_days(), left.num_hours() % 24)
    } else {
        format!(
            "{} hours {} minutes",
            left.num_hours(),
            left.num_minutes() % 60
        )
    }
}

/// Status, counts per team (not gated by k: counts reveal no answers), time left.
#[tracing::instrument(name = "Show wave", skip_all, fields(wave_id = *id))]
pub async fn show(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    let wave = Wave::find(&mut conn, *id).await?;
    require_read(&mut conn, &user, wave.initiative_id).await?;
    let initiative = Initiative::find(&mut conn, wave.initiative_id).await?;
    let summary = wave_summary(&mut conn, wave.id).await?;
    let stats = load_for_wave(&mut conn, wave.id).await?;
    let refs: Vec<TeamRef> = stats
        .iter()
        .map(|s| TeamRef {
            id: s.team_id,
            parent_id: s.parent_id,
            name: s.name.clone(),
            path: s.path.clone(),
        })
        .collect();
    let invited = stats
        .iter()
        .map(|s| (s.team_id, i64::from(s.invited)))
        .collect();
    let responded = stats
        .iter()
        .map(|s| (s.team_id, i64::from(s.responded)))
        .collect();
    let by_invited = flatten_tree(&refs, &invited);
    let by_responded = flatten_tree(&refs, &responded);
    let teams: Vec<_> = by_invited
        .iter()
        .zip(&by_responded)
        .filter(|(i, _)| i.subtree_people > 0)
        .map(|(i, r)| {
            let rate = crate::scoring::rate_percent(i.subtree_people, r.subtree_people);
            serde_json::json!({"name": i.name, "path": i.path, "depth": i.depth, "invited": i.subtree_people, "responded": r.subtree_people, "rate": rate})
        })
        .collect();
    let mut ctx = page.context();
    ctx.insert("wave", &wave);
    ctx.insert("initiative", &initiative);
    ctx.insert("summary", &summary);
    ctx.insert(
        "rate_percent",
        &crate::scoring::rate_percent(summary.invited, summary.responded),
    );
    let total_mail = summary.emails.queued + summary.emails.sent + summary.emails.failed;
    ctx.insert("mail_total", &total_mail);
    ctx.insert("teams", &teams);
    ctx.insert("time_left", &time_left(&wave));
    ctx.insert(
        "closes",
        &wave.closes_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    );
    ctx.insert("sending", &(summary.emails.queued > 0));
    ctx.insert(
        "failed",
        &crate::routes::waves::emails::failed_emails(&mut conn, wave.id).await?,
    );
    page.render("waves/show.html", &ctx)
}

/// Launches the wave (asks once on the page), then shows its progress.
#[tracing::instrument(name = "Launch wave", skip_all, fields(wave_id = *id))]
pub async fn launch(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    keys: web::Data<SurveyKeys>,
    id: web::Path<i64>,
    _f: CsrfForm<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let mut conn = pool.get().await?;
    let location = format!("/waves/{id}");
    match launch_wave(&mut conn, &keys, *id).await {
        Ok(invited) => Ok(redirect_with_flash(
            &location,
            &format!("Wave launched: {invited} people invited; emails are being sent."),
        )),
        Err(AppError::Conflict(message)) => Ok(redirect_with_flash(
            &location,
            &format!("Not launched: {message}."),
        )),
        Err(AppError::Validation(errors)) => {
            let message = errors
                .iter()
                .map(|e| format!("{} {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ");
            Ok(redirect_with_flash(
                &location,
                &format!("Not launched: {message}."),
            ))
        }
        Err(other) => Err(other),
    }
}

/// Closes the wave: no more answers or reminders.
#[tracing::instrument(name = "Close wave", skip_all, fields(wave_id = *id))]
pub async fn close(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    keys: web::Data<SurveyKeys>,
    id: web::Path<i64>,
    _f: CsrfForm<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let mut conn = pool.get().await?;
    let location = format!("/waves/{id}");
    match close_wave(&mut conn, &keys, *id).await {
        Ok(()) => Ok(redirect_with_flash(
            &location,
            "Wave closed. Links now say the survey has closed.",
        )),
        Err(AppError::Conflict(message)) => Ok(redirect_with_flash(
            &location,
            &format!("Not closed: {message}."),
        )),
        Err(other) => Err(other),
    }
}
