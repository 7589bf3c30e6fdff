//! The command line: `serve`, `migrate`, `user add`, `api-key create`, `import-people`.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use secrecy::{ExposeSecret, SecretString};

use crate::config::Settings;
use crate::db::migrations::run_migrations;
use crate::domain::role::Role;
use crate::startup::Application;
use crate::telemetry::init_logging;

/// changeready: ADKAR change-readiness surveys, team heatmaps and change champions.
#[derive(Debug, Parser)]
#[command(name = "changeready", version, about)]
pub struct Cli {
    /// Folder with base.toml, local.toml and production.toml.
    #[arg(
        long,
        global = true,
        env = "CHANGEREADY_CONFIG_DIR",
        default_value = "config"
    )]
    pub config_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply pending migrations, then serve the pages and the API (and run the background jobs).
    Serve {
        /// Do not run the email worker and other background jobs in this process.
        #[arg(long)]
        no_worker: bool,
    },
    /// Run only the background jobs (email worker, reminders, wave closer), without HTTP.
    Worker,
    /// Apply pending migrations and exit.
    Migrate,
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API keys.
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCommand),
    /// Load the fictional demo organisation and its ITSM initiative (once; again changes nothing).
    Demo {
        /// Remove the demo data instead.
        #[arg(long)]
        remove: bool,
    },
    /// Benchmarks: generate data and time the hot paths (use a throw-away database).
    #[command(subcommand)]
    Bench(crate::bench::cli::BenchCommand),
    /// Import people and teams from a CSV file (header email,name,team[,manager_email,location,external_id]).
    ImportPeople {
        /// The CSV file.
        file: PathBuf,
        /// Deactivate people who are not in the file.
        #[arg(long)]
        deactivate_missing: bool,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a staff account; the password comes from CHANGEREADY_PASSWORD or standard input.
    Add {
        /// Email used to sign in.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// admin, practitioner or sponsor.
        #[arg(long)]
        role: Role,
    },
    /// Set an account's password (from CHANGEREADY_PASSWORD or standard input).
    SetPassword {
        /// Email of the account.
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
enum ApiKeyCommand {
    /// Create an API key for an account and print it once.
    Create {
        /// Email of the account the key acts as.
        #[arg(long)]
        email: String,
        /// What the key is for.
        #[arg(long, default_value = "created from the command line")]
        label: String,
    },
}

/// Parses the command line, runs the command and reports errors on stderr.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(&cli.config_dir)?;
    init_logging(settings.log.format);
    let url = settings.database.url.expose_secret().to_owned();
    match cli.command {
        Command::Serve { no_worker } => {
            run_migrations(&url).await?;
            let mut app = Application::build(&settings).await?;
            if !no_worker {
                app.spawn_background_jobs();
            }
            tracing::info!(
                port = app.port(),
                "serving {}",
                settings.application.base_url
            );
            app.run_until_stopped().await?;
            Ok(())
        }
        Command::Worker => {
            run_migrations(&url).await?;
            let pool = crate::db::pool::build_pool(&settings.database)?;
            let keys =
                crate::domain::survey_token::SurveyKeys::new(settings.application.secret.clone());
            let mailer = crate::startup::build_mailer(&settings)?;
            let stop = crate::jobs::shutdown::Stop::new();
            let jobs = crate::startup::spawn_background_jobs(&pool, &keys, &mailer, &stop);
            tracing::info!("worker running; Ctrl-C or SIGTERM stops it");
            crate::jobs::shutdown::stop_on_signal(stop).await;
            // Finish or put back the emails it holds before exiting.
            jobs.stop().await;
            Ok(())
        }
        Command::Migrate => {
            let applied = run_migrations(&url).await?;
            println!("{applied} migration(s) applied; the database is up to date.");
            Ok(())
        }
        Command::User(command) => crate::cli_commands::user(&url, command_into(command)).await,
        Command::ApiKey(ApiKeyCommand::Create { email, label }) => {
            let mut conn = connect(&url).await?;
            let key = crate::cli_commands::create_api_key(&mut conn, &email, &label).await?;
            println!("{key}");
            eprintln!("This key is shown once; store it now. Revoke it at /account/api-keys.");
            Ok(())
        }
        Command::Bench(command) => crate::bench::cli::run_bench(&settings, &url, command).await,
        Command::Demo { remove } => {
            run_migrations(&url).await?;
            let mut conn = connect(&url).await?;
            let report = if remove {
                crate::services::demo::remove_demo(&mut conn)
                    .await?
                    .report()
            } else {
                let keys = crate::domain::survey_token::SurveyKeys::new(
                    settings.application.secret.clone(),
                );
                crate::services::demo::load_demo(&mut conn, &keys)
                    .await?
                    .report()
            };
            println!("{report}");
            Ok(())
        }
        Command::ImportPeople {
            file,
            deactivate_missing,
        } => {
            let mut conn = connect(&url).await?;
            crate::cli_commands::import_people_file(&mut conn, &file, deactivate_missing).await
        }
    }
}

fn command_into(command: UserCommand) -> crate::cli_commands::UserAction {
    match command {
        UserCommand::Add { email, name, role } => {
            crate::cli_commands::UserAction::Add { email, name, role }
        }
        UserCommand::SetPassword { email } => {
            crate::cli_commands::UserAction::SetPassword { email }
        }
    }
}

/// Opens one connection for a command-line task.
pub async fn connect(url: &str) -> anyhow::Result<AsyncPgConnection> {
    AsyncPgConnection::establish(url).await.context(
        "cannot connect to the database (is DATABASE_URL right, and is PostgreSQL running?)",
    )
}

/// The password from `CHANGEREADY_PASSWORD`, else the first line of standard input.
pub fn read_password() -> anyhow::Result<SecretString> {
    if let Ok(password) = std::env::var("CHANGEREADY_PASSWORD") {
        return Ok(SecretString::from(password));
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (input is shown): ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(SecretString::from(
        line.trim_end_matches(['\r', '\n']).to_owned(),
    ))
}
