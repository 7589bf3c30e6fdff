//! Where mail goes: SMTP through a pooled lettre transport (production), `.eml` files
//! (the local default), or an in-memory stub (unit tests).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use lettre::message::Message;
use lettre::transport::smtp::PoolConfig;
use lettre::transport::stub::AsyncStubTransport;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::EmailSettings;

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth retrying: connection refused, timeout, a 4xx reply.
    Temporary(String),
    /// Never going to work: a 5xx reply, a bad address.
    Permanent(String),
}

impl SendError {
    /// The server's reply or the failure, for the wave page.
    pub fn reason(&self) -> &str {
        match self {
            SendError::Temporary(r) | SendError::Permanent(r) => r,
        }
    }
}

/// A mail transport, cheap to clone.
#[derive(Clone)]
pub enum EmailSender {
    /// A real SMTP server, with a connection pool.
    Smtp(Arc<AsyncSmtpTransport<Tokio1Executor>>),
    /// One `.eml` file per message in a folder.
    File(Arc<AsyncFileTransport<Tokio1Executor>>, PathBuf),
    /// Keeps messages in memory.
    Stub(AsyncStubTransport),
}

impl EmailSender {
    /// SMTP when `smtp_url` is set (`smtp://`, `smtps://`, `?tls=required` for STARTTLS,
    /// optional `user:pass@`), else files in `outbox_dir`.
    pub fn from_settings(settings: &EmailSettings) -> anyhow::Result<Self> {
        let url = settings.smtp_url.expose_secret();
        if url.trim().is_empty() {
            let dir = PathBuf::from(&settings.outbox_dir);
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            return Ok(EmailSender::File(
                Arc::new(AsyncFileTransport::new(&dir)),
                dir,
            ));
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("SMTP_URL is not a valid smtp:// or smtps:// URL")?
            .timeout(Some(Duration::from_secs(settings.timeout_secs)))
            .pool_config(
                PoolConfig::new().max_size(u32::try_from(settings.connections.max(1)).unwrap_or(8)),
            )
            .build();
        Ok(EmailSender::Smtp(Arc::new(transport)))
    }

    /// True when mail is written to files (the dev outbox page is then available).
    pub fn is_file(&self) -> bool {
        matches!(self, EmailSender::File(..))
    }

    /// Sends one message.
    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            EmailSender::Smtp(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(classify_smtp),
            EmailSender::File(transport, _) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendError::Temporary(format!("cannot write the mail file: {e}"))),
            EmailSender::Stub(transport) => transport
                .send(message)
                .await
                .map_err(|e| SendError::Temporary(e.to_string())),
        }
    }
}

fn classify_smtp(e: lettre::transport::smtp::Error) -> SendError {
    let reason = match e.status() {
        Some(code) => format!("{code} {e}"),
        None => e.to_string(),
    };
    if e.is_permanent() {
        SendError::Permanent(reason)
    } else {
        SendError::Temporary(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::email::EmailContent;
    use crate::email::message::build_message;

    fn content() -> EmailContent {
        EmailContent {
            subject: "Survey".into(),
            text: "Plain part".into(),
            html: "<p>HTML part</p>".into(),
        }
    }

    #[tokio::test]
    async fn the_stub_transport_records_a_multipart_message_with_its_id() {
        let stub = AsyncStubTransport::new_ok();
        let sender = EmailSender::Stub(stub.clone());
        let message = build_message(
            "changeready <cr@example.org>",
            "a@example.org",
            "<id-1@example.org>",
            &content(),
        )
        .expect("message");

        sender.send(message).await.expect("sent");

        let sent = stub.messages().await;
        assert_eq!(sent.len(), 1);
        let (envelope, raw) = &sent[0];
        assert_eq!(envelope.to()[0].to_string(), "a@example.org");
        assert!(
            raw.contains("multipart/alternative")
                && raw.contains("Plain part")
                && raw.contains("HTML part")
        );
        assert!(raw.contains("Message-ID: <id-1@example.org>"));
    }

    #[tokio::test]
    async fn a_failing_transport_is_a_temporary_error_and_a_bad_address_fails_to_build() {
        let sender = EmailSender::Stub(AsyncStubTransport::new_error());
        let message = build_message(
            "cr@example.org",
            "a@example.org",
            "<id-2@example.org>",
            &content(),
        )
        .expect("message");
        assert!(matches!(
            sender.send(message).await,
            Err(SendError::Temporary(_))
        ));
        assert!(build_message("cr@example.org", "not an address", "<id-3@x>", &content()).is_err());
    }
}
