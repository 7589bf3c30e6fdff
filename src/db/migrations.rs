//! Migrations embedded in the binary, applied under a Postgres advisory lock so that
//! several instances starting together apply each migration once.

use anyhow::Context;
use diesel::RunQueryDsl;
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// Every migration under `migrations/`.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Arbitrary constant naming the lock ("changerd" in ASCII).
const MIGRATION_LOCK_ID: i64 = 0x6368_616e_6765_7264;

/// Applies pending migrations; returns how many were applied.
pub async fn run_migrations(database_url: &str) -> anyhow::Result<usize> {
    let url = database_url.to_owned();
    tokio::task::spawn_blocking(move || {
        use diesel::Connection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .context("cannot connect to the database to migrate it")?;
        diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_ID})"))
            .execute(&mut conn)
            .context("cannot take the migration lock")?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.len())
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"));
        diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_ID})"))
            .execute(&mut conn)
            .context("cannot release the migration lock")?;
        applied
    })
    .await
    .context("the migration task panicked")?
}
