//! The `changeready bench …` subcommands.

use std::path::PathBuf;

use clap::Subcommand;

use crate::config::Settings;
use crate::db::migrations::run_migrations;

/// What to benchmark.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Write a generated people CSV (three-level team tree).
    GeneratePeople {
        /// People.
        #[arg(long, default_value_t = 100_000)]
        people: usize,
        /// Teams.
        #[arg(long, default_value_t = 2_000)]
        teams: usize,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Time launching one wave to a generated organisation.
    Launch {
        /// People.
        #[arg(long, default_value_t = 100_000)]
        people: usize,
        /// Teams.
        #[arg(long, default_value_t = 2_000)]
        teams: usize,
    },
    /// Seed a wave with synthetic responses and time the results computation.
    Results {
        /// Responses.
        #[arg(long, default_value_t = 1_000_000)]
        responses: i64,
        /// Teams.
        #[arg(long, default_value_t = 2_000)]
        teams: usize,
        /// Timed runs.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
    },
    /// Time the exact champion assignment (no database).
    Champions {
        /// Teams in the tree.
        #[arg(long, default_value_t = 3_000)]
        teams: usize,
        /// Eligible candidates.
        #[arg(long, default_value_t = 2_000)]
        candidates: usize,
        /// Hotspot teams.
        #[arg(long, default_value_t = 500)]
        hotspots: usize,
        /// Timed runs.
        #[arg(long, default_value_t = 7)]
        runs: usize,
    },
    /// Time the email worker sending a wave's invitations to `SMTP_URL`.
    Mail {
        /// People (one invitation each).
        #[arg(long, default_value_t = 20_000)]
        people: usize,
    },
    /// Launch a wave and write its survey tokens to a file, for an HTTP load test.
    SeedSurvey {
        /// People.
        #[arg(long, default_value_t = 20_000)]
        people: usize,
        /// Teams.
        #[arg(long, default_value_t = 400)]
        teams: usize,
        /// File for the tokens, one per line.
        #[arg(long)]
        tokens_out: PathBuf,
    },
}

/// Runs one benchmark subcommand.
pub async fn run_bench(
    settings: &Settings,
    url: &str,
    command: BenchCommand,
) -> anyhow::Result<()> {
    use crate::bench::run;
    let keys = crate::domain::survey_token::SurveyKeys::new(settings.application.secret.clone());
    if let BenchCommand::Champions {
        teams,
        candidates,
        hotspots,
        runs,
    } = command
    {
        crate::bench::champions::bench_champions(teams, candidates, hotspots, runs);
        return Ok(());
    }
    if let BenchCommand::GeneratePeople { people, teams, out } = &command {
        std::fs::write(out, crate::bench::data::people_csv(*people, *teams))?;
        println!(
            "wrote {people} people in {teams} teams to {}",
            out.display()
        );
        return Ok(());
    }
    run_migrations(url).await?;
    let mut conn = crate::cli::connect(url).await?;
    match command {
        BenchCommand::GeneratePeople { .. } | BenchCommand::Champions { .. } => Ok(()),
        BenchCommand::Mail { people } => run::bench_mail(&mut conn, settings, people).await,
        BenchCommand::Launch { people, teams } => {
            run::bench_launch(&mut conn, &keys, people, teams).await
        }
        BenchCommand::Results {
            responses,
            teams,
            iterations,
        } => {
            let wave = run::bench_results(&mut conn, &keys, responses, teams, iterations).await?;
            println!("results wave id: {wave}");
            Ok(())
        }
        BenchCommand::SeedSurvey {
            people,
            teams,
            tokens_out,
        } => run::seed_survey(&mut conn, &keys, people, teams, &tokens_out)
            .await
            .map(|_| ()),
    }
}
