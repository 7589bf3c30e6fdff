//! Sign in and sign out.

pub mod login;
pub mod logout;
