//! Proposing, overriding and confirming a wave's champion assignment (rules §6).
//! The optimisation itself is `scoring::champions`; this module feeds it and stores it.

use std::collections::HashMap;

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use crate::db::models::wave::Wave;
use crate::scoring::champions::{Assignment, Candidate, TeamTree, assign_with_overrides};
use crate::services::champion_candidates::load_candidates;
use crate::services::results::wave_insights;

/// Default cap on teams per champion.
pub const DEFAULT_MAX_TEAMS: u32 = 2;

/// A stored assignment row.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct StoredAssignment {
    /// Hotspot team.
    #[diesel(sql_type = BigInt)]
    pub team_id: i64,
    /// Its path.
    #[diesel(sql_type = Text)]
    pub path: String,
    /// The champion's email, if any.
    #[diesel(sql_type = Nullable<Text>)]
    pub champion_email: Option<String>,
    /// The champion's name, if any.
    #[diesel(sql_type = Nullable<Text>)]
    pub champion_name: Option<String>,
    /// Tree distance.
    #[diesel(sql_type = Nullable<Integer>)]
    pub distance: Option<i32>,
    /// Set by a practitioner; kept by re-runs.
    #[diesel(sql_type = Bool)]
    pub overridden: bool,
    /// Active people invited in the team's subtree.
    #[diesel(sql_type = BigInt)]
    pub people: i64,
}

#[derive(QueryableByName)]
struct TeamLink {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    parent_id: Option<i64>,
}

/// The current assignment of a wave, by team path.
pub async fn stored_assignments(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
) -> diesel::QueryResult<Vec<StoredAssignment>> {
    diesel::sql_query(
        "SELECT a.team_id, t.path, p.email AS champion_email, p.name AS champion_name, a.distance, a.overridden, \
           (SELECT count(*) FROM invitations i JOIN teams s ON s.id = i.team_id \
            WHERE i.wave_id = a.wave_id AND (s.path = t.path OR s.path LIKE t.path || '/%')) AS people \
         FROM champion_assignments a JOIN teams t ON t.id = a.team_id LEFT JOIN people p ON p.id = a.person_id \
         WHERE a.wave_id = $1 ORDER BY t.path",
    )
    .bind::<BigInt, _>(wave_id)
    .load(conn)
    .await
}

/// Runs the optimal assignment for the wave's hotspot teams, keeping manual overrides,
/// and stores it. Returns the assignment.
pub async fn propose(
    conn: &mut AsyncPgConnection,
    wave: &Wave,
    max_teams: u32,
) -> diesel::QueryResult<Assignment> {
    let insights = wave_insights(conn, wave).await?;
    let mut hotspot_teams: Vec<i64> = insights
        .hotspots
        .iter()
        .filter(|h| h.hotspot_team)
        .map(|h| h.team_id)
        .collect();
    hotspot_teams.sort_unstable();
    hotspot_teams.dedup();
    let links: Vec<TeamLink> = diesel::sql_query("SELECT id, parent_id FROM teams")
        .load(conn)
        .await?;
    let tree = TeamTree::new(
        &links
            .iter()
            .map(|t| (t.id, t.parent_id))
            .collect::<Vec<_>>(),
    );
    let candidates = load_candidates(conn, wave.id).await?;
    let eligible: Vec<Candidate> = candidates
        .iter()
        .filter(|c| c.eligible)
        .map(|c| Candidate {
            email: c.email.clone(),
            team_id: c.team_id,
            readiness: c.readiness,
        })
        .collect();
    let person_of: HashMap<&str, i64> = candidates
        .iter()
        .map(|c| (c.email.as_str(), c.person_id))
        .collect();
    let overrides: Vec<(i64, Option<String>)> = stored_assignments(conn, wave.id)
        .await?
        .into_iter()
        .filter(|a| a.overridden && hotspot_teams.contains(&a.team_id))
        // A pin on someone no longer eligible (withdrew, or answers changed) lapses: the
        // assignment fills the team and the stored row follows it.
        .filter(|a| {
            a.champion_email
                .as_deref()
                .is_none_or(|e| eligible.iter().any(|c| c.email == e))
        })
        .map(|a| (a.team_id, a.champion_email))
        .collect();
    let result = assign_with_overrides(&tree, &eligible, &hotspot_teams, max_teams, &overrides);
    let overridden: Vec<i64> = overrides.iter().map(|(t, _)| *t).collect();
    conn.transaction::<_, diesel::result::Error, _>(async |conn| {
        diesel::sql_query("DELETE FROM champion_assignments WHERE wave_id = $1 AND NOT (overridden AND team_id = ANY($2))")
            .bind::<BigInt, _>(wave.id)
            .bind::<diesel::sql_types::Array<BigInt>, _>(&overridden)
            .execute(conn)
            .await?;
        let rows = result
            .assignments
            .iter()
            .filter(|a| !overridden.contains(&a.team_id))
            .map(|a| (a.team_id, person_of.get(a.champion_email.as_str()).copied(), Some(a.distance as i32)))
            .chain(result.uncovered.iter().map(|t| (*t, None, None)));
        for (team, person, distance) in rows {
            diesel::sql_query("INSERT INTO champion_assignments (wave_id, team_id, person_id, distance) VALUES ($1, $2, $3, $4)")
                .bind::<BigInt, _>(wave.id)
                .bind::<BigInt, _>(team)
                .bind::<Nullable<BigInt>, _>(person)
                .bind::<Nullable<Integer>, _>(distance)
                .execute(conn)
                .await?;
        }
        Ok(())
    })
    .await?;
    Ok(result)
}

/// Fixes one team's champion (or none) until reset; re-runs keep it.
pub async fn set_override(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
    team_id: i64,
    person_id: Option<i64>,
) -> diesel::QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO champion_assignments (wave_id, team_id, person_id, distance, overridden) \
         SELECT $1, $2, $3, NULL, TRUE ON CONFLICT (wave_id, team_id) \
         DO UPDATE SET person_id = excluded.person_id, distance = NULL, overridden = TRUE",
    )
    .bind::<BigInt, _>(wave_id)
    .bind::<BigInt, _>(team_id)
    .bind::<Nullable<BigInt>, _>(person_id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Drops every manual override of a wave.
pub async fn reset_overrides(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
) -> diesel::QueryResult<()> {
    diesel::sql_query("DELETE FROM champion_assignments WHERE wave_id = $1 AND overridden")
        .bind::<BigInt, _>(wave_id)
        .execute(conn)
        .await
        .map(|_| ())
}
