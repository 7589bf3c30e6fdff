//! Database access: the pool, embedded migrations, the schema and one module per table.

pub mod migrations;
pub mod models;
pub mod pool;
pub mod prepared;
#[rustfmt::skip]
pub mod schema;

pub use pool::{DbConn, DbPool};
