//! People of the organisation (not staff accounts): who can be invited to a wave.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{people, teams};

/// A person as listed on the people page.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = people)]
pub struct Person {
    /// Primary key.
    pub id: i64,
    /// Lower-cased email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Team (direct).
    pub team_id: i64,
    /// Manager's email, when known.
    pub manager_email: Option<String>,
    /// Location, when known.
    pub location: Option<String>,
    /// Identifier in the HR system, when known.
    pub external_id: Option<String>,
    /// Inactive people are not invited to new waves.
    pub active: bool,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Filters of the people list.
#[derive(Debug, Default, Clone)]
pub struct PeopleFilter {
    /// Part of a name or email, case-insensitive.
    pub search: Option<String>,
    /// Only this team and its descendants (by path).
    pub team_path: Option<String>,
    /// Include deactivated people.
    pub include_inactive: bool,
}

/// One page of people with their team path, and how many match in all.
#[derive(Debug)]
pub struct PeoplePage {
    /// The rows of this page, `(person, team path)`.
    pub rows: Vec<(Person, String)>,
    /// Matching people in all pages.
    pub total: i64,
}

impl Person {
    /// One page of people matching `filter`, ordered by name then email.
    pub async fn search(
        conn: &mut AsyncPgConnection,
        filter: &PeopleFilter,
        offset: i64,
        limit: i64,
    ) -> QueryResult<PeoplePage> {
        let build = || {
            let mut query = people::table.inner_join(teams::table).into_boxed();
            if let Some(search) = filter.search.as_deref().filter(|s| !s.is_empty()) {
                let pattern = format!("%{}%", escape_like(search));
                query = query.filter(
                    people::name
                        .ilike(pattern.clone())
                        .or(people::email.ilike(pattern)),
                );
            }
            if let Some(path) = filter.team_path.as_deref() {
                let below = format!("{}/%", escape_like(path));
                query = query.filter(teams::path.eq(path.to_owned()).or(teams::path.like(below)));
            }
            if !filter.include_inactive {
                query = query.filter(people::active.eq(true));
            }
            query
        };
        let total = build().count().get_result(conn).await?;
        let rows = build()
            .order((people::name.asc(), people::email.asc()))
            .offset(offset)
            .limit(limit)
            .select((Person::as_select(), teams::path))
            .load(conn)
            .await?;
        Ok(PeoplePage { rows, total })
    }
}

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern.
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
