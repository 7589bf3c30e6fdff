//! Work that several entry points share (pages, API, CLI).

pub mod access;
pub mod api_keys;
pub mod import_people;
pub mod survey_response;
pub mod wave_form;
pub mod wave_lifecycle;
pub mod wave_summary;
