//! Graceful stop that never cuts off a request in flight.
//!
//! actix-server's own graceful stop has a race: its accept thread may exit, closing each
//! worker's connection channel, before the worker has received the stop message; a
//! worker that sees its channel closed ends at once and drops the requests it is
//! serving. So the server is first paused (no new connections), the requests counted
//! here are let finish, and only then are the workers stopped.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::ConnectionType;
use actix_web::middleware::Next;
use actix_web::web;
use tokio::sync::Notify;

/// Requests being served, and whether the server is stopping.
#[derive(Debug, Default)]
pub struct InFlight {
    requests: AtomicUsize,
    idle: Notify,
    stopping: AtomicBool,
}

/// Counts one request while it lives (also when its future is dropped).
struct Entered(Arc<InFlight>);

impl Drop for Entered {
    fn drop(&mut self) {
        if self.0.requests.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl InFlight {
    fn enter(self: &Arc<Self>) -> Entered {
        self.requests.fetch_add(1, Ordering::AcqRel);
        Entered(Arc::clone(self))
    }

    /// Requests being served now.
    pub fn count(&self) -> usize {
        self.requests.load(Ordering::Acquire)
    }

    /// Marks the server as stopping and waits until no request is in flight, at most
    /// `limit`; returns whether it got there. Responses given meanwhile close their
    /// connection, so keep-alive clients reconnect elsewhere instead of holding it open.
    pub async fn finish(&self, limit: Duration) -> bool {
        self.stopping.store(true, Ordering::Release);
        tokio::time::timeout(limit, async {
            loop {
                let idle = self.idle.notified();
                tokio::pin!(idle);
                // Registered before the check, so a last request ending in between wakes it.
                idle.as_mut().enable();
                if self.count() == 0 {
                    return;
                }
                idle.await;
            }
        })
        .await
        .is_ok()
    }
}

/// Middleware: counts the request while it is served; once the server is stopping,
/// its response closes the connection.
pub async fn track_in_flight(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let Some(in_flight) = req
        .app_data::<web::Data<InFlight>>()
        .map(|d| d.clone().into_inner())
    else {
        return next.call(req).await;
    };
    let _entered = in_flight.enter();
    let mut res = next.call(req).await?;
    if in_flight.stopping.load(Ordering::Acquire) {
        res.response_mut()
            .head_mut()
            .set_connection_type(ConnectionType::Close);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn finish_waits_for_the_last_request_and_gives_up_at_the_limit() {
        let in_flight = Arc::new(InFlight::default());
        assert!(in_flight.finish(Duration::from_millis(10)).await, "idle");

        let entered = in_flight.enter();
        assert!(!in_flight.finish(Duration::from_millis(50)).await, "busy");

        let waiter = {
            let in_flight = Arc::clone(&in_flight);
            tokio::spawn(async move { in_flight.finish(Duration::from_secs(10)).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiter.is_finished(), "still waits for the request");
        drop(entered);
        assert!(waiter.await.expect("task"), "done once the request ends");
        assert_eq!(in_flight.count(), 0);
    }
}
