//! `changeready demo`: loads a fictional organisation with an ITSM initiative, two
//! closed waves and an open one, answered with synthetic data through the real launch,
//! answer and close paths; and removes it again. Demo data is marked by emails under
//! `demo.example` and teams under `Demo Corp`.

use std::time::Instant;

use anyhow::Context;
use chrono::{Duration, Utc};
use diesel::sql_types::{BigInt, Text};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, QueryResult, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rand::SeedableRng;
use rand::rngs::StdRng;
use secrecy::{ExposeSecret, SecretString};

use crate::auth::password::hash_password;
use crate::auth::token::random_password;
use crate::db::models::initiative::Initiative;
use crate::db::models::session::Session;
use crate::db::models::wave::{NewWave, Wave};
use crate::db::schema::users;
use crate::domain::survey_token::SurveyKeys;
use crate::services::demo_org::{
    DEMO_DOMAIN, DESCRIPTION, ROOT_TEAM, WAVES, answer_wave, backdate, import_org,
};
use crate::services::wave_lifecycle::{close_wave, launch_wave};

pub use crate::services::demo_report::RemovedSummary;

/// The demo initiative's exact name; finding it means the demo is loaded.
pub const DEMO_INITIATIVE: &str = "New ITSM service platform (demo)";
/// The demo sponsor account.
pub const SPONSOR_EMAIL: &str = "sponsor@demo.example";
/// The demo practitioner account.
pub const PRACTITIONER_EMAIL: &str = "practitioner@demo.example";
/// Serialises demo loads and removals.
const LOCK: &str = "SELECT pg_advisory_xact_lock(hashtext($1))";
const ANSWER_SEED: u64 = 0x0a25_2026;
const SPONSOR_MESSAGE: &str =
    "Two minutes of your time tell us where the platform needs more support.";

/// What the demo contains.
#[derive(Debug, Default, QueryableByName)]
pub struct DemoCounts {
    /// Demo people.
    #[diesel(sql_type = BigInt)]
    pub people: i64,
    /// Teams under `Demo Corp`, itself included.
    #[diesel(sql_type = BigInt)]
    pub teams: i64,
    /// Invitations over all demo waves.
    #[diesel(sql_type = BigInt)]
    pub invited: i64,
    /// Responses over all demo waves.
    #[diesel(sql_type = BigInt)]
    pub responses: i64,
    /// Change-champion volunteers over all demo waves.
    #[diesel(sql_type = BigInt)]
    pub champion_opt_ins: i64,
}

/// The outcome of [`load_demo`], with the credentials to print.
#[derive(Debug)]
pub struct DemoSummary {
    /// New passwords of [`SPONSOR_EMAIL`], [`PRACTITIONER_EMAIL`]; `None`: already loaded.
    pub passwords: Option<(SecretString, SecretString)>,
    /// What the demo contains.
    pub counts: DemoCounts,
}

impl DemoSummary {
    /// True when the demo was there already and nothing was changed.
    pub fn already_loaded(&self) -> bool {
        self.passwords.is_none()
    }

