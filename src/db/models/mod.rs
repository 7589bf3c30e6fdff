//! One module per table: the row struct, its insert form and its queries.
//! Queries take a connection, not the pool, so they also run inside a transaction.

pub mod api_key;
pub mod email_outbox;
pub mod initiative;
pub mod login_failure;
pub mod person;
pub mod response;
pub mod session;
pub mod survey_template;
pub mod team;
pub mod user;
pub mod wave;
pub mod wave_team_stats;
