//! Background work that runs inside `serve` (or alone as `changeready worker`).

pub mod wave_closer;
