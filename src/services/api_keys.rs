//! Issuing API keys (page and CLI).

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use crate::auth::token::{random_secret, sha256};
use crate::db::models::api_key::{ApiKey, NewApiKey};

/// Every key starts with this, so leaked keys are easy to spot in code and logs.
pub const KEY_PREFIX: &str = "cr_";

/// Creates a key for `user_id` and returns it; only its hash is stored.
pub async fn create_api_key(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    label: &str,
) -> QueryResult<String> {
    let key = format!("{KEY_PREFIX}{}", random_secret());
    let prefix: String = key.chars().take(KEY_PREFIX.len() + 6).collect();
    ApiKey::insert(
        conn,
        &NewApiKey {
            user_id,
            label,
            key_hash: &sha256(&key),
            prefix: &prefix,
        },
    )
    .await?;
    tracing::info!(user_id, "API key created");
    Ok(key)
}
