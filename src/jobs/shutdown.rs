//! One stop request for the whole process: SIGTERM or SIGINT sets it, actix's graceful
//! shutdown and every background job see it. The email worker then stops claiming,
//! lets the messages it is sending finish and puts the rest back in the queue.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

/// How long in-flight work (HTTP requests, emails being sent) may take to finish after
/// a stop request before it is cut off.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30);

/// How long the email worker lets its messages in flight finish after a stop request;
/// less than [`SHUTDOWN_TIMEOUT`] so it has time to release what it still holds.
pub const EMAIL_DRAIN_TIMEOUT: Duration = Duration::from_secs(25);

/// A stop request shared by clones: once requested, it stays requested.
#[derive(Clone, Debug)]
pub struct Stop(Arc<watch::Sender<bool>>);

impl Default for Stop {
    fn default() -> Self {
        Self::new()
    }
}

impl Stop {
    /// A stop not requested yet.
    pub fn new() -> Self {
        Self(Arc::new(watch::channel(false).0))
    }

    /// Asks everything holding a clone to stop.
    pub fn request(&self) {
        self.0.send_replace(true);
    }

    /// Whether a stop has been requested.
    pub fn is_requested(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once a stop is requested (at once if it already was).
    pub async fn requested(&self) {
        let mut receiver = self.0.subscribe();
        // `self` keeps the sender alive, so this ends only on a request.
        let _ = receiver.wait_for(|stop| *stop).await;
    }
}

/// Resolves when the process receives SIGTERM or SIGINT (Ctrl-C); returns its name.
pub async fn os_stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::SignalKind;
        tokio::select! {
            () = receive(SignalKind::terminate()) => "SIGTERM",
            () = receive(SignalKind::interrupt()) => "SIGINT",
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        "Ctrl-C"
    }
}

#[cfg(unix)]
async fn receive(kind: tokio::signal::unix::SignalKind) {
    match tokio::signal::unix::signal(kind) {
        Ok(mut signal) => {
            signal.recv().await;
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot listen for a stop signal");
            std::future::pending::<()>().await;
        }
    }
}

/// Waits for SIGTERM/SIGINT or for `stop` to be requested by code; then requests it.
pub async fn stop_on_signal(stop: Stop) {
    tokio::select! {
        signal = os_stop_signal() => {
            tracing::info!(signal, "stopping: finishing in-flight requests and emails");
            stop.request();
        }
        () = stop.requested() => {}
    }
}
