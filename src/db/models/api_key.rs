//! API keys: shown once, stored as SHA-256, revocable; they act with their owner's role.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::models::user::User;
use crate::db::schema::{api_keys, users};

/// An API key row (without any way to recover the key).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
pub struct ApiKey {
    /// Primary key.
    pub id: i64,
    /// Owner.
    pub user_id: i64,
    /// What the key is for, as its owner named it.
    pub label: String,
    /// SHA-256 of the key.
    pub key_hash: Vec<u8>,
    /// The first characters of the key, to recognise it in a list.
    pub prefix: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last time it authenticated a request (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// Set when revoked; a revoked key no longer works.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Fields of a new key.
#[derive(Debug, Insertable)]
#[diesel(table_name = api_keys)]
pub struct NewApiKey<'a> {
    /// Owner.
    pub user_id: i64,
    /// Label.
    pub label: &'a str,
    /// SHA-256 of the key.
    pub key_hash: &'a [u8],
    /// Recognisable prefix.
    pub prefix: &'a str,
}

impl ApiKey {
    /// Stores a new key.
    pub async fn insert(conn: &mut AsyncPgConnection, new: &NewApiKey<'_>) -> QueryResult<ApiKey> {
        diesel::insert_into(api_keys::table)
            .values(new)
            .returning(ApiKey::as_returning())
            .get_result(conn)
            .await
    }

    /// The active owner of an unrevoked key, noting its use.
    pub async fn find_user(
        conn: &mut AsyncPgConnection,
        key_hash: &[u8],
    ) -> QueryResult<Option<User>> {
        let found: Option<(i64, User)> = api_keys::table
            .inner_join(users::table)
            .filter(api_keys::key_hash.eq(key_hash))
            .filter(api_keys::revoked_at.is_null())
            .filter(users::active.eq(true))
            .select((api_keys::id, User::as_select()))
            .first(conn)
            .await
            .optional()?;
        let Some((key_id, user)) = found else {
            return Ok(None);
        };
        // Written at most once a minute so that busy integrations do not write on every call.
        diesel::update(
            api_keys::table.find(key_id).filter(
                api_keys::last_used_at
                    .is_null()
                    .or(api_keys::last_used_at.lt(Utc::now() - chrono::Duration::minutes(1))),
            ),
        )
        .set(api_keys::last_used_at.eq(Utc::now()))
        .execute(conn)
        .await?;
        Ok(Some(user))
    }

    /// The keys of one account, newest first.
    pub async fn list_for_user(
        conn: &mut AsyncPgConnection,
        user_id: i64,
    ) -> QueryResult<Vec<ApiKey>> {
        api_keys::table
            .filter(api_keys::user_id.eq(user_id))
            .order(api_keys::created_at.desc())
            .select(ApiKey::as_select())
            .load(conn)
            .await
    }

    /// Revokes a key of `user_id`; NotFound when it is not theirs.
    pub async fn revoke(
        conn: &mut AsyncPgConnection,
        user_id: i64,
        key_id: i64,
    ) -> QueryResult<()> {
        let updated = diesel::update(
            api_keys::table
                .find(key_id)
                .filter(api_keys::user_id.eq(user_id))
                .filter(api_keys::revoked_at.is_null()),
        )
        .set(api_keys::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await?;
        if updated == 0 {
            return Err(diesel::result::Error::NotFound);
        }
        Ok(())
    }
}
