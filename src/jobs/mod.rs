//! Background work that runs inside `serve` (or alone as `changeready worker`).

pub mod background;
pub mod outbox;
mod outbox_lease;
pub mod reminders;
pub mod shutdown;
pub mod wave_closer;
