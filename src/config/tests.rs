//! Loading the configuration files and variables.

use super::*;

fn config_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
}

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn every_environment_file_parses() {
    let secret = "a".repeat(40);
    for environment in ["local", "production"] {
        let settings = Settings::load_from(
            &config_dir(),
            &vars(&[
                ("APP_ENVIRONMENT", environment),
                ("APP_APPLICATION__SECRET", &secret),
            ]),
        );
        assert!(settings.is_ok(), "{environment}: {settings:?}");
    }
}

#[test]
fn plain_variables_override_the_files() {
    let settings = Settings::load_from(
        &config_dir(),
        &vars(&[
            ("DATABASE_URL", "postgres://u@db:5432/x"),
            ("BIND", "0.0.0.0:9999"),
            ("BASE_URL", "https://ready.example.org"),
            ("MAIL_FROM", "ready@example.org"),
            ("SMTP_URL", "smtp://mail:25"),
        ]),
    )
    .expect("settings load");
    assert_eq!(
        settings.database.url.expose_secret(),
        "postgres://u@db:5432/x"
    );
    assert_eq!(settings.application.bind, "0.0.0.0:9999");
    assert_eq!(settings.email.from, "ready@example.org");
    assert_eq!(settings.email.smtp_url.expose_secret(), "smtp://mail:25");
    assert!(settings.secure_cookies());
}

#[test]
fn sectioned_variables_override_and_parse_numbers() {
    let env = vars(&[
        ("APP_DATABASE__POOL_SIZE", "3"),
        ("APP_APPLICATION__WORKERS", "1"),
    ]);
    let settings = Settings::load_from(&config_dir(), &env).expect("settings load");
    assert_eq!(
        (settings.database.pool_size, settings.application.workers),
        (3, 1)
    );
}

#[test]
fn an_unknown_key_is_an_error_naming_the_key() {
    let err = Settings::load_from(&config_dir(), &vars(&[("APP_DATABASE__POOL_SIZZE", "3")]))
        .expect_err("unknown key must fail");
    assert!(format!("{err:#}").contains("pool_sizze"), "{err:#}");
}

#[test]
fn production_refuses_the_development_secret() {
    let err = Settings::load_from(&config_dir(), &vars(&[("APP_ENVIRONMENT", "production")]))
        .expect_err("production needs a real secret");
    assert!(format!("{err:#}").contains("SECRET"), "{err:#}");
}

#[test]
fn secrets_are_not_printed_by_debug() {
    let settings = Settings::load_from(&config_dir(), &vars(&[])).expect("settings load");
    let printed = format!("{settings:?}");
    assert!(!printed.contains(settings.application.secret.expose_secret()));
}
