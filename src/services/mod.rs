//! Work that several entry points share (pages, API, CLI).

pub mod api_keys;
pub mod import_people;
