//! The wave page and its actions.

pub mod emails;
pub mod show;
