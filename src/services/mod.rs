//! Work that several entry points share (pages, API, CLI).

pub mod access;
pub mod api_keys;
pub mod champion_assignment;
pub mod champion_candidates;
pub mod champion_notify;
pub mod demo;
pub mod demo_champions;
pub mod demo_org;
pub mod demo_report;
pub mod import_people;
pub mod results;
pub mod survey_first_save;
pub mod survey_link_save;
pub mod survey_response;
pub mod survey_stored_form;
pub mod survey_target;
pub mod wave_form;
pub mod wave_lifecycle;
pub mod wave_summary;
