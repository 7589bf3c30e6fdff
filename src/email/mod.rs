//! Outgoing email: the transport (SMTP, `.eml` files, or an in-memory stub) and
//! messages rendered from `templates/email/<name>/`.

pub mod message;
pub mod sender;

pub use message::{EmailContent, render_email};
pub use sender::{EmailSender, SendError};
