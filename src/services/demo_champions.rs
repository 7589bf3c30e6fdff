//! The demo's confirmed champion assignment for its open wave.

use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::models::wave::Wave;
use crate::services::champion_assignment::{DEFAULT_MAX_TEAMS, propose};
use crate::services::champion_notify::confirm_assignment;

/// Proposes and confirms the champions of `wave_id`; the fictional champions' emails
/// are marked sent rather than mailed.
pub async fn assign_demo_champions(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
    contact: &str,
) -> anyhow::Result<()> {
    let wave = Wave::find(conn, wave_id).await?;
    propose(conn, &wave, DEFAULT_MAX_TEAMS).await?;
    confirm_assignment(conn, &wave, contact).await?;
    diesel::sql_query("UPDATE email_outbox SET status = 'sent', sent_at = now() WHERE wave_id = $1 AND status = 'queued'")
        .bind::<BigInt, _>(wave_id)
        .execute(conn)
        .await?;
    Ok(())
}
