//! Initiatives: a change being rolled out, with its sponsors and practitioners.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use crate::db::schema::{initiative_members, initiatives, users};

/// An initiative row.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = initiatives)]
pub struct Initiative {
    /// Primary key.
    pub id: i64,
    /// Name, e.g. "New ITSM service platform".
    pub name: String,
    /// What is changing and why.
    pub description: String,
    /// The initiative's own editable survey template, once it has one.
    pub template_id: Option<i64>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// A user attached to an initiative.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct InitiativeMember {
    /// User id.
    pub user_id: i64,
    /// User's name.
    pub name: String,
    /// User's email.
    pub email: String,
    /// `sponsor` or `practitioner`.
    pub member_role: String,
}

impl Initiative {
    /// Creates an initiative.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        name: &str,
        description: &str,
    ) -> QueryResult<Initiative> {
        diesel::insert_into(initiatives::table)
            .values((
                initiatives::name.eq(name),
                initiatives::description.eq(description),
            ))
            .returning(Initiative::as_returning())
            .get_result(conn)
            .await
    }

    /// Changes name and description.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: i64,
        name: &str,
        description: &str,
    ) -> QueryResult<()> {
        let n = diesel::update(initiatives::table.find(id))
            .set((
                initiatives::name.eq(name),
                initiatives::description.eq(description),
                initiatives::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        if n == 0 {
            return Err(diesel::result::Error::NotFound);
        }
        Ok(())
    }

    /// Finds one initiative.
    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Initiative> {
        initiatives::table
            .find(id)
            .select(Initiative::as_select())
            .first(conn)
            .await
    }

    /// All initiatives, newest first; for a sponsor only those they sponsor.
    pub async fn list_visible(
        conn: &mut AsyncPgConnection,
        sponsor_id: Option<i64>,
    ) -> QueryResult<Vec<Initiative>> {
        let mut query = initiatives::table
            .select(Initiative::as_select())
            .order(initiatives::id.desc())
            .into_boxed();
        if let Some(user_id) = sponsor_id {
            let mine = initiative_members::table
                .filter(initiative_members::user_id.eq(user_id))
                .filter(initiative_members::member_role.eq("sponsor"))
                .select(initiative_members::initiative_id);
            query = query.filter(initiatives::id.eq_any(mine));
        }
        query.load(conn).await
    }

    /// True when `user_id` sponsors initiative `id`.
    pub async fn is_sponsor(
        conn: &mut AsyncPgConnection,
        id: i64,
        user_id: i64,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            initiative_members::table
                .filter(initiative_members::initiative_id.eq(id))
                .filter(initiative_members::user_id.eq(user_id))
                .filter(initiative_members::member_role.eq("sponsor")),
        ))
        .get_result(conn)
        .await
    }

    /// The initiative's sponsors and practitioners.
    pub async fn members(
        conn: &mut AsyncPgConnection,
        id: i64,
    ) -> QueryResult<Vec<InitiativeMember>> {
        initiative_members::table
            .inner_join(users::table)
            .filter(initiative_members::initiative_id.eq(id))
            .order((initiative_members::member_role.asc(), users::name.asc()))
            .select((
                users::id,
                users::name,
                users::email,
                initiative_members::member_role,
            ))
            .load(conn)
            .await
    }

    /// Replaces the members with `members` (`(user id, role)`).
    pub async fn set_members(
        conn: &mut AsyncPgConnection,
        id: i64,
        members: &[(i64, &str)],
    ) -> QueryResult<()> {
        diesel::delete(initiative_members::table.filter(initiative_members::initiative_id.eq(id)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = members
            .iter()
            .map(|(user_id, role)| {
                (
                    initiative_members::initiative_id.eq(id),
                    initiative_members::user_id.eq(*user_id),
                    initiative_members::member_role.eq(*role),
                )
            })
            .collect();
        diesel::insert_into(initiative_members::table)
            .values(&rows)
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// Points the initiative at its own editable template.
    pub async fn set_template(
        conn: &mut AsyncPgConnection,
        id: i64,
        template_id: i64,
    ) -> QueryResult<()> {
        diesel::update(initiatives::table.find(id))
            .set(initiatives::template_id.eq(template_id))
            .execute(conn)
            .await
            .map(|_| ())
    }
}
