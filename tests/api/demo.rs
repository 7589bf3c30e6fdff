//! `changeready demo`: loading the demo organisation and initiative, and removing it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use changeready::domain::people_csv::parse_people_csv;
use changeready::domain::survey_token::SurveyKeys;
use changeready::services::demo::{
    DEMO_INITIATIVE, DemoSummary, PRACTITIONER_EMAIL, SPONSOR_EMAIL, load_demo, remove_demo,
};
use changeready::services::demo_org::{
    ACCOUNTS, FIELD_SUPPORT, SERVICE_DESK, WAREHOUSE_NORTH, org_csv,
};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use secrecy::ExposeSecret;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app, test_settings};

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Mean {
    #[diesel(sql_type = Nullable<Double>)]
    m: Option<f64>,
}

#[derive(QueryableByName)]
struct Digest {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    digest: Option<String>,
}

async fn count(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    let row: N = diesel::sql_query(sql).get_result(conn).await.expect(sql);
    row.n
}

async fn load(app: &TestApp) -> DemoSummary {
    let keys = SurveyKeys::new(test_settings(&app.db_url).application.secret);
    let mut conn = app.db().await;
    let started = Instant::now();
    let summary = load_demo(&mut conn, &keys).await.expect("load demo");
    eprintln!("demo load took {:.2?}", started.elapsed());
    summary
}

/// The mean of `element` over the direct members of `team` in the demo's wave `wave`
/// (0 = launched first), from the running figures.
async fn mean(conn: &mut AsyncPgConnection, team: &str, wave: usize, element: &str) -> f64 {
    let sql = format!(
        "SELECT sum(s.sum_{element}) / NULLIF(sum(s.n_{element}), 0) AS m \
         FROM wave_team_stats s JOIN teams t ON t.id = s.team_id WHERE t.path = $1 \
         AND s.wave_id = (SELECT w.id FROM waves w JOIN initiatives i ON i.id = w.initiative_id \
           WHERE i.name = $2 ORDER BY w.launched_at OFFSET {wave} LIMIT 1)"
    );
    let query = diesel::sql_query(sql).bind::<Text, _>(team);
    let row: Mean = query
        .bind::<Text, _>(DEMO_INITIATIVE)
        .get_result(conn)
        .await
        .expect("mean");
    row.m.expect("the team answered")
}

/// Every table's full contents, hashed: equal fingerprints mean equal data.
async fn fingerprint(conn: &mut AsyncPgConnection) -> BTreeMap<String, Option<String>> {
    let tables: Vec<Digest> = diesel::sql_query(
        "SELECT table_name::text AS name, NULL AS digest FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .load(conn)
    .await
    .expect("tables");
    let mut out = BTreeMap::new();
    for table in tables {
        let name = table.name;
        let sql = format!(
            "SELECT '{name}' AS name, md5(string_agg(x::text, '|' ORDER BY x::text)) AS digest \
             FROM {name} x"
        );
        let row: Digest = diesel::sql_query(sql)
            .get_result(conn)
            .await
            .expect("digest");
        out.insert(name, row.digest);
    }
    out
}

#[test]
fn the_organisation_is_deterministic_and_about_400_people_in_about_30_teams() {
    let csv = org_csv();
    let rows = parse_people_csv(csv.as_bytes()).expect("valid");
    let mut teams: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        *teams.entry(row.team.as_string()).or_default() += 1;
    }

    assert_eq!(csv, org_csv());
    assert!((380..=420).contains(&rows.len()), "{} people", rows.len());
    assert!((28..=36).contains(&teams.len()), "{} teams", teams.len());
    assert!(teams.values().filter(|n| **n < 5).count() >= 5);
    assert!(teams.keys().any(|p| p.split('/').count() == 4));
    assert!(teams.keys().all(|p| p.starts_with("Demo Corp/")));
    assert!(
        rows.iter()
            .all(|r| r.email.as_ref().ends_with("@demo.example"))
    );
    assert!(rows.iter().filter(|r| r.manager_email.is_some()).count() > 300);
}

