//! Staff sign-in sessions, stored by the SHA-256 of the cookie value.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::models::user::User;
use crate::db::schema::{sessions, users};

/// A session row.
#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct Session {
    /// SHA-256 of the cookie value.
    pub token_hash: Vec<u8>,
    /// Who signed in.
    pub user_id: i64,
    /// Sign-in time.
    pub created_at: DateTime<Utc>,
    /// After this the session no longer works.
    pub expires_at: DateTime<Utc>,
}

impl Session {
    /// Stores a new session.
    pub async fn insert(conn: &mut AsyncPgConnection, session: &Session) -> QueryResult<()> {
        diesel::insert_into(sessions::table)
            .values(session)
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// The active user behind an unexpired session.
    pub async fn find_user(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
    ) -> QueryResult<Option<User>> {
        sessions::table
            .inner_join(users::table)
            .filter(sessions::token_hash.eq(token_hash))
            .filter(sessions::expires_at.gt(Utc::now()))
            .filter(users::active.eq(true))
            .select(User::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Ends one session (sign out), and clears expired ones while at it.
    pub async fn delete(conn: &mut AsyncPgConnection, token_hash: &[u8]) -> QueryResult<()> {
        diesel::delete(
            sessions::table.filter(
                sessions::token_hash
                    .eq(token_hash)
                    .or(sessions::expires_at.lt(Utc::now())),
            ),
        )
        .execute(conn)
        .await
        .map(|_| ())
    }

    /// Ends every session of an account.
    pub async fn delete_for_user(conn: &mut AsyncPgConnection, user_id: i64) -> QueryResult<()> {
        diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)))
            .execute(conn)
            .await
            .map(|_| ())
    }
}
