//! Staff accounts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::users;
use crate::domain::email_address::EmailAddress;
use crate::domain::role::Role;

/// A staff account row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    /// Primary key.
    pub id: i64,
    /// Lower-cased email, used to sign in.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Stored role name; see [`User::role`].
    pub role: String,
    /// PHC-format argon2id hash.
    pub password_hash: String,
    /// Disabled accounts cannot sign in.
    pub active: bool,
    /// When the account was made.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Fields of a new account.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    /// Lower-cased email.
    pub email: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Role name.
    pub role: &'a str,
    /// argon2id hash.
    pub password_hash: &'a str,
}

impl User {
    /// The account's role; an unknown stored value (impossible by the CHECK) reads as sponsor,
    /// the role with the least power.
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Sponsor)
    }

    /// Finds an account by email.
    pub async fn find_by_email(
        conn: &mut AsyncPgConnection,
        email: &EmailAddress,
    ) -> QueryResult<Option<User>> {
        users::table
            .filter(users::email.eq(email.as_ref()))
            .select(User::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Finds an account by id.
    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<User> {
        users::table
            .find(id)
            .select(User::as_select())
            .first(conn)
            .await
    }

    /// Inserts a new account.
    pub async fn insert(conn: &mut AsyncPgConnection, new: &NewUser<'_>) -> QueryResult<User> {
        diesel::insert_into(users::table)
            .values(new)
            .returning(User::as_returning())
            .get_result(conn)
            .await
    }

    /// Every account, admins first, then by email.
    pub async fn list(conn: &mut AsyncPgConnection) -> QueryResult<Vec<User>> {
        users::table
            .order((users::role.asc(), users::email.asc()))
            .select(User::as_select())
            .load(conn)
            .await
    }

    /// Enables or disables an account; disabling also ends its sessions.
    pub async fn set_active(
        conn: &mut AsyncPgConnection,
        id: i64,
        active: bool,
    ) -> QueryResult<()> {
        let updated = diesel::update(users::table.find(id))
            .set((users::active.eq(active), users::updated_at.eq(Utc::now())))
            .execute(conn)
            .await?;
        if updated == 0 {
            return Err(diesel::result::Error::NotFound);
        }
        if !active {
            crate::db::models::session::Session::delete_for_user(conn, id).await?;
        }
        Ok(())
    }

    /// Replaces the password hash and ends the account's sessions.
    pub async fn set_password_hash(
        conn: &mut AsyncPgConnection,
        id: i64,
        hash: &str,
    ) -> QueryResult<()> {
        let updated = diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(hash),
                users::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        if updated == 0 {
            return Err(diesel::result::Error::NotFound);
        }
        crate::db::models::session::Session::delete_for_user(conn, id).await
    }

    /// Number of active admins (an admin cannot disable the last one).
    pub async fn count_active_admins(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        users::table
            .filter(users::role.eq(Role::Admin.as_str()))
            .filter(users::active.eq(true))
            .count()
            .get_result(conn)
            .await
    }
}
