//! A real SMTP server on loopback (aiosmtpd, tests/support/smtp_sink.py).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A running SMTP sink that stores each message as a file.
pub struct SmtpSink {
    /// Its port.
    pub port: u16,
    /// Where messages land.
    pub dir: PathBuf,
    child: Child,
}

/// A free loopback port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

impl SmtpSink {
    /// Starts a sink on `port`; `args` such as `["--reject-rcpt", "d1@"]`.
    pub fn start_on(port: u16, dir: PathBuf, args: &[&str]) -> SmtpSink {
        let python = std::env::var("CHANGEREADY_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .arg(&dir)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP sink (needs aiosmtpd; scripts/test installs it)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("sink output");
        assert_eq!(line.trim(), "ready", "SMTP sink did not start");
        SmtpSink { port, dir, child }
    }

    /// Starts a sink on a free port with a fresh folder.
    pub fn start(args: &[&str]) -> SmtpSink {
        Self::start_on(free_port(), fresh_dir(), args)
    }

    /// The `smtp://` URL of this sink.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(&self.dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("read message"))
            .collect()
    }

    /// How many messages each recipient got so far.
    pub fn per_recipient(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for m in self.messages() {
            *counts.entry(recipient(&m)).or_default() += 1;
        }
        counts
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new empty folder under the system temp dir.
pub fn fresh_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cr-mail-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// The survey link in a message (`/s/` followed by 43 token characters).
pub fn link_in(message: &str) -> Option<String> {
    let unfolded = message.replace("=\r\n", "").replace("=\n", "");
    let start = unfolded.find("/s/")? + 3;
    let token: String = unfolded[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (token.len() == 43).then_some(token)
}

/// The `X-Envelope-To` recipient the sink recorded.
pub fn recipient(message: &str) -> String {
    message
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("X-Envelope-To: ")
        .trim()
        .to_owned()
}
