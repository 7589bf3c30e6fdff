//! Integration tests: the real app on port 0 against a fresh database cloned from a
//! migrated template, spoken to over HTTP.

mod admin_users;
mod auth;
mod backup_restore;
mod champion_candidates;
mod champions;
mod config_and_cli;
mod demo;
mod email;
mod email_crash;
mod health;
mod helpers;
mod people_import;
mod people_pages;
mod results;
mod results_access;
mod roles;
mod security;
mod security_csrf_cases;
mod security_csrf_forms;
mod security_csrf_scan;
mod security_xss;
mod security_xss_data;
mod security_xss_mail;
mod smtp;
mod survey;
mod survey_privacy;
mod two_instances;
mod wave_helpers;
mod wave_pages;
mod waves;
