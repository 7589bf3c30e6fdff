//! A wave's headline figures: invited, responded, response rate, email progress.

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

/// Email counts of a wave.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, QueryableByName, utoipa::ToSchema)]
pub struct EmailCounts {
    /// Waiting to be sent (including retries).
    #[diesel(sql_type = BigInt)]
    pub queued: i64,
    /// Accepted by the mail server.
    #[diesel(sql_type = BigInt)]
    pub sent: i64,
    /// Given up.
    #[diesel(sql_type = BigInt)]
    pub failed: i64,
}

#[derive(QueryableByName)]
struct Counts {
    #[diesel(sql_type = BigInt)]
    invited: i64,
    #[diesel(sql_type = BigInt)]
    responded: i64,
}

/// Headline figures (counts are never gated by k).
#[derive(Debug, Clone, Serialize)]
pub struct WaveSummary {
    /// People invited.
    pub invited: i64,
    /// Responses received.
    pub responded: i64,
    /// responded / invited, 0 when nobody was invited (rounded to 4 decimals).
    pub response_rate: f64,
    /// Email progress.
    pub emails: EmailCounts,
}

/// Computes the summary from the running counters and the outbox.
pub async fn wave_summary(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
) -> diesel::QueryResult<WaveSummary> {
    let counts: Counts = diesel::sql_query(
        "SELECT COALESCE(sum(invited), 0)::int8 AS invited, COALESCE(sum(responded), 0)::int8 AS responded \
         FROM wave_team_stats WHERE wave_id = $1",
    )
    .bind::<BigInt, _>(wave_id)
    .get_result(conn)
    .await?;
    let emails: EmailCounts = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE status = 'queued') AS queued, \
                count(*) FILTER (WHERE status = 'sent') AS sent, \
                count(*) FILTER (WHERE status = 'failed') AS failed \
         FROM email_outbox WHERE wave_id = $1",
    )
    .bind::<BigInt, _>(wave_id)
    .get_result(conn)
    .await?;
    let rate = if counts.invited == 0 {
        0.0
    } else {
        counts.responded as f64 / counts.invited as f64
    };
    Ok(WaveSummary {
        invited: counts.invited,
        responded: counts.responded,
        response_rate: (rate * 10_000.0).round() / 10_000.0,
        emails,
    })
}
