//! `POST /waves/{id}/emails/retry` and `/resend`: the wave page's email actions.

use actix_web::{HttpResponse, web};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};

use crate::auth::CurrentUser;
use crate::db::DbPool;
use crate::db::models::email_outbox::{resend_links, retry_failed};
use crate::domain::email_address::EmailAddress;
use crate::error::AppError;
use crate::web::csrf::{CsrfForm, CsrfOnly};
use crate::web::flash::redirect_with_flash;

/// The resend form.
#[derive(Debug, Deserialize)]
pub struct ResendForm {
    email: String,
}

/// A failed email and why.
#[derive(Debug, Serialize, QueryableByName)]
pub struct FailedEmail {
    /// Recipient.
    #[diesel(sql_type = Text)]
    pub recipient: String,
    /// The server's reply or the failure.
    #[diesel(sql_type = Text)]
    pub reason: String,
}

/// Up to 200 failed emails of a wave, for the wave page.
pub async fn failed_emails(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
) -> diesel::QueryResult<Vec<FailedEmail>> {
    diesel::sql_query(
        "SELECT recipient, COALESCE(last_error, 'unknown') AS reason FROM email_outbox \
         WHERE wave_id = $1 AND status = 'failed' ORDER BY recipient LIMIT 200",
    )
    .bind::<BigInt, _>(wave_id)
    .load(conn)
    .await
}

/// Queues the wave's failed emails again.
#[tracing::instrument(name = "Retry failed emails", skip_all, fields(wave_id = *id))]
pub async fn retry(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    _f: CsrfForm<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let mut conn = pool.get().await?;
    let n = retry_failed(&mut conn, *id).await?;
    Ok(redirect_with_flash(
        &format!("/waves/{id}"),
        &format!("{n} failed email(s) queued again."),
    ))
}

#[derive(QueryableByName)]
struct InvitationId {
    #[diesel(sql_type = SqlUuid)]
    id: uuid::Uuid,
}

/// Sends one invited person their link again.
#[tracing::instrument(name = "Resend survey link", skip_all, fields(wave_id = *id))]
pub async fn resend(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ResendForm>,
) -> Result<HttpResponse, AppError> {
    user.require_operator()?;
    let location = format!("/waves/{id}");
    let Ok(email) = EmailAddress::parse(&form.email) else {
        return Ok(redirect_with_flash(
            &location,
            "Not sent: that is not a valid email address.",
        ));
    };
    let mut conn = pool.get().await?;
    let found: Vec<InvitationId> = diesel::sql_query(
        "SELECT i.id FROM invitations i JOIN people p ON p.id = i.person_id \
         JOIN waves w ON w.id = i.wave_id WHERE i.wave_id = $1 AND p.email = $2 AND w.status = 'open'",
    )
    .bind::<BigInt, _>(*id)
    .bind::<Text, _>(email.as_ref())
    .load(&mut conn)
    .await?;
    if found.is_empty() {
        return Ok(redirect_with_flash(
            &location,
            "Not sent: nobody with that email is invited to this open wave.",
        ));
    }
    resend_links(&mut conn, &found.iter().map(|i| i.id).collect::<Vec<_>>()).await?;
    Ok(redirect_with_flash(
        &location,
        "Their link is queued to be sent again.",
    ))
}
