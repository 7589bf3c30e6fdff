//! The work behind the account and import commands.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use diesel_async::AsyncPgConnection;
use secrecy::ExposeSecret;

use crate::auth::password::{check_new_password, hash_password};
use crate::cli::{connect, read_password};
use crate::db::models::user::{NewUser, User};
use crate::domain::email_address::EmailAddress;
use crate::domain::people_csv::parse_people_csv;
use crate::domain::role::Role;
use crate::services::import_people::import_people;

/// What `changeready user …` asked for.
pub enum UserAction {
    /// Add an account.
    Add {
        /// Email.
        email: String,
        /// Display name.
        name: String,
        /// Role.
        role: Role,
    },
    /// Replace an account's password.
    SetPassword {
        /// Email.
        email: String,
    },
}

/// Runs a `user` subcommand.
pub async fn user(url: &str, action: UserAction) -> anyhow::Result<()> {
    let mut conn = connect(url).await?;
    match action {
        UserAction::Add { email, name, role } => {
            let email = EmailAddress::parse(&email).map_err(|e| anyhow::anyhow!("--email {e}"))?;
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                bail!("--name must be 1 to 200 characters");
            }
            if User::find_by_email(&mut conn, &email).await?.is_some() {
                bail!(
                    "an account with email {email} already exists (use `changeready user set-password`)"
                );
            }
            let password = read_password()?;
            check_new_password(password.expose_secret())
                .map_err(|m| anyhow::anyhow!("the password {m}"))?;
            let hash = hash_password(password).await?;
            let new = NewUser {
                email: email.as_ref(),
                name,
                role: role.as_str(),
                password_hash: &hash,
            };
            User::insert(&mut conn, &new).await?;
            println!("Added {role} {email}.");
        }
        UserAction::SetPassword { email } => {
            let email = EmailAddress::parse(&email).map_err(|e| anyhow::anyhow!("--email {e}"))?;
            let Some(user) = User::find_by_email(&mut conn, &email).await? else {
                bail!("no account with email {email}");
            };
            let password = read_password()?;
            check_new_password(password.expose_secret())
                .map_err(|m| anyhow::anyhow!("the password {m}"))?;
            let hash = hash_password(password).await?;
            User::set_password_hash(&mut conn, user.id, &hash).await?;
            println!("Password of {email} changed; its sessions have ended.");
        }
    }
    Ok(())
}

/// Creates an API key for the account with `email`.
pub async fn create_api_key(
    conn: &mut AsyncPgConnection,
    email: &str,
    label: &str,
) -> anyhow::Result<String> {
    let email = EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("--email {e}"))?;
    let Some(user) = User::find_by_email(conn, &email).await? else {
        bail!("no account with email {email}");
    };
    if !user.active {
        bail!("the account {email} is disabled");
    }
    Ok(crate::services::api_keys::create_api_key(conn, user.id, label).await?)
}

/// Imports a CSV file, printing progress to stderr and the summary to stdout.
pub async fn import_people_file(
    conn: &mut AsyncPgConnection,
    file: &Path,
    deactivate_missing: bool,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    eprintln!("Read {} ({} KB).", file.display(), bytes.len() / 1024);
    let rows = match parse_people_csv(&bytes) {
        Ok(rows) => rows,
        Err(errors) => {
            for e in errors.iter().take(50) {
                eprintln!("line {}: {}: {}", e.line, e.field, e.message);
            }
            if errors.len() > 50 {
                eprintln!("… and {} more errors.", errors.len() - 50);
            }
            bail!(
                "{} error(s) in {}; nothing was imported",
                errors.len(),
                file.display()
            );
        }
    };
    eprintln!(
        "Parsed {} people in {:.2?}; writing…",
        rows.len(),
        started.elapsed()
    );
    let progress = |p: crate::services::import_people::ImportProgress| {
        eprintln!(
            "  {:>3}%  {} / {} people written",
            p.written * 100 / p.total.max(1),
            p.written,
            p.total
        );
    };
    let summary = import_people(conn, &rows, deactivate_missing, &progress).await?;
    println!(
        "Imported {} people in {:.2?}: {} created, {} updated, {} deactivated, {} teams created.",
        rows.len(),
        started.elapsed(),
        summary.created,
        summary.updated,
        summary.deactivated,
        summary.teams_created
    );
    Ok(())
}
