//! `GET /dev/outbox`: when mail is written to files (no SMTP server configured), lists
//! recent emails with their survey links so a newcomer can answer without a mail server.

use actix_web::{HttpResponse, web};
use diesel::QueryableByName;
use diesel::sql_types::{Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::domain::survey_token::SurveyKeys;
use crate::error::AppError;
use crate::startup::AppConfig;
use crate::web::Page;

#[derive(QueryableByName)]
struct Recent {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    recipient: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Timestamptz)]
    created_at: chrono::DateTime<chrono::Utc>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    invitation_id: Option<uuid::Uuid>,
}

/// The 100 most recent emails; 404 when a real mail server is configured.
#[tracing::instrument(name = "Show dev outbox", skip_all)]
pub async fn index(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    config: web::Data<AppConfig>,
    keys: web::Data<SurveyKeys>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    if !config.dev_outbox {
        return Err(AppError::NotFound);
    }
    let mut conn = pool.get().await?;
    let rows: Vec<Recent> = diesel::sql_query(
        "SELECT o.kind, o.recipient, o.status, o.created_at, o.invitation_id FROM email_outbox o \
         LEFT JOIN waves w ON w.id = o.wave_id WHERE w.status IS DISTINCT FROM 'closed' \
         ORDER BY o.created_at DESC, o.recipient LIMIT 100",
    )
    .load(&mut conn)
    .await?;
    let mails: Vec<_> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "kind": r.kind, "recipient": r.recipient, "status": r.status,
                "created": r.created_at.format("%Y-%m-%d %H:%M").to_string(),
                "link": r.invitation_id.map(|id| format!("/s/{}", keys.token_for(id).expose())),
            })
        })
        .collect();
    let mut ctx = page.context();
    ctx.insert("mails", &mails);
    page.render("dev/outbox.html", &ctx)
}
