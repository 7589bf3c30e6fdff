//! Parsed, validated values. Nothing here knows about diesel or actix.

pub mod email_address;
pub mod people_csv;
pub mod role;
pub mod team_path;
pub mod team_tree;
