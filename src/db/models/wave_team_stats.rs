//! Running per-(wave, team) figures: invited, responded, per-element n and sum, and
//! barrier counts, for the team's direct members. Updated with each save, so results
//! are computed from these rows and never from the responses.

use crate::db::prepared::KeepPrepared;
use diesel::QueryResult;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::scoring::response::{ResponseScores, barrier_index};

/// One team's row for a wave, joined with the team's place in the tree.
#[derive(Debug, Clone, QueryableByName)]
pub struct TeamStatsRow {
    /// Team id.
    #[diesel(sql_type = BigInt)]
    pub team_id: i64,
    /// Parent team.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub parent_id: Option<i64>,
    /// Team name.
    #[diesel(sql_type = Text)]
    pub name: String,
    /// Team path.
    #[diesel(sql_type = Text)]
    pub path: String,
    /// Invited direct members.
    #[diesel(sql_type = Integer)]
    pub invited: i32,
    /// Responses of direct members.
    #[diesel(sql_type = Integer)]
    pub responded: i32,
    /// Responses with a score, per element (A-D-K-A-R).
    #[diesel(sql_type = diesel::sql_types::Array<Integer>)]
    pub n: Vec<i32>,
    /// Sum of element scores, per element.
    #[diesel(sql_type = diesel::sql_types::Array<Double>)]
    pub sum: Vec<f64>,
    /// Responses per barrier: the five elements, then ready.
    #[diesel(sql_type = diesel::sql_types::Array<Integer>)]
    pub barriers: Vec<i32>,
}

/// Every team's row for `wave_id` (teams created after launch are absent).
pub async fn load_for_wave(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
) -> QueryResult<Vec<TeamStatsRow>> {
    diesel::sql_query(
        "SELECT t.id AS team_id, t.parent_id, t.name, t.path, s.invited, s.responded, \
           ARRAY[s.n_awareness, s.n_desire, s.n_knowledge, s.n_ability, s.n_reinforcement] AS n, \
           ARRAY[s.sum_awareness, s.sum_desire, s.sum_knowledge, s.sum_ability, s.sum_reinforcement] AS sum, \
           ARRAY[s.barrier_awareness, s.barrier_desire, s.barrier_knowledge, s.barrier_ability, \
                 s.barrier_reinforcement, s.barrier_ready] AS barriers \
         FROM wave_team_stats s JOIN teams t ON t.id = s.team_id WHERE s.wave_id = $1 ORDER BY t.path",
    )
    .bind::<BigInt, _>(wave_id)
    .load(conn)
    .await
}

/// The same rows computed from the responses of one location (the filtered view).
pub async fn load_for_location(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
    location: &str,
) -> QueryResult<Vec<TeamStatsRow>> {
    diesel::sql_query(
        "SELECT t.id AS team_id, t.parent_id, t.name, t.path, \
           (SELECT count(*) FROM invitations i WHERE i.wave_id = $1 AND i.team_id = t.id AND i.location = $2)::int AS invited, \
           count(r.id)::int AS responded, \
           ARRAY[count(r.score_awareness), count(r.score_desire), count(r.score_knowledge), count(r.score_ability), \
                 count(r.score_reinforcement)]::int[] AS n, \
           ARRAY[COALESCE(sum(r.score_awareness), 0), COALESCE(sum(r.score_desire), 0), COALESCE(sum(r.score_knowledge), 0), \
                 COALESCE(sum(r.score_ability), 0), COALESCE(sum(r.score_reinforcement), 0)]::float8[] AS sum, \
           ARRAY[count(*) FILTER (WHERE r.barrier = 'awareness'), count(*) FILTER (WHERE r.barrier = 'desire'), \
                 count(*) FILTER (WHERE r.barrier = 'knowledge'), count(*) FILTER (WHERE r.barrier = 'ability'), \
                 count(*) FILTER (WHERE r.barrier = 'reinforcement'), count(*) FILTER (WHERE r.barrier = 'ready')]::int[] AS barriers \
         FROM wave_team_stats s JOIN teams t ON t.id = s.team_id \
         LEFT JOIN responses r ON r.wave_id = s.wave_id AND r.team_id = t.id AND r.location = $2 \
         WHERE s.wave_id = $1 GROUP BY t.id, t.parent_id, t.name, t.path ORDER BY t.path",
    )
    .bind::<BigInt, _>(wave_id)
    .bind::<Text, _>(location)
    .load(conn)
    .await
}