    /// The text `changeready demo` prints.
    pub fn report(&self) -> String {
        let (c, waves) = (&self.counts, WAVES.len());
        let (people, teams, invited) = (c.people, c.teams, c.invited);
        let passwords = self.passwords.as_ref();
        let mut out = match passwords.map(|(s, p)| (s.expose_secret(), p.expose_secret())) {
            Some((s, p)) => format!(
                "Loaded the demo. Sign in as (the passwords are shown only now):\n  \
                 sponsor       {SPONSOR_EMAIL}  {s}\n  practitioner  {PRACTITIONER_EMAIL}  {p}\n"
            ),
            None => format!(
                "The demo is already loaded; nothing was changed. Its accounts are {SPONSOR_EMAIL} \
                 and {PRACTITIONER_EMAIL}; their passwords were shown when it was loaded \
                 (set new ones with `changeready user set-password --email EMAIL`).\n"
            ),
        };
        out += &format!(
            "\"{DEMO_INITIATIVE}\": {people} people in {teams} teams under {ROOT_TEAM}, {waves} \
             waves (the last one open), {invited} invited, {} responses, {} champion volunteers.\n",
            c.responses, c.champion_opt_ins
        );
        out + "All demo data is fictional (emails under @demo.example); \
               remove it with `changeready demo --remove`."
    }
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Loads the demo in one transaction; when its initiative exists already, changes nothing.
pub async fn load_demo(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
) -> anyhow::Result<DemoSummary> {
    let started = Instant::now();
    let summary = conn.transaction(async |conn| load_in(conn, keys).await);
    let summary = summary.await?;
    let ms = started.elapsed().as_millis() as u64;
    let (already_loaded, responses) = (summary.already_loaded(), summary.counts.responses);
    tracing::info!(already_loaded, responses, ms, "demo data loaded");
    Ok(summary)
}

async fn load_in(conn: &mut AsyncPgConnection, keys: &SurveyKeys) -> anyhow::Result<DemoSummary> {
    run(conn, LOCK, DEMO_INITIATIVE).await?;
    let existing = "SELECT id FROM initiatives WHERE name = $1 ORDER BY id LIMIT 1";
    if let Some(id) = find_id(conn, existing, DEMO_INITIATIVE).await? {
        let (passwords, counts) = (None, counts(conn, id).await?);
        return Ok(DemoSummary { passwords, counts });
    }
    import_org(conn).await?;
    let name = "Sam Sponsor (demo)";
    let (sponsor, sponsor_password) = set_up_account(conn, SPONSOR_EMAIL, name, "sponsor").await?;
    let name = "Pat Practitioner (demo)";
    let (practitioner, practitioner_password) =
        set_up_account(conn, PRACTITIONER_EMAIL, name, "practitioner").await?;
    let initiative = Initiative::insert(conn, DEMO_INITIATIVE, DESCRIPTION).await?;
    let members = [(sponsor, "sponsor"), (practitioner, "practitioner")];
    Initiative::set_members(conn, initiative.id, &members).await?;
    let root = find_id(conn, "SELECT id FROM teams WHERE path = $1", ROOT_TEAM).await?;
    let root = root.context("the demo organisation has no root team")?;
    let mut rng = StdRng::seed_from_u64(ANSWER_SEED);
    let mut wave_ids = Vec::new();
    for (index, (name, ..)) in WAVES.iter().enumerate() {
        let new = NewWave {
            initiative_id: initiative.id,
            name,
            closes_at: Utc::now() + Duration::days(14),
            min_group_size: 5,
            reminder_days: vec![Some(3), Some(7)],
            // Only Demo Corp: the organisation's real people never get demo invitations.
            all_teams: false,
            sponsor_message: SPONSOR_MESSAGE,
        };
        let wave = Wave::insert(conn, &new, &[root]).await?;
        let launched = launch_wave(conn, keys, wave.id).await;
        launched.context("launching a demo wave")?;
        // save_response refuses closed waves, so each wave is answered before it closes.
        answer_wave(conn, keys, &mut rng, wave.id, index).await?;
        if index + 1 < WAVES.len() {
            let closed = close_wave(conn, keys, wave.id).await;
            closed.context("closing a demo wave")?;
        }
        wave_ids.push(wave.id);
    }
    backdate(conn, initiative.id, &wave_ids).await?;
    if let Some(open) = wave_ids.last() {
        crate::services::demo_champions::assign_demo_champions(conn, *open, PRACTITIONER_EMAIL)
            .await?;
    }
    let counts = counts(conn, initiative.id).await?;
    let passwords = Some((sponsor_password, practitioner_password));
    Ok(DemoSummary { passwords, counts })
}

/// Creates the account with a new password, or resets one left from an earlier demo.
async fn set_up_account(
    conn: &mut AsyncPgConnection,
    email: &str,
    name: &str,
    role: &str,
) -> anyhow::Result<(i64, SecretString)> {
    let password = SecretString::from(random_password(16));
    let hash = hash_password(password.clone()).await?;
    let account: Id = diesel::sql_query(
        "INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, active = TRUE \
         RETURNING id",
    )
    .bind::<Text, _>(email)
    .bind::<Text, _>(name)
    .bind::<Text, _>(role)
    .bind::<Text, _>(hash)
    .get_result(conn)
    .await?;
    Session::delete_for_user(conn, account.id).await?;
    Ok((account.id, password))
}

async fn counts(conn: &mut AsyncPgConnection, initiative_id: i64) -> anyhow::Result<DemoCounts> {
    let waves = "SELECT id FROM waves WHERE initiative_id = $1";
    let sql = format!(
        "SELECT (SELECT count(*) FROM people WHERE email LIKE $2) AS people, \
           (SELECT count(*) FROM teams WHERE path = $3 OR starts_with(path, $3 || '/')) AS teams, \
           (SELECT count(*) FROM invitations WHERE wave_id IN ({waves})) AS invited, \
           (SELECT count(*) FROM responses WHERE wave_id IN ({waves})) AS responses, \
           (SELECT count(*) FROM champion_optins WHERE wave_id IN ({waves})) AS champion_opt_ins"
    );
    let query = diesel::sql_query(sql).bind::<BigInt, _>(initiative_id);
    let query = query.bind::<Text, _>(format!("%@{DEMO_DOMAIN}"));
    Ok(query.bind::<Text, _>(ROOT_TEAM).get_result(conn).await?)
}

/// Deletes, in one transaction, the demo initiative (its waves, invitations, responses,
/// figures and emails go with it by cascade) and its templates, the demo accounts, the
/// demo people and the `Demo Corp` teams that nothing refers to any more.
pub async fn remove_demo(conn: &mut AsyncPgConnection) -> anyhow::Result<RemovedSummary> {
    let removed = conn.transaction(async |conn| remove_in(conn).await);
    let removed = removed.await?;
    let (people, teams) = (removed.people, removed.teams);
    tracing::info!(people, teams, "demo data removed");
    Ok(removed)
}

async fn remove_in(conn: &mut AsyncPgConnection) -> anyhow::Result<RemovedSummary> {
    run(conn, LOCK, DEMO_INITIATIVE).await?;
    let mut removed = RemovedSummary::default();
    let initiative = "DELETE FROM initiatives WHERE name = $1";
    removed.initiatives = run(conn, initiative, DEMO_INITIATIVE).await?;
    // Waves point at their frozen copies without a cascade, so those go only now.
    run(conn, REMOVE_TEMPLATES, DEMO_INITIATIVE).await?;
    let demo_accounts = users::email.eq_any([SPONSOR_EMAIL, PRACTITIONER_EMAIL]);
    let accounts = diesel::delete(users::table.filter(demo_accounts));
    removed.accounts = accounts.execute(conn).await?;
    let demo_people = format!("%@{DEMO_DOMAIN}");
    // People invited by another initiative's wave stay, for that wave's figures.
    removed.people = run(conn, REMOVE_PEOPLE, &demo_people).await?;
    let kept = "UPDATE people SET active = FALSE, updated_at = now() WHERE email LIKE $1";
    removed.people_kept = run(conn, kept, &demo_people).await?;
    removed.teams = run(conn, REMOVE_TEAMS, ROOT_TEAM).await?;
    Ok(removed)
}

/// Templates named after the demo initiative (its own, and its waves' frozen copies).
const REMOVE_TEMPLATES: &str = "DELETE FROM survey_templates s \
    WHERE (s.name = $1 OR starts_with(s.name, $1 || ' / ')) AND NOT s.id = 1 \
    AND NOT EXISTS (SELECT 1 FROM waves WHERE template_id = s.id) \
    AND NOT EXISTS (SELECT 1 FROM initiatives WHERE template_id = s.id)";
const REMOVE_PEOPLE: &str = "DELETE FROM people p WHERE p.email LIKE $1 AND p.id NOT IN ( \
    SELECT person_id FROM invitations UNION SELECT person_id FROM champion_optins UNION \
    SELECT person_id FROM champion_nominations UNION SELECT person_id FROM champion_notices UNION \
    SELECT person_id FROM champion_assignments WHERE person_id IS NOT NULL)";
/// Demo teams, except those something still refers to and their ancestors. Every
/// launch adds an empty figures row for every team, demo teams included: those go too.
const REMOVE_TEAMS: &str = "WITH RECURSIVE \
    demo AS (SELECT id FROM teams WHERE path = $1 OR starts_with(path, $1 || '/')), \
    empty AS (DELETE FROM wave_team_stats WHERE team_id IN (SELECT id FROM demo) \
      AND invited = 0 AND responded = 0), \
    used AS (SELECT team_id AS id FROM people UNION SELECT team_id FROM invitations \
      UNION SELECT team_id FROM responses UNION SELECT team_id FROM wave_teams \
      UNION SELECT team_id FROM wave_team_stats WHERE invited > 0 OR responded > 0), \
    keep AS (SELECT id FROM used WHERE id IN (SELECT id FROM demo) UNION \
      SELECT t.parent_id FROM teams t JOIN keep k ON t.id = k.id WHERE t.parent_id IS NOT NULL) \
    DELETE FROM teams WHERE id IN (SELECT id FROM demo) AND id NOT IN (SELECT id FROM keep)";

async fn find_id(conn: &mut AsyncPgConnection, sql: &str, arg: &str) -> QueryResult<Option<i64>> {
    let query = diesel::sql_query(sql).bind::<Text, _>(arg);
    Ok(query.get_result::<Id>(conn).await.optional()?.map(|r| r.id))
}

/// Runs `sql` with `$1` bound to `arg`; returns the number of rows changed.
async fn run(conn: &mut AsyncPgConnection, sql: &str, arg: &str) -> QueryResult<usize> {
    let query = diesel::sql_query(sql).bind::<Text, _>(arg);
    query.execute(conn).await
}
