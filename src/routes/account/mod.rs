//! The signed-in user's own settings.

pub mod api_keys;
