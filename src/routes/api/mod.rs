//! The JSON API (api.md).

pub mod v1;
