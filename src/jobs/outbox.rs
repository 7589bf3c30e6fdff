//! The outbox worker: claims due rows with `FOR UPDATE SKIP LOCKED` (so any number of
//! instances send each email once), sends them, and records the outcome row by row.
//!
//! A claim pushes `next_attempt_at` forward by the lease: if the process dies mid-send,
//! the rows it held become due again after the lease, so nothing is lost and only the
//! messages in flight at that moment can go out twice. A graceful stop (SIGTERM) does
//! not wait for the lease: the worker stops claiming, lets the sends in flight finish
//! and puts the rows it has not sent back in the queue, due now. Nor does a short
//! database outage mid-batch: outcomes are recorded once the database answers again.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use rand::Rng;
use tera::{Context, Tera};
use uuid::Uuid;

use crate::db::DbPool;
use crate::domain::survey_token::SurveyKeys;
use crate::email::message::build_message;
use crate::email::{EmailSender, SendError, render_email};
use crate::jobs::outbox_lease::{Claimed, claim, record_when_reachable, release};
use crate::jobs::shutdown::{EMAIL_DRAIN_TIMEOUT, Stop};

/// Rows claimed at once per message in flight. With the SMTP timeout, a batch must
/// finish within the lease: 8 × 30 s < 300 s by default.
const BATCH_PER_IN_FLIGHT: i64 = 8;

/// What the worker needs besides the database.
#[derive(Clone)]
pub struct Mailer {
    /// Transport.
    pub sender: EmailSender,
    /// Templates.
    pub tera: Arc<Tera>,
    /// Link derivation.
    pub keys: SurveyKeys,
    /// `From:` address.
    pub from: String,
    /// Public URL, no trailing slash.
    pub base_url: String,
    /// Time zone for dates.
    pub time_zone: chrono_tz::Tz,
    /// Longest wait between two tries of a temporarily failing email.
    pub max_retry_delay: Duration,
    /// First retry delay.
    pub retry_base: Duration,
    /// Messages per second at most.
    pub rate_per_second: u32,
    /// How long a claimed row is reserved for the worker that claimed it.
    pub lease: Duration,
    /// Messages sent at once (also the most that a crash can send twice).
    pub in_flight: usize,
}

/// What happened to one claimed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted by the server.
    Sent,
    /// Will be retried later.
    Retry(String),
    /// Given up.
    Failed(String),
    /// No longer needed (answered, or the wave closed).
    Cancelled(String),
}

impl Mailer {
    fn context(&self, row: &Claimed) -> Option<Context> {
        if row.kind == "champion" {
            return Context::from_value(row.payload.clone()).ok();
        }
        let invitation = row.invitation_id?;
        let closes_at = row.closes_at?.with_timezone(&self.time_zone);
        let mut ctx = Context::new();
        ctx.insert("name", row.person_name.as_deref().unwrap_or("there"));
        ctx.insert(
            "initiative",
            row.initiative.as_deref().unwrap_or("The change"),
        );
        ctx.insert(
            "sponsor_message",
            row.sponsor_message.as_deref().unwrap_or(""),
        );
        ctx.insert(
            "closes",
            &closes_at.format("%A %-d %B %Y, %H:%M %Z").to_string(),
        );
        ctx.insert("closes_short", &closes_at.format("%-d %B").to_string());
        ctx.insert(
            "link",
            &format!(
                "{}/s/{}",
                self.base_url,
                self.keys.token_for(invitation).expose()
            ),
        );
        Some(ctx)
    }

    async fn deliver(&self, pool: &DbPool, row: &Claimed) -> Outcome {
        if row.wave_status.as_deref() == Some("closed") && row.kind != "champion" {
            return Outcome::Cancelled("the wave closed before sending".into());
        }
        if row.kind == "reminder" && self.has_answered(pool, row).await {
            return Outcome::Cancelled("answered before the reminder was sent".into());
        }
        let Some(ctx) = self.context(row) else {
            return Outcome::Failed("the invitation no longer exists".into());
        };
        let template = match row.kind.as_str() {
            "reminder" => "reminder",
            "champion" => "champion",
            _ => "invitation",
        };
        let content = match render_email(&self.tera, template, &ctx) {
            Ok(content) => content,
            Err(e) => return Outcome::Failed(format!("{e:#}")),
        };
        let domain = self
            .base_url
            .split("://")
            .nth(1)
            .unwrap_or("localhost")
            .split([':', '/'])
            .next()
            .unwrap_or("localhost");
        let message = match build_message(
            &self.from,
            &row.recipient,
            &format!("<{}@{domain}>", row.id),
            &content,
        ) {
            Ok(message) => message,
            Err(reason) => return Outcome::Failed(reason),
        };
        match self.sender.send(message).await {
            Ok(()) => Outcome::Sent,
            Err(SendError::Permanent(reason)) => Outcome::Failed(reason),
            // Never given up: rules §8, an SMTP outage delays mail but must not lose it.
            Err(SendError::Temporary(reason)) => Outcome::Retry(reason),
        }
    }

