//! Rendering an email from `templates/email/<name>/{subject.txt, body.txt, body.html}`
//! and building the multipart message.

use lettre::Message;
use lettre::message::{Mailbox, MultiPart, header};
use tera::{Context, Tera};

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailContent {
    /// One line.
    pub subject: String,
    /// Plain-text part.
    pub text: String,
    /// HTML part (autoescaped).
    pub html: String,
}

/// Renders the three parts of `templates/email/<name>/`.
pub fn render_email(tera: &Tera, name: &str, ctx: &Context) -> anyhow::Result<EmailContent> {
    let render = |part: &str| {
        tera.render(&format!("email/{name}/{part}"), ctx)
            .map_err(|e| anyhow::anyhow!("email template {name}/{part}: {e:?}"))
    };
    Ok(EmailContent {
        subject: render("subject.txt")?
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned(),
        text: render("body.txt")?,
        html: render("body.html")?,
    })
}

/// Builds a multipart/alternative message. `message_id` lets receivers de-duplicate.
pub fn build_message(
    from: &str,
    to: &str,
    message_id: &str,
    content: &EmailContent,
) -> Result<Message, String> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| format!("MAIL_FROM is not an address: {e}"))?;
    let to: Mailbox = to
        .parse()
        .map_err(|e| format!("bad recipient address: {e}"))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(content.subject.clone())
        .message_id(Some(message_id.to_owned()))
        .header(header::MIME_VERSION_1_0)
        .multipart(MultiPart::alternative_plain_html(
            content.text.clone(),
            content.html.clone(),
        ))
        .map_err(|e| format!("cannot build the message: {e}"))
}
