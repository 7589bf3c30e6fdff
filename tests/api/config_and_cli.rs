//! The binary's commands against a real database.

use std::process::Command;

use crate::helpers::fresh_database;

fn changeready(db_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_changeready"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn");
    command
}

#[tokio::test]
async fn migrate_then_user_add_then_api_key_create_work_from_the_command_line() {
    let (db_url, _) = fresh_database().await;

    let migrate = changeready(&db_url)
        .arg("migrate")
        .output()
        .expect("run migrate");
    assert!(migrate.status.success(), "{migrate:?}");
    let add = changeready(&db_url)
        .args([
            "user",
            "add",
            "--email",
            "Cli@Example.org",
            "--name",
            "Cli User",
            "--role",
            "practitioner",
        ])
        .env("CHANGEREADY_PASSWORD", "a long cli password")
        .output()
        .expect("run user add");
    assert!(add.status.success(), "{add:?}");
    let again = changeready(&db_url)
        .args([
            "user",
            "add",
            "--email",
            "cli@example.org",
            "--name",
            "Cli User",
            "--role",
            "practitioner",
        ])
        .env("CHANGEREADY_PASSWORD", "a long cli password")
        .output()
        .expect("run user add");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let key = changeready(&db_url)
        .args(["api-key", "create", "--email", "cli@example.org"])
        .output()
        .expect("run api-key");
    assert!(key.status.success(), "{key:?}");
    assert!(
        String::from_utf8_lossy(&key.stdout)
            .trim()
            .starts_with("cr_")
    );
}

#[tokio::test]
async fn a_short_password_or_bad_role_is_refused_with_a_clear_message() {
    let (db_url, _) = fresh_database().await;

    let short = changeready(&db_url)
        .args([
            "user",
            "add",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "admin",
        ])
        .env("CHANGEREADY_PASSWORD", "short")
        .output()
        .expect("run");
    let role = changeready(&db_url)
        .args([
            "user",
            "add",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "root",
        ])
        .output()
        .expect("run");

    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    assert!(!role.status.success());
    assert!(String::from_utf8_lossy(&role.stderr).contains("not a role"));
}

#[tokio::test]
async fn import_people_reports_progress_and_errors_from_the_command_line() {
    let (db_url, _) = fresh_database().await;
    let dir = std::env::temp_dir().join(format!("cr-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "email,name,team\na@example.org,A,Ops/Desk\nb@example.org,B,Ops\n",
    )
    .expect("write");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "email,name,team\nnope,A,Ops\n").expect("write");

    let ok = changeready(&db_url)
        .arg("import-people")
        .arg(&good)
        .output()
        .expect("run");
    let failed = changeready(&db_url)
        .arg("import-people")
        .arg(&bad)
        .output()
        .expect("run");

    assert!(ok.status.success(), "{ok:?}");
    assert!(String::from_utf8_lossy(&ok.stdout).contains("2 created"));
    assert!(String::from_utf8_lossy(&ok.stderr).contains("100%"));
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("line 2: email") && stderr.contains("nothing was imported"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "set-password", "--help"],
        vec!["api-key", "create", "--help"],
        vec!["import-people", "--help"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_changeready"))
            .args(&args)
            .output()
            .expect("run");
        assert!(output.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

#[test]
fn an_unknown_configuration_key_stops_the_binary_naming_the_key() {
    let output = Command::new(env!("CARGO_BIN_EXE_changeready"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("APP_DATABASE__POOLSIZE", "3")
        .arg("migrate")
        .output()
        .expect("run");

    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("poolsize"));
}
