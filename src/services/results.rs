//! A wave's results: per-team figures rolled up and suppressed by the rules, the
//! previous wave for trends, and hotspots. Reads only the running per-team figures,
//! never the responses.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::models::wave::Wave;
use crate::db::models::wave_team_stats::load_for_wave;
use crate::domain::adkar::Element;
use crate::scoring::{
    Hotspot, Playbook, TeamAggregate, WaveResults, compute_results, find_hotspots,
};

/// Everything the results pages and API show for one wave.
pub struct Insights {
    /// This wave's figures.
    pub results: WaveResults,
    /// The initiative's wave launched last before this one, with its figures.
    pub previous: Option<(Wave, WaveResults)>,
    /// Hotspots, sorted by mean then path.
    pub hotspots: Vec<Hotspot>,
}

/// Computes a wave's figures from its running per-team figures.
pub async fn wave_results(
    conn: &mut AsyncPgConnection,
    wave: &Wave,
) -> diesel::QueryResult<WaveResults> {
    let rows = load_for_wave(conn, wave.id).await?;
    Ok(results_from_rows(rows, wave))
}

/// A wave's figures for the people of one location only, under the same rules and k.
/// This view reads the location's responses (the unfiltered one never does), and hides
/// what the unfiltered view less this one would show of a smaller group (rules §4).
pub async fn wave_results_at(
    conn: &mut AsyncPgConnection,
    wave: &Wave,
    location: &str,
) -> diesel::QueryResult<WaveResults> {
    let rows =
        crate::db::models::wave_team_stats::load_for_location(conn, wave.id, location).await?;
    let mut results = results_from_rows(rows, wave);
    let groups = crate::db::models::wave_team_stats::location_groups(conn, wave.id).await?;
    crate::scoring::location_differencing::hide_cross_view_remainders(&mut results, &groups);
    Ok(results)
}

/// Locations of the wave's invitees, for the filter.
pub async fn wave_locations(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
) -> diesel::QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Location {
        #[diesel(sql_type = Text)]
        location: String,
    }
    let rows: Vec<Location> = diesel::sql_query("SELECT DISTINCT location FROM invitations WHERE wave_id = $1 AND location IS NOT NULL ORDER BY location")
        .bind::<BigInt, _>(wave_id)
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|l| l.location).collect())
}

fn results_from_rows(
    rows: Vec<crate::db::models::wave_team_stats::TeamStatsRow>,
    wave: &Wave,
) -> WaveResults {
    let teams: Vec<TeamAggregate> = rows
        .into_iter()
        .map(|r| {
            let mut team = TeamAggregate::new(r.team_id, r.parent_id, r.name, r.path);
            team.invited = i64::from(r.invited);
            team.responded = i64::from(r.responded);
            for i in 0..5 {
                team.element_n[i] = r.n.get(i).copied().map_or(0, i64::from);
                team.element_sum[i] = r.sum.get(i).copied().unwrap_or(0.0);
            }
            for i in 0..6 {
                team.barriers[i] = r.barriers.get(i).copied().map_or(0, i64::from);
            }
            team
        })
        .collect();
    compute_results(&teams, i64::from(wave.min_group_size))
}

/// The initiative's wave launched last before `wave`, if any.
pub async fn previous_wave(
    conn: &mut AsyncPgConnection,
    wave: &Wave,
) -> diesel::QueryResult<Option<Wave>> {
    let Some(launched) = wave.launched_at else {
        return Ok(None);
    };
    let earlier = Wave::list_for_initiative(conn, wave.initiative_id).await?;
    Ok(earlier
        .into_iter()
        .filter(|w| w.id != wave.id && w.launched_at.is_some_and(|t| t < launched))
        .max_by_key(|w| w.launched_at))
}

#[derive(QueryableByName)]
struct PlaybookRow {
    #[diesel(sql_type = Text)]
    element: String,
    #[diesel(sql_type = Text)]
    text: String,
}

