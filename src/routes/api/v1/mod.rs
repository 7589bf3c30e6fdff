//! Version 1 of the JSON API.

pub mod people;
pub mod teams;
