//! chromedriver as a child process on a free loopback port: started with a timeout,
//! killed on drop (after ending its browser session), also when a test panics.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long chromedriver may take to answer `/status`, and Chromium to start.
pub const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The program named by the environment variable `var`, else `default`; panics naming
/// the Debian package to install when it is not there.
pub fn binary(var: &str, default: &str, package: &str) -> PathBuf {
    binary_from(std::env::var(var).ok(), var, default, package)
}

/// [`binary`] with the variable's value given.
pub fn binary_from(value: Option<String>, var: &str, default: &str, package: &str) -> PathBuf {
    let path = PathBuf::from(value.unwrap_or_else(|| default.to_owned()));
    assert!(
        path.is_file(),
        "{} not found: install Debian's `{package}` (scripts/test does) or set {var}",
        path.display()
    );
    path
}

/// A running chromedriver, killed (with its browser session ended) on drop.
pub struct Chromedriver {
    child: Child,
    port: u16,
    /// The session to end before killing chromedriver.
    pub session: Option<String>,
    log: PathBuf,
}

impl Chromedriver {
    /// Starts `path` on a port of its choosing (`--port=0`, read back from its log, so
    /// no other process can take it in between) and waits until it is ready; panics
    /// (never hangs) when it cannot start, quoting its log.
    pub fn start(path: &std::path::Path, dir: &std::path::Path) -> Chromedriver {
        let log = dir.join("chromedriver.log");
        let child = Command::new(path)
            .arg("--port=0")
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
        let mut driver = Chromedriver {
            child,
            port: 0,
            session: None,
            log,
        };
        let started = Instant::now();
        while driver.port == 0 || !driver.ready() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited with {status}:\n{}", driver.log_tail());
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "chromedriver not ready after {START_TIMEOUT:?}:\n{}",
                driver.log_tail()
            );
            std::thread::sleep(Duration::from_millis(50));
            if driver.port == 0 {
                driver.port = driver.logged_port().unwrap_or(0);
            }
        }
        driver
    }

    /// The port chromedriver says it listens on, once it has said so.
    fn logged_port(&self) -> Option<u16> {
        let text = std::fs::read_to_string(&self.log).ok()?;
        let marker = "started successfully on port ";
        let line = text.lines().find(|l| l.contains(marker))?;
        line.split(marker).nth(1)?.trim().parse().ok()
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// One blocking HTTP request to chromedriver with short timeouts; the body.
    /// Blocking on purpose: it also runs in `drop`, outside any runtime. chromedriver
    /// keeps the connection open, so the body is read by its `Content-Length`.
    fn request(&self, method: &str, path: &str) -> Option<String> {
        let timeout = Duration::from_secs(5);
        let address = ([127, 0, 0, 1], self.port).into();
        let mut stream = TcpStream::connect_timeout(&address, timeout).ok()?;
        stream.set_read_timeout(Some(timeout)).ok()?;
        let request =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
        stream.write_all(request.as_bytes()).ok()?;
        let mut reader = BufReader::new(stream);
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).ok()?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().ok()?;
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
        String::from_utf8(body).ok()
    }

    fn ready(&self) -> bool {
        self.request("GET", "/status")
            .and_then(|body| serde_json::from_str::<Value>(&body).ok())
            .is_some_and(|v| v["value"]["ready"] == json!(true))
    }

    /// The last lines of chromedriver's log, for failure messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // Ending the session makes chromedriver quit Chromium; then chromedriver goes.
        if let Some(id) = self.session.take() {
            let _ = self.request("DELETE", &format!("/session/{id}"));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
