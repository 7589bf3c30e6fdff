//! Waves: one round of the survey within an initiative, draft → open → closed.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use crate::db::schema::{wave_teams, waves};

/// A wave row.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = waves)]
pub struct Wave {
    /// Primary key.
    pub id: i64,
    /// Initiative it belongs to.
    pub initiative_id: i64,
    /// Name, e.g. "Wave 2 (after go-live)".
    pub name: String,
    /// `draft`, `open` or `closed`.
    pub status: String,
    /// When answers stop.
    pub closes_at: DateTime<Utc>,
    /// k: the smallest group whose figures are shown.
    pub min_group_size: i32,
    /// Days after launch on which non-responders are reminded.
    pub reminder_days: Vec<Option<i32>>,
    /// Invite everyone (else only `wave_teams` and their sub-teams).
    pub all_teams: bool,
    /// Sponsor's message in the invitation email.
    pub sponsor_message: String,
    /// The frozen template the wave was launched with.
    pub template_id: Option<i64>,
    /// Launch time.
    pub launched_at: Option<DateTime<Utc>>,
    /// Close time.
    pub closed_at: Option<DateTime<Utc>>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// When the champion assignment was last confirmed.
    pub champions_confirmed_at: Option<DateTime<Utc>>,
}

/// Fields of a new wave.
#[derive(Debug, Insertable)]
#[diesel(table_name = waves)]
pub struct NewWave<'a> {
    /// Initiative.
    pub initiative_id: i64,
    /// Name.
    pub name: &'a str,
    /// Close time.
    pub closes_at: DateTime<Utc>,
    /// k.
    pub min_group_size: i32,
    /// Reminder schedule.
    pub reminder_days: Vec<Option<i32>>,
    /// Everyone, or chosen teams.
    pub all_teams: bool,
    /// Sponsor's message.
    pub sponsor_message: &'a str,
}

impl Wave {
    /// True while answers are accepted.
    pub fn is_open(&self) -> bool {
        self.status == "open" && self.closes_at > Utc::now()
    }

    /// Creates a draft wave with its team scope.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        new: &NewWave<'_>,
        team_ids: &[i64],
    ) -> QueryResult<Wave> {
        let wave: Wave = diesel::insert_into(waves::table)
            .values(new)
            .returning(Wave::as_returning())
            .get_result(conn)
            .await?;
        let rows: Vec<_> = team_ids
            .iter()
            .map(|t| (wave_teams::wave_id.eq(wave.id), wave_teams::team_id.eq(*t)))
            .collect();
        diesel::insert_into(wave_teams::table)
            .values(&rows)
            .execute(conn)
            .await?;
        Ok(wave)
    }

    /// Finds a wave.
    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Wave> {
        waves::table
            .find(id)
            .select(Wave::as_select())
            .first(conn)
            .await
    }

    /// Finds a wave and locks it for a state change.
    pub async fn find_for_update(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Wave> {
        waves::table
            .find(id)
            .select(Wave::as_select())
            .for_update()
            .first(conn)
            .await
    }

    /// Waves of an initiative, oldest first.
    pub async fn list_for_initiative(
        conn: &mut AsyncPgConnection,
        initiative_id: i64,
    ) -> QueryResult<Vec<Wave>> {
        waves::table
            .filter(waves::initiative_id.eq(initiative_id))
            .order(waves::id.asc())
            .select(Wave::as_select())
            .load(conn)
            .await
    }

    /// Teams chosen for the wave (empty when it covers everyone).
    pub async fn scope_team_ids(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Vec<i64>> {
        wave_teams::table
            .filter(wave_teams::wave_id.eq(id))
            .select(wave_teams::team_id)
            .load(conn)
            .await
    }

    /// Open waves whose close time has passed.
    pub async fn overdue_ids(conn: &mut AsyncPgConnection) -> QueryResult<Vec<i64>> {
        waves::table
            .filter(waves::status.eq("open"))
            .filter(waves::closes_at.le(Utc::now()))
            .select(waves::id)
            .load(conn)
            .await
    }
}
