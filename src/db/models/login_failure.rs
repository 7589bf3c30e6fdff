//! Failed sign-ins, counted per account and per client address to throttle guessing.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::login_failures;

/// Queries over `login_failures`.
pub struct LoginFailure;

impl LoginFailure {
    /// Failures recorded for `key_hash` within the last `window`.
    pub async fn count_recent(
        conn: &mut AsyncPgConnection,
        key_hash: &[u8],
        window: Duration,
    ) -> QueryResult<i64> {
        login_failures::table
            .filter(login_failures::key_hash.eq(key_hash))
            .filter(login_failures::failed_at.gt(Utc::now() - window))
            .count()
            .get_result(conn)
            .await
    }

    /// Records one failure for each key and forgets failures older than a day.
    pub async fn record(conn: &mut AsyncPgConnection, key_hashes: &[&[u8]]) -> QueryResult<()> {
        let rows: Vec<_> = key_hashes
            .iter()
            .map(|hash| login_failures::key_hash.eq(*hash))
            .collect();
        diesel::insert_into(login_failures::table)
            .values(&rows)
            .execute(conn)
            .await?;
        diesel::delete(
            login_failures::table
                .filter(login_failures::failed_at.lt(Utc::now() - Duration::days(1))),
        )
        .execute(conn)
        .await
        .map(|_| ())
    }

    /// Forgets the failures of one key (after a successful sign-in).
    pub async fn clear(conn: &mut AsyncPgConnection, key_hash: &[u8]) -> QueryResult<()> {
        diesel::delete(login_failures::table.filter(login_failures::key_hash.eq(key_hash)))
            .execute(conn)
            .await
            .map(|_| ())
    }
}
