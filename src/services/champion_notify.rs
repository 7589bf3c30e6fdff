//! Confirming a champion assignment: each champion whose teams changed since they were
//! last told gets one email (through the outbox) with their teams, each team's primary
//! barrier and its interventions, and a contact in the change team.

use std::collections::{BTreeMap, HashMap};

use diesel::QueryableByName;
use diesel::sql_types::{Array, BigInt, Jsonb, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::json;

use crate::db::models::initiative::Initiative;
use crate::db::models::wave::Wave;
use crate::services::results::wave_insights;

#[derive(QueryableByName)]
struct Assigned {
    #[diesel(sql_type = BigInt)]
    person_id: i64,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = BigInt)]
    team_id: i64,
}

#[derive(QueryableByName)]
struct Notice {
    #[diesel(sql_type = BigInt)]
    person_id: i64,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Array<BigInt>)]
    team_ids: Vec<i64>,
}

/// Queues the emails for what changed since the last confirmation; returns how many.
pub async fn confirm_assignment(
    conn: &mut AsyncPgConnection,
    wave: &Wave,
    contact: &str,
) -> diesel::QueryResult<usize> {
    let insights = wave_insights(conn, wave).await?;
    let initiative = Initiative::find(conn, wave.initiative_id).await?;
    let playbook = crate::services::results::load_playbook(conn).await?;
    // Rules §6: each team's primary barrier and that element's interventions (§7).
    let team_info: HashMap<i64, serde_json::Value> = insights
        .results
        .teams
        .iter()
        .map(|t| {
            let interventions = t.primary_barrier.map_or(&[][..], |e| playbook.for_element(e));
            (t.team_id, json!({"path": t.path, "primary_barrier": t.primary_barrier.map(|e| e.label()), "interventions": interventions}))
        })
        .collect();
    conn.transaction::<_, diesel::result::Error, _>(async |conn| {
        // One confirmation of a wave at a time: a second one (a double click) then sees
        // the first one's notices and queues nothing twice.
        diesel::sql_query("SELECT 1 FROM waves WHERE id = $1 FOR NO KEY UPDATE")
            .bind::<BigInt, _>(wave.id)
            .execute(conn)
            .await?;
        let assigned: Vec<Assigned> = diesel::sql_query(
            "SELECT p.id AS person_id, p.email, a.team_id FROM champion_assignments a \
             JOIN people p ON p.id = a.person_id JOIN teams t ON t.id = a.team_id WHERE a.wave_id = $1 \
               AND (EXISTS (SELECT 1 FROM champion_optins o WHERE o.wave_id = $1 AND o.person_id = p.id) \
                 OR EXISTS (SELECT 1 FROM champion_nominations n WHERE n.wave_id = $1 AND n.person_id = p.id)) \
             ORDER BY t.path",
        )
        .bind::<BigInt, _>(wave.id)
        .load(conn)
        .await?;
        let notices: Vec<Notice> = diesel::sql_query(
            "SELECT n.person_id, p.email, n.team_ids FROM champion_notices n JOIN people p ON p.id = n.person_id WHERE n.wave_id = $1",
        )
        .bind::<BigInt, _>(wave.id)
        .load(conn)
        .await?;
        let mut now: BTreeMap<i64, (String, Vec<i64>)> = BTreeMap::new();
        for a in &assigned {
            now.entry(a.person_id).or_insert_with(|| (a.email.clone(), Vec::new())).1.push(a.team_id);
        }
        for n in &notices {
            now.entry(n.person_id).or_insert_with(|| (n.email.clone(), Vec::new()));
        }
        let before: HashMap<i64, Vec<i64>> = notices.into_iter().map(|n| (n.person_id, n.team_ids)).collect();
        let mut queued = 0;
        for (person, (email, mut teams)) in now {
            teams.sort_unstable();
            let mut previous = before.get(&person).cloned().unwrap_or_default();
            previous.sort_unstable();
            if teams == previous {
                continue;
            }
            let payload = json!({
                "initiative": initiative.name, "wave": wave.name, "contact": contact,
                "teams": teams.iter().filter_map(|t| team_info.get(t)).collect::<Vec<_>>(),
            });
            diesel::sql_query(
                "INSERT INTO email_outbox (id, kind, dedupe_key, wave_id, recipient, payload) \
                 VALUES (gen_random_uuid(), 'champion', 'champion:' || $1 || ':' || $2 || ':' || gen_random_uuid(), $1, $3, $4)",
            )
            .bind::<BigInt, _>(wave.id)
            .bind::<BigInt, _>(person)
            .bind::<Text, _>(&email)
            .bind::<Jsonb, _>(&payload)
            .execute(conn)
            .await?;
            diesel::sql_query(
                "INSERT INTO champion_notices (wave_id, person_id, team_ids) VALUES ($1, $2, $3) \
                 ON CONFLICT (wave_id, person_id) DO UPDATE SET team_ids = excluded.team_ids, notified_at = now()",
            )
            .bind::<BigInt, _>(wave.id)
            .bind::<BigInt, _>(person)
            .bind::<Array<BigInt>, _>(&teams)
            .execute(conn)
            .await?;
            queued += 1;
        }
        diesel::sql_query("UPDATE waves SET champions_confirmed_at = now() WHERE id = $1")
            .bind::<BigInt, _>(wave.id)
            .execute(conn)
            .await?;
        Ok(queued)
    })
    .await
}
