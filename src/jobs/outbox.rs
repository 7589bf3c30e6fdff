//! The outbox worker: claims due rows with `FOR UPDATE SKIP LOCKED` (so any number of
//! instances send each email once), sends them, and records the outcome row by row.
//!
//! A claim pushes `next_attempt_at` forward by the lease: if the process dies mid-send,
//! the rows it held become due again after the lease, so nothing is lost and only the
//! messages in flight at that moment can go out twice.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::StreamExt;
use rand::Rng;
use tera::{Context, Tera};
use uuid::Uuid;

use crate::db::DbPool;
use crate::domain::survey_token::SurveyKeys;
use crate::email::message::build_message;
use crate::email::{EmailSender, SendError, render_email};

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
    /// Attempts before giving up.
    pub max_attempts: i32,
    /// First retry delay.
    pub retry_base: Duration,
    /// Messages per second at most.
    pub rate_per_second: u32,
    /// How long a claimed row is reserved for the worker that claimed it.
    pub lease: Duration,
    /// Messages sent at once (also the most that a crash can send twice).
    pub in_flight: usize,
}

#[derive(QueryableByName, Debug)]
struct Claimed {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    recipient: String,
    #[diesel(sql_type = Integer)]
    attempts: i32,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    invitation_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    person_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    initiative: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    sponsor_message: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    closes_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    wave_status: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    wave_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    payload: serde_json::Value,
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

async fn claim(
    conn: &mut AsyncPgConnection,
    limit: i64,
    lease: Duration,
) -> diesel::QueryResult<Vec<Claimed>> {
    diesel::sql_query(format!(
        "WITH claimed AS ( \
           UPDATE email_outbox o SET next_attempt_at = now() + interval '{} seconds', attempts = o.attempts + 1 \
           WHERE o.id IN (SELECT id FROM email_outbox WHERE status = 'queued' AND next_attempt_at <= now() \
                          ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED) \
           RETURNING o.id, o.kind, o.recipient, o.attempts, o.invitation_id, o.wave_id, o.payload) \
         SELECT c.id, c.kind, c.recipient, c.attempts, c.invitation_id, c.wave_id, c.payload, p.name AS person_name, \
                ini.name AS initiative, w.sponsor_message, w.closes_at, w.status AS wave_status \
         FROM claimed c LEFT JOIN invitations i ON i.id = c.invitation_id \
         LEFT JOIN people p ON p.id = i.person_id LEFT JOIN waves w ON w.id = c.wave_id \
         LEFT JOIN initiatives ini ON ini.id = w.initiative_id",
        lease.as_secs()
    ))
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
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
            Err(SendError::Temporary(reason)) if row.attempts >= self.max_attempts => {
                Outcome::Failed(format!("gave up after {} attempts: {reason}", row.attempts))
            }
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
        base.mul_f64(1.0 + jitter)
    }

    /// Claims one batch of due rows and delivers it; returns how many rows were handled
    /// (0 when nothing was due). Tests call this until it returns 0.
    pub async fn deliver_due(&self, pool: &DbPool) -> anyhow::Result<usize> {
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
        let deliveries: Vec<_> = rows
            .into_iter()
            .map(|row| async move {
                // Each delivery records its own outcome, so sends and writes overlap.
                let outcome = self.deliver(pool, &row).await;
                let delay = self.retry_delay(row.attempts);
                crate::db::models::email_outbox::record_outcome(pool, row.id, &outcome, delay).await
            })
            .collect();
        let mut results =
            futures_util::stream::iter(deliveries).buffer_unordered(self.in_flight.max(1));
        let mut done = 0u32;
        while let Some(recorded) = results.next().await {
            recorded?;
            done += 1;
            // Pace to the configured rate.
            let due = Duration::from_secs_f64(f64::from(done) / f64::from(self.rate_per_second));
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                tokio::time::sleep(wait).await;
            }
        }
        Ok(total)
    }

    /// Runs forever: delivers due mail, sleeping briefly when there is none.
    pub async fn run_until_stopped(self, pool: DbPool) {
        loop {
            match self.deliver_due(&pool).await {
                Ok(0) => tokio::time::sleep(Duration::from_millis(500)).await,
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "email worker: cannot reach the database");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            }
        }
    }
}