/// The organisation's playbook, or the defaults when it has not written one.
pub async fn load_playbook(conn: &mut AsyncPgConnection) -> diesel::QueryResult<Playbook> {
    let rows: Vec<PlaybookRow> =
        diesel::sql_query("SELECT element, text FROM playbook_items ORDER BY element, position")
            .load(conn)
            .await?;
    if rows.is_empty() {
        return Ok(Playbook::default());
    }
    Ok(Playbook::from_rows(rows.into_iter().filter_map(|r| {
        Element::parse(&r.element).map(|e| (e, r.text))
    })))
}

/// Replaces the playbook (one transaction); empty lists restore the defaults.
pub async fn save_playbook(
    conn: &mut AsyncPgConnection,
    items: &[(Element, Vec<String>)],
) -> diesel::QueryResult<()> {
    use diesel_async::AsyncConnection;
    conn.transaction(async |conn| {
        diesel::sql_query("DELETE FROM playbook_items")
            .execute(conn)
            .await?;
        for (element, texts) in items {
            for (i, text) in texts.iter().enumerate() {
                diesel::sql_query(
                    "INSERT INTO playbook_items (element, position, text) VALUES ($1, $2, $3)",
                )
                .bind::<Text, _>(element.as_str())
                .bind::<diesel::sql_types::Integer, _>(i32::try_from(i).unwrap_or(i32::MAX))
                .bind::<Text, _>(text)
                .execute(conn)
                .await?;
            }
        }
        Ok(())
    })
    .await
}

/// This wave's results, the previous wave's, and the hotspots.
pub async fn wave_insights(
    conn: &mut AsyncPgConnection,
    wave: &Wave,
) -> diesel::QueryResult<Insights> {
    let results = wave_results(conn, wave).await?;
    let previous = match previous_wave(conn, wave).await? {
        Some(p) => {
            let r = wave_results(conn, &p).await?;
            Some((p, r))
        }
        None => None,
    };
    let playbook = load_playbook(conn).await?;
    let hotspots = find_hotspots(&results, previous.as_ref().map(|(_, r)| r), &playbook);
    Ok(Insights {
        results,
        previous,
        hotspots,
    })
}

#[derive(QueryableByName)]
struct CommentRow {
    #[diesel(sql_type = Text)]
    element: String,
    #[diesel(sql_type = Text)]
    comment: String,
}

/// The comments of a team's subtree for one element order, never with names or times,
/// ordered by a hash of the text so the order does not follow submission. Callers must
/// only ask for unsuppressed teams.
pub async fn team_comments(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
    team_id: i64,
) -> diesel::QueryResult<Vec<(Element, String)>> {
    let rows: Vec<CommentRow> = diesel::sql_query(
        "WITH RECURSIVE subtree AS (SELECT id FROM teams WHERE id = $2 \
           UNION SELECT t.id FROM teams t JOIN subtree s ON t.parent_id = s.id) \
         SELECT c.key AS element, c.value AS comment FROM responses r, jsonb_each_text(r.comments) c \
         WHERE r.wave_id = $1 AND r.team_id IN (SELECT id FROM subtree) \
         ORDER BY array_position(ARRAY['awareness','desire','knowledge','ability','reinforcement'], c.key), md5(c.value)",
    )
    .bind::<BigInt, _>(wave_id)
    .bind::<BigInt, _>(team_id)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Element::parse(&r.element).map(|e| (e, r.comment)))
        .collect())
}

/// [`wave_insights`], or the same for one location, compared with the previous wave
/// at that location (rules §5 `declining`).
pub async fn insights_for(
    conn: &mut AsyncPgConnection,
    wave: &Wave,
    location: Option<&str>,
) -> diesel::QueryResult<Insights> {
    let Some(location) = location else {
        return wave_insights(conn, wave).await;
    };
    let results = wave_results_at(conn, wave, location).await?;
    let previous = match previous_wave(conn, wave).await? {
        Some(p) => {
            let r = wave_results_at(conn, &p, location).await?;
            Some((p, r))
        }
        None => None,
    };
    let playbook = load_playbook(conn).await?;
    let hotspots = find_hotspots(&results, previous.as_ref().map(|(_, r)| r), &playbook);
    Ok(Insights {
        results,
        previous,
        hotspots,
    })
}
