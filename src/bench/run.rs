//! The timed benchmark steps. Each prints what it measured and how.

use std::time::Instant;

use anyhow::Context;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::bench::data::people_csv;
use crate::db::models::initiative::Initiative;
use crate::db::models::wave::{NewWave, Wave};
use crate::domain::people_csv::parse_people_csv;
use crate::domain::survey_token::SurveyKeys;
use crate::services::import_people::import_people;
use crate::services::results::wave_results;
use crate::services::wave_lifecycle::launch_wave;

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = SqlUuid)]
    id: uuid::Uuid,
}

/// Imports a generated organisation of `people` in `teams` (unless people exist).
pub async fn ensure_people(
    conn: &mut AsyncPgConnection,
    people: usize,
    teams: usize,
) -> anyhow::Result<()> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let existing: N = diesel::sql_query("SELECT count(*) AS n FROM people WHERE active")
        .get_result(conn)
        .await?;
    if existing.n >= people as i64 {
        return Ok(());
    }
    let rows = parse_people_csv(people_csv(people, teams).as_bytes())
        .map_err(|e| anyhow::anyhow!("generated CSV invalid: {:?}", <[_]>::first(&e)))?;
    import_people(conn, &rows, false, &|_| {}).await?;
    Ok(())
}

async fn new_wave(conn: &mut AsyncPgConnection, name: &str) -> anyhow::Result<Wave> {
    let initiative =
        Initiative::insert(conn, &format!("Benchmark {name}"), "benchmark data").await?;
    let new = NewWave {
        initiative_id: initiative.id,
        name,
        closes_at: chrono::Utc::now() + chrono::Duration::days(14),
        min_group_size: 5,
        reminder_days: vec![],
        all_teams: true,
        sponsor_message: "",
    };
    Ok(Wave::insert(conn, &new, &[]).await?)
}

