//! A deadpool of async Postgres connections with explicit timeouts.

use std::time::Duration;

use anyhow::Context;
use diesel::ConnectionError;
use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use secrecy::ExposeSecret;

use crate::config::DatabaseSettings;

/// The shared pool of connections.
pub type DbPool = Pool<AsyncPgConnection>;
/// One connection taken from the pool.
pub type DbConn = Object<AsyncPgConnection>;

/// Builds the pool. No connection is opened until the first request needs one, so the
/// server starts (and `/health` answers 503) while the database is down.
pub fn build_pool(settings: &DatabaseSettings) -> anyhow::Result<DbPool> {
    let timeout = Duration::from_secs(settings.connect_timeout_secs);
    let statement_timeout = settings.statement_timeout_ms;
    let mut manager_config = ManagerConfig::default();
    // No `SELECT 1` per checkout: a connection whose socket closed (database restarted)
    // reports itself closed and is dropped by the pool; one that dies mid-use fails that
    // request with 503. The test query cost a round trip on every request.
    manager_config.recycling_method = RecyclingMethod::Fast;
    manager_config.custom_setup =
        Box::new(move |url| establish_with_timeouts(url.to_owned(), timeout, statement_timeout));
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(
        settings.url.expose_secret(),
        manager_config,
    );
    Pool::builder(manager)
        .max_size(settings.pool_size)
        .runtime(deadpool::Runtime::Tokio1)
        .wait_timeout(Some(timeout))
        .create_timeout(Some(timeout))
        .recycle_timeout(Some(timeout))
        .build()
        .context("cannot build the database pool")
}

fn establish_with_timeouts(
    url: String,
    timeout: Duration,
    statement_timeout_ms: u64,
) -> BoxFuture<'static, diesel::ConnectionResult<AsyncPgConnection>> {
    async move {
        use diesel_async::{AsyncConnection, SimpleAsyncConnection};
        let mut conn = tokio::time::timeout(timeout, AsyncPgConnection::establish(&url))
            .await
            .map_err(|_| ConnectionError::BadConnection("connection timed out".into()))??;
        conn.batch_execute(&format!(
            "SET statement_timeout = {statement_timeout_ms}; SET lock_timeout = 10000"
        ))
        .await
        .map_err(ConnectionError::CouldntSetupConfiguration)?;
        Ok(conn)
    }
    .boxed()
}