#[derive(QueryableByName)]
struct GroupRow {
    #[diesel(sql_type = BigInt)]
    team_id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    location: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    responded: i32,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Integer>)]
    n: Vec<i32>,
}

/// Responses per team (own members) and location, for the location views' cross-view
/// rule (`scoring::location_differencing`).
pub async fn location_groups(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
) -> QueryResult<Vec<crate::scoring::location_differencing::LocationGroup>> {
    let rows: Vec<GroupRow> = diesel::sql_query(
        "SELECT team_id, location, count(*)::int AS responded, \
           ARRAY[count(score_awareness), count(score_desire), count(score_knowledge), count(score_ability), \
                 count(score_reinforcement)]::int[] AS n \
         FROM responses WHERE wave_id = $1 GROUP BY team_id, location",
    )
    .bind::<BigInt, _>(wave_id)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::scoring::location_differencing::LocationGroup {
            team_id: r.team_id,
            location: r.location,
            responded: i64::from(r.responded),
            n: std::array::from_fn(|i| i64::from(r.n.get(i).copied().unwrap_or(0))),
        })
        .collect())
}

/// Adds a response's contribution (minus the one it replaces, on an edit).
pub async fn add_response(
    conn: &mut AsyncPgConnection,
    wave_id: i64,
    team_id: i64,
    previous: Option<&ResponseScores>,
    current: &ResponseScores,
) -> QueryResult<()> {
    let mut dn = [0i32; 5];
    let mut ds = [0f64; 5];
    let mut db = [0i32; 6];
    for (i, score) in current.elements.iter().enumerate() {
        if let Some(s) = score {
            dn[i] += 1;
            ds[i] += s;
        }
    }
    db[barrier_index(current.barrier)] += 1;
    if let Some(old) = previous {
        for (i, score) in old.elements.iter().enumerate() {
            if let Some(s) = score {
                dn[i] -= 1;
                ds[i] -= s;
            }
        }
        db[barrier_index(old.barrier)] -= 1;
    }
    let mut query = diesel::sql_query(
        "UPDATE wave_team_stats SET responded = responded + $3, \
           n_awareness = n_awareness + $4, n_desire = n_desire + $5, n_knowledge = n_knowledge + $6, \
           n_ability = n_ability + $7, n_reinforcement = n_reinforcement + $8, \
           sum_awareness = sum_awareness + $9, sum_desire = sum_desire + $10, sum_knowledge = sum_knowledge + $11, \
           sum_ability = sum_ability + $12, sum_reinforcement = sum_reinforcement + $13, \
           barrier_awareness = barrier_awareness + $14, barrier_desire = barrier_desire + $15, \
           barrier_knowledge = barrier_knowledge + $16, barrier_ability = barrier_ability + $17, \
           barrier_reinforcement = barrier_reinforcement + $18, barrier_ready = barrier_ready + $19 \
         WHERE wave_id = $1 AND team_id = $2",
    )
    .bind::<BigInt, _>(wave_id)
    .bind::<BigInt, _>(team_id)
    .bind::<Integer, _>(i32::from(previous.is_none()))
    .into_boxed();
    for n in dn {
        query = query.bind::<Integer, _>(n);
    }
    for s in ds {
        query = query.bind::<Double, _>(s);
    }
    for b in db {
        query = query.bind::<Integer, _>(b);
    }
    query.prepared().execute(conn).await.map(|_| ())
}
