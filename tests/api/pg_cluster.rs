//! A private, throw-away PostgreSQL cluster for tests that stop and start the server
//! (the shared test cluster must keep running for the tests beside them).
//!
//! scripts/test exports CHANGEREADY_TEST_PG_BIN (the bin folder) and
//! CHANGEREADY_TEST_PG_RUNAS (the command prefix that runs a program as the postgres
//! OS user, e.g. `runuser -u postgres --`; empty when we are that user).

use std::path::PathBuf;
use std::process::Command;

use crate::smtp::free_port;

/// A cluster in a temporary folder, on a loopback port; removed when dropped.
pub struct PgCluster {
    bin: PathBuf,
    runas: Vec<String>,
    dir: String,
    /// Its port.
    pub port: u16,
}

impl PgCluster {
    /// Creates (initdb) and starts a cluster, or returns `None` with the reason printed
    /// when the variables scripts/test sets are absent.
    pub fn start() -> Option<PgCluster> {
        let Some(bin) = std::env::var_os("CHANGEREADY_TEST_PG_BIN") else {
            eprintln!(
                "skipped: CHANGEREADY_TEST_PG_BIN is not set (run scripts/test, which sets it)"
            );
            return None;
        };
        let runas = std::env::var("CHANGEREADY_TEST_PG_RUNAS").unwrap_or_default();
        let mut runas: Vec<String> = runas.split_whitespace().map(str::to_owned).collect();
        if let [user] = runas.as_slice() {
            // A bare user name: run as that user (we are root).
            runas = ["runuser", "-u", user.as_str(), "--"]
                .map(str::to_owned)
                .to_vec();
        }
        let mut cluster = PgCluster {
            bin: PathBuf::from(bin),
            runas,
            dir: String::new(),
            port: free_port(),
        };
        // Made by the run-as user, so the server may use it.
        cluster.dir = cluster.run("mktemp", &["-d", "/tmp/cr-pg-XXXXXX"]);
        let data = cluster.data();
        let initdb = cluster.bin.join("initdb").to_string_lossy().into_owned();
        cluster.run(
            &initdb,
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        cluster.pg_ctl_start();
        Some(cluster)
    }

    fn data(&self) -> String {
        format!("{}/data", self.dir)
    }

    /// Runs `program args` as the run-as user from `/`; returns its trimmed output.
    fn run(&self, program: &str, args: &[&str]) -> String {
        let mut command = match self.runas.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(program);
                c
            }
            None => Command::new(program),
        };
        let out = command
            .args(args)
            .current_dir("/")
            .output()
            .unwrap_or_else(|e| panic!("run {program}: {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    fn pg_ctl(&self, args: &[&str]) {
        let pg_ctl = self.bin.join("pg_ctl").to_string_lossy().into_owned();
        let data = self.data();
        let mut all = vec!["-D", data.as_str(), "-w", "-t", "120"];
        all.extend_from_slice(args);
        self.run(&pg_ctl, &all);
    }

    fn pg_ctl_start(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c max_connections=40",
            self.port, self.dir
        );
        let log = format!("{}/server.log", self.dir);
        self.pg_ctl(&["-l", &log, "-o", &options, "start"]);
    }

    /// Starts the stopped server again, on the same port.
    pub fn start_again(&self) {
        self.pg_ctl_start();
    }

    /// Stops the server (`pg_ctl stop -m fast`: sessions are ended at once).
    pub fn stop_fast(&self) {
        self.pg_ctl(&["-m", "fast", "stop"]);
    }

    /// The URL of database `db` as role postgres.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if self.dir.is_empty() {
            return;
        }
        let pg_ctl = self.bin.join("pg_ctl").to_string_lossy().into_owned();
        let data = self.data();
        let mut stop = self.runas.clone();
        stop.extend([pg_ctl, "-D".into(), data, "-m".into(), "immediate".into()]);
        stop.extend(["-w".into(), "stop".into()]);
        let mut remove = self.runas.clone();
        remove.extend(["rm".into(), "-rf".into(), self.dir.clone()]);
        for argv in [stop, remove] {
            let _ = Command::new(&argv[0])
                .args(&argv[1..])
                .current_dir("/")
                .output();
        }
    }
}