    async fn has_answered(&self, pool: &DbPool, row: &Claimed) -> bool {
        let (Some(invitation), Some(wave_id), Ok(mut conn)) =
            (row.invitation_id, row.wave_id, pool.get().await)
        else {
            return false;
        };
        crate::jobs::reminders::is_answered(&mut conn, &self.keys, wave_id, invitation)
            .await
            .unwrap_or(false)
    }

    fn retry_delay(&self, attempts: i32) -> Duration {
        let exponent = u32::try_from(attempts.saturating_sub(1))
            .unwrap_or(0)
            .min(16);
        let base = self
            .retry_base
            .saturating_mul(2u32.saturating_pow(exponent));
        // Jitter spreads retries of a whole wave so a recovering server is not hit at once.
        let jitter = rand::thread_rng().gen_range(0.0..0.25);
        base.min(self.max_retry_delay).mul_f64(1.0 + jitter)
    }

    /// Claims one batch of due rows and delivers it; returns how many rows were handled
    /// (0 when nothing was due). Tests call this until it returns 0.
    pub async fn deliver_due(&self, pool: &DbPool) -> anyhow::Result<usize> {
        self.deliver_batch(pool, &Stop::new(), EMAIL_DRAIN_TIMEOUT)
            .await
    }

    /// [`Self::deliver_due`] that heeds `stop`: once requested it claims nothing, starts
    /// no more sends, gives the sends in flight up to `drain` to finish and puts every
    /// row it still holds back in the queue, due now.
    pub async fn deliver_batch(
        &self,
        pool: &DbPool,
        stop: &Stop,
        drain: Duration,
    ) -> anyhow::Result<usize> {
        if stop.is_requested() {
            return Ok(0);
        }
        let rows = {
            let mut conn = pool.get().await?;
            claim(
                &mut conn,
                BATCH_PER_IN_FLIGHT * self.in_flight.max(1) as i64,
                self.lease,
            )
            .await?
        };
        let started = Instant::now();
        let total = rows.len();
        let mut waiting = rows.into_iter();
        let mut sending = FuturesUnordered::new();
        let mut in_flight: HashSet<Uuid> = HashSet::new();
        let mut cut_off_at: Option<tokio::time::Instant> = None;
        let mut done = 0u32;
        loop {
            while sending.len() < self.in_flight.max(1) && !stop.is_requested() {
                let Some(row) = waiting.next() else { break };
                in_flight.insert(row.id);
                // Each delivery records its own outcome, so sends and writes overlap.
                sending.push(async move {
                    let outcome = self.deliver(pool, &row).await;
                    let delay = self.retry_delay(row.attempts);
                    let recorded =
                        record_when_reachable(pool, row.id, &outcome, delay, self.lease / 2).await;
                    (row.id, recorded)
                });
            }
            let stopping = stop.is_requested();
            if stopping && cut_off_at.is_none() {
                cut_off_at = Some(tokio::time::Instant::now() + drain);
            }
            let deadline = cut_off_at.unwrap_or_else(|| tokio::time::Instant::now() + drain);
            let next = tokio::select! {
                next = sending.next() => next,
                () = stop.requested(), if !stopping => continue,
                () = tokio::time::sleep_until(deadline), if stopping => {
                    tracing::warn!(cut_off = in_flight.len(), "email worker: sends still in flight at shutdown");
                    break;
                }
            };
            let Some((id, recorded)) = next else { break };
            in_flight.remove(&id);
            recorded?;
            done += 1;
            // Pace to the configured rate (a stop request ends the wait).
            let due = Duration::from_secs_f64(f64::from(done) / f64::from(self.rate_per_second));
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = stop.requested() => {}
                }
            }
        }
        // Only a stop leaves rows behind: unstarted ones, and sends cut off at the deadline.
        drop(sending);
        let unstarted: Vec<Uuid> = waiting.map(|row| row.id).collect();
        let cut_off: Vec<Uuid> = in_flight.into_iter().collect();
        if !unstarted.is_empty() || !cut_off.is_empty() {
            let mut conn = pool.get().await?;
            let released = release(&mut conn, &unstarted, &cut_off).await?;
            tracing::info!(
                released,
                "email worker: put unsent emails back in the queue"
            );
        }
        Ok(total)
    }

    /// Delivers due mail until `stop` is requested, sleeping briefly when there is none;
    /// returns once nothing claimed is left in progress.
    pub async fn run_until_stopped(self, pool: DbPool, stop: Stop) {
        while !stop.is_requested() {
            let pause = match self.deliver_batch(&pool, &stop, EMAIL_DRAIN_TIMEOUT).await {
                Ok(0) => Duration::from_millis(500),
                Ok(_) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "email worker: cannot reach the database");
                    Duration::from_secs(2)
                }
            };
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = stop.requested() => {}
            }
        }
        tracing::info!("email worker stopped");
    }
}
