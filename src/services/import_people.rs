//! Importing the organisation from a parsed people CSV: all or nothing, in one
//! transaction, fast enough for 100,000 people (set-based SQL over arrays).

use std::collections::HashMap;

use diesel::sql_types::{Array, BigInt, Nullable, Text};
use diesel::{QueryResult, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use crate::domain::people_csv::PersonRow;
use crate::domain::team_path::TeamPath;

/// People written per statement; bounds the size of one bind array.
const CHUNK: usize = 10_000;
/// Serialises imports so two uploads cannot race on new team paths.
const IMPORT_LOCK_ID: i64 = 0x696d_706f_7274;

/// What an import changed (api.md's success body).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct ImportSummary {
    /// People added.
    pub created: i64,
    /// People whose name, team or details changed (or who were reactivated).
    pub updated: i64,
    /// People set inactive because the file did not list them.
    pub deactivated: i64,
    /// Teams added.
    pub teams_created: i64,
}

/// How far an import has got, for progress output.
#[derive(Debug, Clone, Copy)]
pub struct ImportProgress {
    /// People written so far.
    pub written: usize,
    /// People in the file.
    pub total: usize,
}

#[derive(QueryableByName)]
struct TeamIdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    path: String,
}

#[derive(QueryableByName)]
struct UpsertCounts {
    #[diesel(sql_type = BigInt)]
    created: i64,
    #[diesel(sql_type = BigInt)]
    updated: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Creates missing teams, upserts people by email, optionally deactivates people
/// missing from `rows`; everything in one transaction.
pub async fn import_people(
    conn: &mut AsyncPgConnection,
    rows: &[PersonRow],
    deactivate_missing: bool,
    progress: &(dyn Fn(ImportProgress) + Sync),
) -> QueryResult<ImportSummary> {
    conn.transaction(async |conn| {
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({IMPORT_LOCK_ID})"))
            .execute(conn)
            .await?;
        let (team_ids, teams_created) = ensure_teams(conn, rows).await?;
        let mut summary = ImportSummary {
            teams_created,
            ..Default::default()
        };
        for (i, chunk) in rows.chunks(CHUNK).enumerate() {
            let counts = upsert_people(conn, chunk, &team_ids).await?;
            summary.created += counts.created;
            summary.updated += counts.updated;
            progress(ImportProgress {
                written: (i * CHUNK + chunk.len()).min(rows.len()),
                total: rows.len(),
            });
        }
        if deactivate_missing {
            summary.deactivated = deactivate_others(conn, rows).await?;
        }
        Ok(summary)
    })
    .await
}

/// Returns path → id for every team the rows name, creating missing ones parent first.
async fn ensure_teams(
    conn: &mut AsyncPgConnection,
    rows: &[PersonRow],
) -> QueryResult<(HashMap<String, i64>, i64)> {
    let existing: Vec<TeamIdRow> = diesel::sql_query("SELECT id, path FROM teams")
        .load(conn)
        .await?;
    let mut ids: HashMap<String, i64> = existing.into_iter().map(|t| (t.path, t.id)).collect();
    let mut missing_by_depth: Vec<Vec<TeamPath>> = Vec::new();
    for row in rows {
        for path in row.team.ancestors_and_self() {
            let key = path.as_string();
            if ids.contains_key(&key) {
                continue;
            }
            ids.insert(key, 0);
            let depth = path.segments().len() - 1;
            if missing_by_depth.len() <= depth {
                missing_by_depth.resize_with(depth + 1, Vec::new);
            }
            missing_by_depth[depth].push(path);
        }
    }
    let mut created = 0;
    for level in missing_by_depth {
        if level.is_empty() {
            continue;
        }
        let parents: Vec<Option<i64>> = level
            .iter()
            .map(|p| {
                p.parent()
                    .and_then(|parent| ids.get(&parent.as_string()).copied())
            })
            .collect();
        let names: Vec<&str> = level.iter().map(TeamPath::name).collect();
        let paths: Vec<String> = level.iter().map(TeamPath::as_string).collect();
        let inserted: Vec<TeamIdRow> = diesel::sql_query(
            "INSERT INTO teams (parent_id, name, path) \
             SELECT * FROM unnest($1::int8[], $2::text[], $3::text[]) RETURNING id, path",
        )
        .bind::<Array<Nullable<BigInt>>, _>(&parents)
        .bind::<Array<Text>, _>(&names)
        .bind::<Array<Text>, _>(&paths)
        .load(conn)
        .await?;
        created += inserted.len() as i64;
        ids.extend(inserted.into_iter().map(|t| (t.path, t.id)));
    }
    Ok((ids, created))
}

async fn upsert_people(
    conn: &mut AsyncPgConnection,
    chunk: &[PersonRow],
    team_ids: &HashMap<String, i64>,
) -> QueryResult<UpsertCounts> {
    let emails: Vec<&str> = chunk.iter().map(|r| r.email.as_ref()).collect();
    let names: Vec<&str> = chunk.iter().map(|r| r.name.as_str()).collect();
    let teams: Vec<i64> = chunk
        .iter()
        .map(|r| {
            team_ids
                .get(&r.team.as_string())
                .copied()
                .unwrap_or_default()
        })
        .collect();
    let managers: Vec<Option<&str>> = chunk
        .iter()
        .map(|r| r.manager_email.as_ref().map(AsRef::as_ref))
        .collect();
    let locations: Vec<Option<&str>> = chunk.iter().map(|r| r.location.as_deref()).collect();
    let external_ids: Vec<Option<&str>> = chunk.iter().map(|r| r.external_id.as_deref()).collect();
    // Unchanged people are not touched, so a re-import reports 0 updated and writes nothing.
    diesel::sql_query(
        "WITH upserted AS ( \
           INSERT INTO people (email, name, team_id, manager_email, location, external_id) \
           SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::text[]) \
           ON CONFLICT (email) DO UPDATE SET name = excluded.name, team_id = excluded.team_id, \
             manager_email = excluded.manager_email, location = excluded.location, \
             external_id = excluded.external_id, active = TRUE, updated_at = now() \
           WHERE (people.name, people.team_id, people.manager_email, people.location, \
                  people.external_id, people.active) \
             IS DISTINCT FROM (excluded.name, excluded.team_id, excluded.manager_email, \
                  excluded.location, excluded.external_id, TRUE) \
           RETURNING (xmax = 0) AS inserted) \
         SELECT count(*) FILTER (WHERE inserted) AS created, \
                count(*) FILTER (WHERE NOT inserted) AS updated FROM upserted",
    )
    .bind::<Array<Text>, _>(&emails)
    .bind::<Array<Text>, _>(&names)
    .bind::<Array<BigInt>, _>(&teams)
    .bind::<Array<Nullable<Text>>, _>(&managers)
    .bind::<Array<Nullable<Text>>, _>(&locations)
    .bind::<Array<Nullable<Text>>, _>(&external_ids)
    .get_result(conn)
    .await
}

async fn deactivate_others(conn: &mut AsyncPgConnection, rows: &[PersonRow]) -> QueryResult<i64> {
    let emails: Vec<&str> = rows.iter().map(|r| r.email.as_ref()).collect();
    let count: Count = diesel::sql_query(
        "WITH listed AS (SELECT unnest($1::text[]) AS email), \
         changed AS ( \
           UPDATE people SET active = FALSE, updated_at = now() \
           WHERE active AND NOT EXISTS (SELECT 1 FROM listed WHERE listed.email = people.email) \
           RETURNING 1) \
         SELECT count(*) AS n FROM changed",
    )
    .bind::<Array<Text>, _>(&emails)
    .get_result(conn)
    .await?;
    Ok(count.n)
}
