//! Parsing and validation of the people import CSV.

use std::collections::HashMap;
use std::fmt;

use csv::ByteRecord;
use serde::Serialize;

use crate::domain::email_address::{EmailAddress, EmailError};
use crate::domain::team_path::TeamPath;

/// The longest allowed name, location or external id, in characters.
pub const MAX_TEXT_LEN: usize = 200;

const UNKNOWN_COLUMN: &str =
    "unknown column; expected email,name,team[,manager_email,location,external_id]";
const NOT_UTF8: &str = "is not valid UTF-8";
const NUL: &str = "must not contain NUL characters";

/// One valid data row of the people CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// The physical line the record starts on (the header is line 1).
    pub line: u64,
    /// The person's email, unique within the file.
    pub email: EmailAddress,
    /// The person's display name, trimmed.
    pub name: String,
    /// The team the person belongs to.
    pub team: TeamPath,
    /// The person's manager, if given.
    pub manager_email: Option<EmailAddress>,
    /// Free-text location, if given.
    pub location: Option<String>,
    /// An identifier from another system, if given.
    pub external_id: Option<String>,
}

/// A problem found in the CSV, located by line and field.
#[derive(Serialize, Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
pub struct CsvError {
    /// The physical line of the offending record (the header is line 1).
    pub line: u64,
    /// The column name, or `"header"` / `"row"` for whole-line problems.
    pub field: String,
    /// A user-readable description that follows the field name.
    pub message: String,
}

impl CsvError {
    fn new(line: u64, field: &str, message: impl Into<String>) -> Self {
        Self {
            line,
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, {}: {}", self.line, self.field, self.message)
    }
}

// Column indices into `COLUMNS`; the first three are required.
const EMAIL: usize = 0;
const NAME: usize = 1;
const TEAM: usize = 2;
const MANAGER_EMAIL: usize = 3;
const LOCATION: usize = 4;
const EXTERNAL_ID: usize = 5;
#[rustfmt::skip]
const COLUMNS: [&str; 6] = ["email", "name", "team", "manager_email", "location", "external_id"];

/// The header layout plus everything carried from row to row.
#[derive(Default)]
struct Parser {
    /// Which known column, if any, sits at each position.
    columns: Vec<Option<usize>>,
    /// The first line of every email seen so far.
    seen: HashMap<EmailAddress, u64>,
    // Managers repeat a lot, and email validation dominates the parse time.
    managers: HashMap<String, Result<EmailAddress, EmailError>>,
    errors: Vec<CsvError>,
    rows: Vec<PersonRow>,
}

impl Parser {
    /// Reads the header; `Err` means the rows cannot be interpreted at all.
    fn new(header: &ByteRecord, line: u64) -> Result<Self, Vec<CsvError>> {
        if let (1, Some(only)) = (header.len(), header.get(0)) {
            let found = [(b';', "';'"), (b'\t', "a tab")]
                .into_iter()
                .find(|(sep, _)| only.contains(sep));
            if let Some((_, shown)) = found {
                let message = format!("the file must be comma-separated (found {shown})");
                return Err(vec![CsvError::new(line, "header", message)]);
            }
        }
        let mut errors = Vec::new();
        let mut seen = [false; COLUMNS.len()];
        let mut columns = Vec::with_capacity(header.len());
        for (i, raw) in header.iter().enumerate() {
            let mut column = None;
            match std::str::from_utf8(raw).map(str::trim) {
                Err(_) => errors.push(CsvError::new(line, "header", NOT_UTF8)),
                Ok("") => {
                    let message = format!("column {} has no name", i + 1);
                    errors.push(CsvError::new(line, "header", message));
                }
                Ok(name) => match COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) {
                    None => errors.push(CsvError::new(line, name, UNKNOWN_COLUMN)),
                    Some(c) if seen[c] => {
                        errors.push(CsvError::new(line, name, "column appears more than once"));
                    }
                    Some(c) => (seen[c], column) = (true, Some(c)),
                },
            }
            columns.push(column);
        }
        for c in [EMAIL, NAME, TEAM] {
            if !seen[c] {
                let missing = "required column is missing";
                errors.push(CsvError::new(line, COLUMNS[c], missing));
            }
        }
        Ok(Self {
            columns,
            errors,
            ..Self::default()
        })
    }

    /// Records the error of `r` against column `col`, passing success through.
    fn check<T, E: fmt::Display>(&mut self, line: u64, col: usize, r: Result<T, E>) -> Option<T> {
        let error = |e: E| CsvError::new(line, COLUMNS[col], e.to_string());
        r.map_err(|e| self.errors.push(error(e))).ok()
    }

