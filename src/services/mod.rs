//! Work that several entry points share (pages, API, CLI).

pub mod access;
pub mod api_keys;
pub mod demo;
pub mod demo_org;
pub mod import_people;
pub mod results;
pub mod survey_response;
pub mod wave_form;
pub mod wave_lifecycle;
pub mod wave_summary;
