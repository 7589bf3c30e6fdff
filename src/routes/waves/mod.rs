//! The wave page and its actions.

pub mod show;
