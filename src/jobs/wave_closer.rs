//! Closes waves whose close time has passed, so answers and reminders stop on time
//! even when nobody presses "close".

use std::time::Duration;

use crate::db::DbPool;
use crate::domain::survey_token::SurveyKeys;
use crate::services::wave_lifecycle::close_overdue_waves;

/// How often overdue waves are looked for. Answers are refused from `closes_at` on
/// regardless; this only writes the closing marks.
pub const INTERVAL: Duration = Duration::from_secs(30);

/// Runs forever, closing overdue waves every [`INTERVAL`].
pub async fn run_until_stopped(pool: DbPool, keys: SurveyKeys) {
    loop {
        match pool.get().await {
            Ok(mut conn) => match close_overdue_waves(&mut conn, &keys).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(closed = n, "closed overdue waves"),
                Err(e) => tracing::warn!(error = ?e, "closing overdue waves failed"),
            },
            Err(e) => tracing::warn!(error = %e, "wave closer: database unavailable"),
        }
        tokio::time::sleep(INTERVAL).await;
    }
}
