//! Background work that runs inside `serve` (or alone as `changeready worker`).

pub mod outbox;
pub mod reminders;
pub mod wave_closer;
