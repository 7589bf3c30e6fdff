//! Version 1 of the JSON API.

pub mod champions;
pub mod error_responses;
pub mod initiative_edit;
pub mod initiatives;
pub mod openapi;
pub mod people;
pub mod results;
pub mod results_json;
pub mod routes;
pub mod survey;
pub mod teams;
pub mod waves;