/// Times one launch of a wave to everyone (invitations, team snapshot and outbox rows
/// committed in one transaction).
pub async fn bench_launch(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    people: usize,
    teams: usize,
) -> anyhow::Result<()> {
    ensure_people(conn, people, teams).await?;
    let wave = new_wave(conn, "launch").await?;
    let started = Instant::now();
    let invited = launch_wave(conn, keys, wave.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let elapsed = started.elapsed();
    println!(
        "launch: {invited} invitations + outbox rows committed in {:.2} s (one run, wall clock around the launch transaction)",
        elapsed.as_secs_f64()
    );
    Ok(())
}

/// Creates a launched wave over the organisation and writes every survey token (one
/// per line) to `tokens_out`, for an HTTP load generator.
pub async fn seed_survey(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    people: usize,
    teams: usize,
    tokens_out: &std::path::Path,
) -> anyhow::Result<i64> {
    ensure_people(conn, people, teams).await?;
    let wave = new_wave(conn, "submissions").await?;
    launch_wave(conn, keys, wave.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    diesel::sql_query("UPDATE email_outbox SET status = 'sent' WHERE wave_id = $1")
        .bind::<BigInt, _>(wave.id)
        .execute(conn)
        .await?;
    let ids: Vec<Id> = diesel::sql_query("SELECT id FROM invitations WHERE wave_id = $1")
        .bind::<BigInt, _>(wave.id)
        .load(conn)
        .await?;
    let tokens: String = ids
        .iter()
        .map(|i| format!("{}\n", keys.token_for(i.id).expose()))
        .collect();
    std::fs::write(tokens_out, tokens)
        .with_context(|| format!("cannot write {}", tokens_out.display()))?;
    println!(
        "wave {} open with {} invitations; tokens in {}",
        wave.id,
        ids.len(),
        tokens_out.display()
    );
    Ok(wave.id)
}

/// Fills a closed wave with `responses` synthetic responses over `teams` teams (running
/// figures and response rows), then times the results computation `iterations` times.
pub async fn bench_results(
    conn: &mut AsyncPgConnection,
    keys: &SurveyKeys,
    responses: i64,
    teams: usize,
    iterations: usize,
) -> anyhow::Result<i64> {
    let people = teams * 5;
    ensure_people(conn, people, teams).await?;
    let wave = new_wave(conn, &format!("results {responses}")).await?;
    launch_wave(conn, keys, wave.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let seeded = Instant::now();
    // Spread the responses over the teams with varied, plausible aggregates.
    diesel::sql_query(
        "WITH t AS (SELECT team_id, row_number() OVER (ORDER BY team_id) AS r, count(*) OVER () AS c \
                    FROM wave_team_stats WHERE wave_id = $1), \
         share AS (SELECT team_id, r, ($2 / c + CASE WHEN r <= $2 % c THEN 1 ELSE 0 END)::int AS n FROM t) \
         UPDATE wave_team_stats s SET invited = share.n + share.n / 4, responded = share.n, \
           n_awareness = share.n, n_desire = share.n, n_knowledge = share.n, n_ability = share.n, n_reinforcement = share.n, \
           sum_awareness = share.n * (2.5 + (share.r % 7) * 0.3), sum_desire = share.n * (3.0 + (share.r % 5) * 0.3), \
           sum_knowledge = share.n * (2.8 + (share.r % 6) * 0.3), sum_ability = share.n * (3.2 + (share.r % 4) * 0.3), \
           sum_reinforcement = share.n * (2.6 + (share.r % 8) * 0.25), \
           barrier_awareness = share.n / 4, barrier_desire = share.n / 6, barrier_knowledge = share.n / 8, \
           barrier_ability = share.n / 10, barrier_reinforcement = share.n / 12, \
           barrier_ready = share.n - share.n / 4 - share.n / 6 - share.n / 8 - share.n / 10 - share.n / 12 \
         FROM share WHERE s.wave_id = $1 AND s.team_id = share.team_id",
    )
    .bind::<BigInt, _>(wave.id)
    .bind::<BigInt, _>(responses)
    .execute(conn)
    .await?;
    diesel::sql_query(
        "INSERT INTO responses (id, wave_id, team_id, response_key, answered_on, answers, comments, \
           score_awareness, score_desire, score_knowledge, score_ability, score_reinforcement, barrier) \
         SELECT gen_random_uuid(), $1, (SELECT min(id) FROM teams) + g % $3, sha256(($1 || ':' || g)::text::bytea), current_date, \
           '{}', '{}', 3, 3, 3, 3, 3, 'awareness' FROM generate_series(1, $2) AS g",
    )
    .bind::<BigInt, _>(wave.id)
    .bind::<BigInt, _>(responses)
    .bind::<BigInt, _>(teams as i64)
    .execute(conn)
    .await?;
    diesel::sql_query("UPDATE waves SET status = 'closed', closed_at = now() WHERE id = $1")
        .bind::<BigInt, _>(wave.id)
        .execute(conn)
        .await?;
    diesel::sql_query("ANALYZE").execute(conn).await?;
    println!(
        "results: wave {} seeded with {responses} responses over {teams} teams in {:.1} s",
        wave.id,
        seeded.elapsed().as_secs_f64()
    );
    let wave = Wave::find(conn, wave.id).await?;
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        let results = wave_results(conn, &wave).await?;
        std::hint::black_box(&results);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let pick = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "results: compute from running figures (read {teams} team rows + roll-up + suppression), {iterations} runs in-process: p50 {:.2} ms, p99 {:.2} ms",
        pick(0.5),
        pick(0.99)
    );
    Ok(wave.id)
}

/// Launches a wave to `people` and times the email worker delivering every invitation
/// to the configured SMTP server (point `SMTP_URL` at a loopback sink).
pub async fn bench_mail(
    conn: &mut AsyncPgConnection,
    settings: &crate::config::Settings,
    people: usize,
) -> anyhow::Result<()> {
    let keys = SurveyKeys::new(settings.application.secret.clone());
    ensure_people(conn, people, (people / 50).max(1)).await?;
    let wave = new_wave(conn, "mail").await?;
    let invited = launch_wave(conn, &keys, wave.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let pool = crate::db::pool::build_pool(&settings.database)?;
    let mut workers = Vec::new();
    let started = Instant::now();
    for _ in 0..2 {
        let mailer = crate::startup::build_mailer(settings)?;
        let pool = pool.clone();
        workers.push(tokio::spawn(async move {
            let mut sent = 0;
            loop {
                match mailer.deliver_due(&pool).await {
                    Ok(0) => return Ok::<usize, anyhow::Error>(sent),
                    Ok(n) => sent += n,
                    Err(e) => return Err(e),
                }
            }
        }));
    }
    let mut handled = 0;
    for worker in workers {
        handled += worker.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    #[derive(QueryableByName)]
    struct Sent {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let sent: Sent = diesel::sql_query(
        "SELECT count(*) AS n FROM email_outbox WHERE wave_id = $1 AND status = 'sent'",
    )
    .bind::<BigInt, _>(wave.id)
    .get_result(conn)
    .await?;
    println!(
        "mail: {} of {invited} invitations rendered (text + HTML) and accepted by the SMTP server in {elapsed:.1} s by 2 workers = {:.0} messages/s ({handled} rows handled)",
        sent.n,
        sent.n as f64 / elapsed
    );
    Ok(())
}
