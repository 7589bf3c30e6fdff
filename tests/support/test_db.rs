//! Test databases shared by the API and browser test binaries: a migrated template,
//! created once per server under an advisory lock (nextest runs each test in its own
//! process), cloned for every test.

use std::sync::OnceLock;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

pub fn admin_url() -> String {
    std::env::var("DATABASE_URL").expect(
        "DATABASE_URL must point at a PostgreSQL server's `postgres` database; run scripts/test",
    )
}

pub fn with_database(url: &str, db: &str) -> String {
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    format!("{base}/{db}")
}

fn template_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let mut hasher = Sha256::new();
        let mut entries: Vec<_> =
            walk(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"));
        entries.sort();
        for path in entries {
            hasher.update(path.to_string_lossy().as_bytes());
            hasher.update(std::fs::read(&path).expect("read migration"));
        }
        let digest = hasher.finalize();
        format!(
            "cr_template_{}",
            digest
                .iter()
                .take(6)
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        )
    })
}

fn walk(dir: std::path::PathBuf) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read migrations dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(walk(path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Creates the migrated template once per server (guarded by an advisory lock, since
/// nextest runs each test in its own process).
pub async fn ensure_template() {
    static DONE: OnceCell<()> = OnceCell::const_new();
    DONE.get_or_init(|| async {
        let mut admin = AsyncPgConnection::establish(&admin_url())
            .await
            .expect("connect to DATABASE_URL");
        diesel::sql_query("SELECT pg_advisory_lock(774411)")
            .execute(&mut admin)
            .await
            .expect("lock");
        let exists: i64 = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM pg_database WHERE datname = '{}'",
            template_name()
        ))
        .get_result::<Count>(&mut admin)
        .await
        .expect("query pg_database")
        .n;
        if exists == 0 {
            let building = format!("{}_building", template_name());
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {building}"))
                .execute(&mut admin)
                .await
                .expect("drop");
            diesel::sql_query(format!("CREATE DATABASE {building}"))
                .execute(&mut admin)
                .await
                .expect("create template");
            changeready::db::migrations::run_migrations(&with_database(&admin_url(), &building))
                .await
                .expect("migrate template");
            diesel::sql_query(format!(
                "ALTER DATABASE {building} RENAME TO {}",
                template_name()
            ))
            .execute(&mut admin)
            .await
            .expect("rename template");
        }
        diesel::sql_query("SELECT pg_advisory_unlock(774411)")
            .execute(&mut admin)
            .await
            .expect("unlock");
    })
    .await;
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// A new empty database (not migrated); returns its URL and name.
// `expect` would fail in the browser binary, which shares this file but not this use.
#[allow(dead_code, reason = "used by the API tests only")]
pub async fn fresh_empty_database() -> (String, String) {
    let name = format!("cr_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = AsyncPgConnection::establish(&admin_url())
        .await
        .expect("connect to DATABASE_URL");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create database");
    (with_database(&admin_url(), &name), name)
}

/// A fresh database cloned from the migrated template; returns its URL and name.
pub async fn fresh_database() -> (String, String) {
    ensure_template().await;
    let name = format!("cr_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = AsyncPgConnection::establish(&admin_url())
        .await
        .expect("connect to DATABASE_URL");
    diesel::sql_query(format!(
        "CREATE DATABASE {name} TEMPLATE {}",
        template_name()
    ))
    .execute(&mut admin)
    .await
    .expect("clone template");
    (with_database(&admin_url(), &name), name)
}
