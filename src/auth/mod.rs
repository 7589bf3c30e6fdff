//! Staff authentication: passwords, sessions, API keys, roles and login throttling.

pub mod current_user;
pub mod login;
pub mod password;
pub mod token;

pub use current_user::CurrentUser;
