//! Finds every POST form of the templates, and fingerprints the database so a test can
//! tell that a refused request changed nothing.

use std::path::{Path, PathBuf};

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;

use crate::helpers::TestApp;

/// A `<form method="post">` found in a template. Tera expressions are written `{expr}`.
#[derive(Debug, Clone)]
pub struct ScannedForm {
    /// Path under `templates/`, e.g. `waves/show.html`.
    pub template: String,
    /// The `action` attribute; `None` when the form posts to its own page.
    pub action: Option<String>,
    /// Every `name` of its controls except `csrf_token`, in order, without repeats.
    pub fields: Vec<String>,
    /// `enctype="multipart/form-data"`.
    pub multipart: bool,
}

impl ScannedForm {
    /// The key the tests map to a URL: the action, or `<template> (posts to itself)`.
    pub fn key(&self) -> String {
        self.action
            .clone()
            .unwrap_or_else(|| format!("{} (posts to itself)", self.template))
    }
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read templates dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

/// `{{ wave.id }}` becomes `{wave.id}`.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(len) = after.find("}}") else {
            rest = &rest[start..];
            break;
        };
        out.push_str(&format!("{{{}}}", after[..len].trim()));
        rest = &after[len + 2..];
    }
    out.push_str(rest);
    out
}

/// Every value of attribute `name` in `html` (quoted or not).
fn attributes(html: &str, name: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let needle = format!("{name}=");
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find(&needle) {
        let start = at + i;
        at = start + needle.len();
        let before = lower[..start].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = &html[at..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default(),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or_default(),
        };
        found.push(normalise(value));
    }
    found
}

/// Every POST form of every `templates/**/*.html`.
pub fn post_forms() -> Vec<ScannedForm> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut files = Vec::new();
    html_files(&root, &mut files);
    files.sort();
    let mut forms = Vec::new();
    for file in files {
        let html = std::fs::read_to_string(&file).expect("read template");
        let lower = html.to_ascii_lowercase();
        let template = file
            .strip_prefix(&root)
            .expect("under templates")
            .to_string_lossy()
            .replace('\\', "/");
        let mut at = 0;
        while let Some(i) = lower[at..].find("<form") {
            let start = at + i;
            let tag_end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
            let end = lower[tag_end..]
                .find("</form")
                .map_or(lower.len(), |e| tag_end + e);
            at = end;
            let tag = &html[start..tag_end];
            let method = attributes(tag, "method").into_iter().next();
            if !method.is_some_and(|m| m.eq_ignore_ascii_case("post")) {
                continue;
            }
            let mut fields: Vec<String> = Vec::new();
            for name in attributes(&html[tag_end..end], "name") {
                if name != "csrf_token" && !fields.contains(&name) {
                    fields.push(name);
                }
            }
            forms.push(ScannedForm {
                template: template.clone(),
                action: attributes(tag, "action").into_iter().next(),
                fields,
                multipart: attributes(tag, "enctype")
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case("multipart/form-data")),
            });
        }
    }
    forms
}

/// Replaces each `{expr}` of `pattern` with its value in `vars`.
pub fn substitute(pattern: &str, vars: &[(&str, String)]) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map(|e| start + e)
            .ok_or_else(|| format!("unclosed `{{` in `{pattern}`"))?;
        let expr = &rest[start + 1..end];
        let value = vars
            .iter()
            .find(|(name, _)| *name == expr)
            .map(|(_, v)| v)
            .ok_or_else(|| format!("the test has no value for `{{{{ {expr} }}}}`"))?;
        out.push_str(value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[derive(QueryableByName, Debug, PartialEq, Eq)]
struct TableHash {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    hash: String,
}

/// One hash per table of the public schema, over all its rows.
pub async fn db_fingerprint(app: &TestApp) -> Vec<(String, String)> {
    let mut conn = app.db().await;
    let rows: Vec<TableHash> = diesel::sql_query(
        "SELECT table_name::text AS name, md5(query_to_xml(format( \
           'SELECT t::text AS r FROM public.%I t ORDER BY 1', table_name), false, false, '')::text) AS hash \
         FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .expect("fingerprint");
    rows.into_iter().map(|r| (r.name, r.hash)).collect()
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The `id` column of the first row of `sql`.
pub async fn id_of(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.db().await;
    diesel::sql_query(sql)
        .get_result::<Id>(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .id
}
