//! Parsed, validated values. Nothing here knows about diesel or actix.

pub mod adkar;
pub mod email_address;
pub mod json_int;
pub mod json_object;
pub mod likert;
pub mod people_csv;
pub mod role;
pub mod survey_body;
pub mod survey_submission;
pub mod survey_token;
pub mod team_path;
pub mod team_tree;
