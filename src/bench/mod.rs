//! `changeready bench …`: generate realistic data and time the hot paths, printing the
//! figures and how they were obtained. Run against a throw-away database
//! (`scripts/bench` makes one); never against production.

pub mod champions;
pub mod cli;
pub mod data;
pub mod run;
