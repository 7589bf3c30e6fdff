//! Who may see or change an initiative and its waves.

use diesel_async::AsyncPgConnection;

use crate::auth::CurrentUser;
use crate::db::models::initiative::Initiative;
use crate::domain::role::Role;
use crate::error::AppError;

/// Admins and practitioners read every initiative; a sponsor only those they sponsor.
/// Others' initiatives answer 404, so their existence is not revealed.
pub async fn require_read(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    initiative_id: i64,
) -> Result<(), AppError> {
    match user.role() {
        Role::Admin | Role::Practitioner => Ok(()),
        Role::Sponsor => {
            if Initiative::is_sponsor(conn, initiative_id, user.user.id).await? {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        }
    }
}

/// A launched wave the user may read, with its initiative; drafts and others'
/// initiatives answer 404.
pub async fn readable_launched_wave(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    wave_id: i64,
) -> Result<(crate::db::models::wave::Wave, Initiative), AppError> {
    let wave = crate::db::models::wave::Wave::find(conn, wave_id).await?;
    require_read(conn, user, wave.initiative_id).await?;
    if wave.status == "draft" {
        return Err(AppError::NotFound);
    }
    let initiative = Initiative::find(conn, wave.initiative_id).await?;
    Ok((wave, initiative))
}
