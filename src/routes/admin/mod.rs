//! Administration pages (admins only).

pub mod users;