    /// Validates one record, keeping it only while the file has no errors.
    fn parse_row(&mut self, record: &ByteRecord, line: u64) {
        if record.len() != self.columns.len() {
            let (found, expected) = (record.len(), self.columns.len());
            let message = format!("has {found} fields, expected {expected}");
            self.errors.push(CsvError::new(line, "row", message));
            if record.iter().any(|f| std::str::from_utf8(f).is_err()) {
                self.errors.push(CsvError::new(line, "row", NOT_UTF8));
            }
            return;
        }
        // `None` means absent from the header or not decodable (already reported).
        let mut values: [Option<&str>; 6] = [None; 6];
        for (raw, column) in record.iter().zip(&self.columns) {
            let text = std::str::from_utf8(raw).map_err(|_| NOT_UTF8);
            match (text.and_then(without_nul), column) {
                (Ok(text), Some(c)) => values[*c] = Some(text),
                (Ok(_), None) => {}
                (Err(message), c) => {
                    let field = c.map_or("row", |c| COLUMNS[c]);
                    self.errors.push(CsvError::new(line, field, message));
                }
            }
        }
        let email = values[EMAIL].and_then(|v| self.check(line, EMAIL, EmailAddress::parse(v)));
        let name = values[NAME].and_then(|v| self.check(line, NAME, required_text(v)));
        let team = values[TEAM].and_then(|v| self.check(line, TEAM, TeamPath::parse(v)));
        let manager_email = match values[MANAGER_EMAIL].map(str::trim) {
            None | Some("") => None,
            Some(raw) => {
                let parsed = match self.managers.get(raw) {
                    Some(cached) => cached.clone(),
                    None => self
                        .managers
                        .entry(raw.to_owned())
                        .or_insert_with(|| EmailAddress::parse(raw))
                        .clone(),
                };
                self.check(line, MANAGER_EMAIL, parsed)
            }
        };
        let location = values[LOCATION].and_then(|v| self.check(line, LOCATION, optional_text(v)));
        let external_id =
            values[EXTERNAL_ID].and_then(|v| self.check(line, EXTERNAL_ID, optional_text(v)));
        if let Some(email) = &email {
            if let Some(first) = self.seen.get(email) {
                let message = format!("duplicates line {first}");
                self.errors.push(CsvError::new(line, "email", message));
            } else {
                self.seen.insert(email.clone(), line);
            }
        }
        // Once the import is doomed, stop keeping rows around.
        if let (Some(email), Some(name), Some(team), true) =
            (email, name, team, self.errors.is_empty())
        {
            self.rows.push(PersonRow {
                line,
                email,
                name,
                team,
                manager_email,
                location: location.flatten(),
                external_id: external_id.flatten(),
            });
        }
    }
}

fn optional_text(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.chars().count() > MAX_TEXT_LEN {
        return Err(format!("is longer than {MAX_TEXT_LEN} characters"));
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// PostgreSQL text cannot hold NUL: storing one would fail the whole import.
fn without_nul(text: &str) -> Result<&str, &'static str> {
    Some(text).filter(|t| !t.contains('\0')).ok_or(NUL)
}

fn required_text(value: &str) -> Result<String, String> {
    optional_text(value)?.ok_or_else(|| String::from("is empty"))
}

fn is_blank(record: &ByteRecord) -> bool {
    record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// The physical line `record` starts on, advancing `at` (offset, line) to it.
///
/// csv's own `Position::line` drifts on CRLF input and after skipped empty
/// lines, so lines are counted here from byte offsets instead.
fn line_of(input: &[u8], record: &ByteRecord, at: &mut (usize, u64)) -> u64 {
    let start = record
        .position()
        .and_then(|p| usize::try_from(p.byte()).ok());
    let start = start.unwrap_or(at.0);
    // The reported start precedes the terminators of any skipped empty lines.
    let rest = input.get(start..).unwrap_or_default();
    let content = start
        + rest
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
    if let Some(between) = input.get(at.0..content) {
        // A CR not followed by LF ends a line too (classic Mac exports).
        let is_break = |(i, b): (usize, &u8)| match b {
            b'\n' => true,
            b'\r' => input.get(at.0 + i + 1) != Some(&b'\n'),
            _ => false,
        };
        at.1 += between.iter().enumerate().filter(|&x| is_break(x)).count() as u64;
        at.0 = content;
    }
    at.1
}

/// Parses and validates a people CSV export.
///
/// The first non-blank line is the header: `email,name,team` are required and
/// `manager_email,location,external_id` optional, in any order and case. A
/// leading UTF-8 BOM is ignored, blank lines are skipped.
///
/// # Errors
/// Returns every problem in the file, sorted by line, if there is any.
pub fn parse_people_csv(input: &[u8]) -> Result<Vec<PersonRow>, Vec<CsvError>> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = ByteRecord::new();
    let mut parser: Option<Parser> = None;
    let mut at = (0, 1);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) if is_blank(&record) => continue,
            Ok(true) => {}
            Ok(false) => break,
            // Reading a slice with flexible records cannot fail; report it if it ever does.
            Err(e) => return Err(vec![CsvError::new(at.1, "row", e.to_string())]),
        }
        let line = line_of(input, &record, &mut at);
        match &mut parser {
            Some(parser) => parser.parse_row(&record, line),
            None => parser = Some(Parser::new(&record, line)?),
        }
    }
    let Some(mut parser) = parser else {
        return Err(vec![CsvError::new(1, "header", "the file is empty")]);
    };
    if parser.errors.is_empty() {
        Ok(parser.rows)
    } else {
        parser.errors.sort_by_key(|e| e.line);
        Err(parser.errors)
    }
}