#[tokio::test]
async fn the_demo_has_an_organisation_three_waves_realistic_answers_and_two_accounts() {
    let app = spawn_app().await;

    let summary = load(&app).await;

    let mut conn = app.db().await;
    let c = &summary.counts;
    assert!(!summary.already_loaded());
    assert!((380..=420).contains(&c.people) && (29..=37).contains(&c.teams));
    let rate = c.responses as f64 / c.invited as f64;
    assert!((0.68..=0.88).contains(&rate), "response rate {rate}");
    let volunteers = c.champion_opt_ins;
    assert!((5..=45).contains(&volunteers), "{volunteers} champions");
    let waves = format!(
        "SELECT count(*) AS n FROM waves w JOIN initiatives i ON i.id = w.initiative_id \
         WHERE i.name = '{DEMO_INITIATIVE}' AND"
    );
    let closed = format!("{waves} status = 'closed' AND closed_at < now() - interval '20 days'");
    assert_eq!(count(&mut conn, &closed).await, 2);
    let first = format!("{waves} launched_at < now() - interval '60 days'");
    assert_eq!(count(&mut conn, &first).await, 1);
    let open = format!("{waves} status = 'open' AND launched_at < now() - interval '2 days'");
    let open = format!("{open} AND closes_at > now() + interval '10 days'");
    assert_eq!(count(&mut conn, &open).await, 1);
    // No email to fictional people, and no real person is invited.
    let queued = "SELECT count(*) AS n FROM email_outbox WHERE status = 'queued'";
    assert_eq!(count(&mut conn, queued).await, 0);
    let outsiders = "SELECT count(*) AS n FROM invitations i JOIN people p ON p.id = i.person_id \
                     WHERE p.email NOT LIKE '%@demo.example'";
    assert_eq!(count(&mut conn, outsiders).await, 0);
    let members = "SELECT count(*) AS n FROM initiative_members m JOIN users u ON u.id = m.user_id \
                   WHERE u.email LIKE '%@demo.example' AND u.role = m.member_role";
    assert_eq!(count(&mut conn, members).await, 2);
    let commented = "SELECT count(*) AS n FROM responses WHERE comments <> '{}'";
    assert!(count(&mut conn, commented).await > 20);
    let old = "SELECT count(*) AS n FROM responses WHERE answered_on < current_date - 30";
    assert!(count(&mut conn, old).await > 200);
    let (sponsor, practitioner) = summary.passwords.as_ref().expect("new passwords");
    let report = summary.report();
    assert!(report.contains(SPONSOR_EMAIL) && report.contains(sponsor.expose_secret()));
    assert!(report.contains(PRACTITIONER_EMAIL) && report.contains(practitioner.expose_secret()));
    let login = app.login(SPONSOR_EMAIL, sponsor.expose_secret()).await;
    assert_eq!(login.status().as_u16(), 303);
}

