//! Teams: a tree stored as parent links plus the full path for lookups.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{people, teams};

/// A team row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = teams)]
pub struct Team {
    /// Primary key.
    pub id: i64,
    /// Parent team; none for a top-level team.
    pub parent_id: Option<i64>,
    /// Last segment of the path.
    pub name: String,
    /// Full path, `Ops/Service Desk`.
    pub path: String,
    /// When the team first appeared.
    pub created_at: DateTime<Utc>,
}

impl Team {
    /// Every team, ordered by path.
    pub async fn all(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Team>> {
        teams::table
            .order(teams::path.asc())
            .select(Team::as_select())
            .load(conn)
            .await
    }

    /// Finds a team by id.
    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Team> {
        teams::table
            .find(id)
            .select(Team::as_select())
            .first(conn)
            .await
    }

    /// Active people per team (direct members only), as `(team_id, count)`.
    pub async fn active_member_counts(
        conn: &mut AsyncPgConnection,
    ) -> QueryResult<Vec<(i64, i64)>> {
        people::table
            .filter(people::active.eq(true))
            .group_by(people::team_id)
            .select((people::team_id, diesel::dsl::count_star()))
            .load(conn)
            .await
    }
}
