//! Validating a new wave's settings, shared by the page and the API.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;

use crate::db::schema::teams;
use crate::domain::json_int;
use crate::error::{AppError, FieldError};

/// Smallest k allowed (rules §4).
pub const MIN_GROUP_SIZE_FLOOR: i64 = 3;
/// Default k.
pub const DEFAULT_MIN_GROUP_SIZE: i64 = 5;

/// A new wave as sent by the API (and built from the page's form).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = NewWave)]
pub struct WaveInput {
    /// Name, 1 to 200 characters once trimmed.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00]*[^\s\x00][^\x00]*$"
    )]
    pub name: String,
    /// RFC 3339 time, or a `YYYY-MM-DD` date (closing at the end of that day, UTC); in the future.
    #[schema(schema_with = closes_at_schema)]
    pub closes_at: String,
    /// Teams in scope (with their sub-teams), all existing; absent, null or empty: everyone.
    #[serde(default, deserialize_with = "json_int::option_vec")]
    pub team_ids: Option<Vec<i64>>,
    /// k; default 5, at least 3.
    #[serde(default, deserialize_with = "json_int::option")]
    #[schema(minimum = 3, maximum = 1000)]
    pub min_group_size: Option<i64>,
    /// Days after launch to remind non-responders: up to 10 distinct days, 1 to 365.
    #[serde(default, deserialize_with = "json_int::option_vec")]
    #[schema(schema_with = reminder_days_schema)]
    pub reminder_days: Option<Vec<i64>>,
    /// Sponsor's message for the invitation email.
    #[serde(default)]
    #[schema(max_length = 2000, pattern = r"^[^\x00]*$")]
    pub sponsor_message: Option<String>,
}

fn closes_at_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    let string = |format| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(format)))
    };
    OneOfBuilder::new()
        .item(string(KnownFormat::Date))
        .item(string(KnownFormat::DateTime))
        .description(Some(
            "RFC 3339 time, or a `YYYY-MM-DD` date (closing at the end of that day, UTC); in the future.",
        ))
        .into()
}

fn reminder_days_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::{ArrayBuilder, ObjectBuilder, Type};
    let day = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .maximum(Some(365));
    ArrayBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::Array,
            Type::Null,
        ]))
        .items(day)
        .max_items(Some(10))
        .description(Some(
            "Days after launch to remind non-responders: up to 10 distinct days, 1 to 365.",
        ))
        .into()
}

/// A validated wave, ready to insert.
#[derive(Debug, Clone)]
pub struct ValidWave {
    /// Name, trimmed.
    pub name: String,
    /// Close time.
    pub closes_at: DateTime<Utc>,
    /// Teams in scope; empty = everyone.
    pub team_ids: Vec<i64>,
    /// k.
    pub min_group_size: i32,
    /// Sorted, distinct reminder days.
    pub reminder_days: Vec<i32>,
    /// Sponsor's message.
    pub sponsor_message: String,
}

fn parse_close(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(23, 59, 59)?.and_utc())
}

/// Checks every field and reports all problems at once; unknown team ids are errors.
pub async fn validate_wave(
    conn: &mut AsyncPgConnection,
    input: &WaveInput,
) -> Result<ValidWave, AppError> {
    let mut errors = Vec::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new("name", "must be 1 to 200 characters"));
    }
    let closes_at = parse_close(&input.closes_at);
    match closes_at {
        None => errors.push(FieldError::new(
            "closes_at",
            "must be a date (YYYY-MM-DD) or an RFC 3339 time",
        )),
        Some(t) if t <= Utc::now() => {
            errors.push(FieldError::new("closes_at", "must be in the future"))
        }
        Some(_) => {}
    }
    let k = input.min_group_size.unwrap_or(DEFAULT_MIN_GROUP_SIZE);
    if !(MIN_GROUP_SIZE_FLOOR..=1000).contains(&k) {
        errors.push(FieldError::new(
            "min_group_size",
            "must be at least 3 (and at most 1000): smaller groups could be identified",
        ));
    }
    let mut days: Vec<i64> = input.reminder_days.clone().unwrap_or_default();
    days.sort_unstable();
    days.dedup();
    if days.len() > 10 || days.iter().any(|d| !(1..=365).contains(d)) {
        errors.push(FieldError::new(
            "reminder_days",
            "must be up to 10 whole days between 1 and 365",
        ));
    }
    let message = input.sponsor_message.clone().unwrap_or_default();
    if message.chars().count() > 2000 {
        errors.push(FieldError::new(
            "sponsor_message",
            "must be at most 2000 characters",
        ));
    }
    // PostgreSQL text cannot hold NUL: it would fail the insert with a 500.
    for (field, text) in [("name", name), ("sponsor_message", message.as_str())] {
        if text.contains('\0') {
            errors.push(FieldError::new(field, "must not contain NUL characters"));
        }
    }
    // Distinct: a repeated id would insert the same wave_teams row twice (a 500).
    let mut team_ids = input.team_ids.clone().unwrap_or_default();
    team_ids.sort_unstable();
    team_ids.dedup();
    if !team_ids.is_empty() {
        let found: i64 = teams::table
            .filter(teams::id.eq_any(&team_ids))
            .count()
            .get_result(conn)
            .await?;
        if found != team_ids.len() as i64 {
            errors.push(FieldError::new(
                "team_ids",
                "contains a team that does not exist",
            ));
        }
    }
    match (closes_at, errors.is_empty()) {
        (Some(closes_at), true) => Ok(ValidWave {
            name: name.to_owned(),
            closes_at,
            team_ids,
            min_group_size: k as i32,
            reminder_days: days.into_iter().map(|d| d as i32).collect(),
            sponsor_message: message.trim().to_owned(),
        }),
        _ => Err(AppError::Validation(errors)),
    }
}