#[tokio::test]
async fn the_demo_answers_show_a_clear_pattern_per_problem_team() {
    let app = spawn_app().await;
    let summary = load(&app).await;
    let mut conn = app.db().await;

    for wave in 0..3 {
        let awareness = mean(&mut conn, ACCOUNTS, wave, "awareness").await;
        assert!(
            awareness <= 3.0,
            "Accounts awareness {awareness}, wave {wave}"
        );
    }
    let before = mean(&mut conn, SERVICE_DESK, 0, "desire").await;
    let after = mean(&mut conn, SERVICE_DESK, 1, "desire").await;
    assert!(
        before - after >= 0.5,
        "Service Desk desire {before} → {after}"
    );
    for element in ["awareness", "desire", "knowledge", "ability"] {
        let m = mean(&mut conn, FIELD_SUPPORT, 1, element).await;
        assert!(m >= 3.8, "Field Support {element} {m}");
    }
    assert!(mean(&mut conn, FIELD_SUPPORT, 1, "reinforcement").await <= 3.0);
    assert!(mean(&mut conn, WAREHOUSE_NORTH, 2, "ability").await <= 3.0);
    let ordinary = "Demo Corp/Customer Service/Contact Centre";
    let first = mean(&mut conn, ordinary, 0, "knowledge").await;
    let last = mean(&mut conn, ordinary, 2, "knowledge").await;
    assert!(
        last - first >= 0.5,
        "Contact Centre knowledge {first} → {last}"
    );
    // The results engine finds exactly these four problems in the open wave.
    let (_, practitioner) = summary.passwords.as_ref().expect("passwords");
    let login = app
        .login(PRACTITIONER_EMAIL, practitioner.expose_secret())
        .await;
    assert_eq!(login.status().as_u16(), 303);
    let waves = "SELECT id AS n FROM waves ORDER BY launched_at";
    let waves: Vec<N> = diesel::sql_query(waves)
        .load(&mut conn)
        .await
        .expect("waves");
    let mut hotspots = Vec::new();
    for wave in &waves {
        let url = format!("{}/api/v1/waves/{}/hotspots", app.address, wave.n);
        let response = app.client.get(url).send().await.expect("GET");
        hotspots.push(response.json::<Vec<Value>>().await.expect("hotspots"));
    }
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let found: BTreeSet<String> = hotspots[2]
        .iter()
        .filter(|h| h["hotspot_team"] == true)
        .map(|h| format!("{} {}", text(&h["path"]), text(&h["element"])))
        .collect();
    let expected = [
        format!("{ACCOUNTS} awareness"),
        format!("{SERVICE_DESK} desire"),
        format!("{FIELD_SUPPORT} reinforcement"),
        format!("{WAREHOUSE_NORTH} ability"),
    ];
    assert_eq!(found, BTreeSet::from(expected));
    let desk = hotspots[1]
        .iter()
        .find(|h| h["path"] == SERVICE_DESK && h["element"] == "desire");
    let reasons = desk.expect("a Service Desk desire hotspot")["reasons"].to_string();
    assert!(reasons.contains("declining"), "{reasons}");
}

#[tokio::test]
async fn loading_the_demo_twice_changes_nothing_the_second_time() {
    let app = spawn_app().await;
    load(&app).await;
    let mut conn = app.db().await;
    let before = fingerprint(&mut conn).await;

    let again = load(&app).await;

    assert!(again.already_loaded());
    assert!(again.passwords.is_none());
    assert!((380..=420).contains(&again.counts.people));
    assert!(again.report().contains("changeready user set-password"));
    assert_eq!(fingerprint(&mut conn).await, before);
}

#[tokio::test]
async fn removing_the_demo_removes_everything_it_added_and_nothing_else() {
    let app = spawn_app().await;
    // Someone else's organisation, initiative and open wave, with one answer.
    let (_, wave) = app.open_wave().await;
    let token = app.link_of(wave, "d1@example.org").await;
    assert_eq!(app.answer_all(&token, |_| 4).await.status().as_u16(), 200);
    let mut conn = app.db().await;
    let before = fingerprint(&mut conn).await;
    load(&app).await;

    let removed = remove_demo(&mut conn).await.expect("remove");

    assert_eq!((removed.initiatives, removed.accounts), (1, 2));
    assert!((380..=420).contains(&removed.people) && removed.people_kept == 0);
    assert!(removed.teams >= 29);
    assert_eq!(fingerprint(&mut conn).await, before);
    let reloaded = load(&app).await;
    assert!(!reloaded.already_loaded(), "a removed demo loads again");
}

#[tokio::test]
async fn demo_people_invited_by_another_initiative_are_deactivated_not_deleted() {
    let app = spawn_app().await;
    load(&app).await;
    // A wave for everyone, launched while the demo is loaded, invites demo people too.
    let (_, wave) = app.open_wave().await;
    let mut conn = app.db().await;

    let removed = remove_demo(&mut conn).await.expect("remove");

    assert_eq!(removed.people, 0);
    assert!(removed.people_kept >= 380);
    let demo_teams = "SELECT count(*) AS n FROM teams WHERE path LIKE 'Demo Corp%'";
    assert!(count(&mut conn, demo_teams).await >= 29);
    let active = "SELECT count(*) AS n FROM people WHERE active AND email LIKE '%@demo.example'";
    assert_eq!(count(&mut conn, active).await, 0);
    let invited = format!("SELECT count(*) AS n FROM invitations WHERE wave_id = {wave}");
    assert!(count(&mut conn, &invited).await > 390);
    let demo = "SELECT count(*) AS n FROM initiatives WHERE name LIKE '%(demo)'";
    assert_eq!(count(&mut conn, demo).await, 0);
}
