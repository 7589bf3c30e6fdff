//! changeready: ADKAR change-readiness surveys, team heatmaps and change champions.
//!
//! Modules follow `shared/product/style.md`: `domain` holds parsed values,
//! `db` the queries, `routes` the HTTP handlers, `auth` staff accounts.

pub mod auth;
pub mod bench;
pub mod cli;
pub mod cli_commands;
pub mod config;
pub mod db;
pub mod domain;
pub mod email;
pub mod error;
pub mod jobs;
pub mod metrics;
pub mod routes;
pub mod scoring;
pub mod services;
pub mod startup;
pub mod telemetry;
pub mod web;
