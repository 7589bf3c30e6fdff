//! People of the organisation: list and CSV import.

pub mod import;
pub mod list;
