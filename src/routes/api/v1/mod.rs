//! Version 1 of the JSON API.

pub mod champions;
pub mod initiatives;
pub mod people;
pub mod results;
pub mod survey;
pub mod teams;
pub mod waves;
