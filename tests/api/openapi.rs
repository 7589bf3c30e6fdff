//! `GET /api/v1/openapi.json`: one operation per route of the `/api/v1` table, nothing
//! else, and the api.md names in its schemas.

use std::collections::BTreeSet;

use changeready::routes::api::v1::routes::api_v1_routes;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

/// The served document (no key needed).
pub async fn fetch_document(app: &TestApp) -> Value {
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers()["content-type"].to_str().expect("ascii");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    response.json().await.expect("json")
}

pub fn documented_operations(doc: &Value) -> BTreeSet<(String, String)> {
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            let methods = item.as_object().expect("path item").keys();
            methods.map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect()
}

fn table() -> BTreeSet<(String, String)> {
    api_v1_routes()
        .into_iter()
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
        .collect()
}

#[tokio::test]
async fn every_api_v1_route_is_in_the_document_and_nothing_else() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;

    let openapi = doc["openapi"].as_str().expect("openapi version");
    assert!(openapi.starts_with("3.1"), "{openapi}");
    let documented = documented_operations(&doc);
    let served = table();
    let missing: Vec<_> = served.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the document: {missing:?}"
    );
    let unknown: Vec<_> = documented.difference(&served).collect();
    assert!(unknown.is_empty(), "documented but not routed: {unknown:?}");
    assert_eq!(
        served.len(),
        api_v1_routes().len(),
        "a route is listed twice"
    );
}

#[tokio::test]
async fn every_route_of_the_table_is_served() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;
    for (method, path) in api_v1_routes() {
        // Ids that exist nowhere: a registered route still answers in JSON (404, 415, 422…),
        // while an unregistered path gets actix's empty 404 and a wrong method 405.
        let url = format!("{}{}", app.address, path)
            .replace("{id}", "999999")
            .replace("{token}", &"a".repeat(43));
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let response = app
            .client
            .request(method.clone(), &url)
            .bearer_auth(&key)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let body = response.text().await.expect("body");
        assert_ne!(status, 405, "{method} {path}");
        assert!(
            !(status == 404 && body.is_empty()),
            "{method} {path} is not routed"
        );
    }
}

#[tokio::test]
async fn the_schemas_carry_the_api_md_names() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let schemas = &doc["components"]["schemas"];
    let required = |name: &str| -> BTreeSet<String> {
        schemas[name]["required"]
            .as_array()
            .unwrap_or_else(|| panic!("schema {name} has required fields"))
            .iter()
            .map(|v| v.as_str().expect("name").to_owned())
            .collect()
    };
    let has = |name: &str, fields: &[&str]| {
        let got = required(name);
        for field in fields {
            assert!(got.contains(*field), "{name} lacks {field}: {got:?}");
        }
    };
    has("WaveCreated", &["id", "status"]);
    has(
        "ImportSummary",
        &["created", "updated", "deactivated", "teams_created"],
    );
    has("Team", &["id", "name", "path", "parent_id", "people"]);
    has(
        "Wave",
        &[
            "id",
            "status",
            "invited",
            "responded",
            "response_rate",
            "emails",
        ],
    );
    has("EmailCounts", &["queued", "sent", "failed"]);
    has(
        "WaveResults",
        &["wave_id", "min_group_size", "org", "teams"],
    );
    has(
        "ChampionAssignment",
        &["assignments", "uncovered", "total_distance"],
    );
    has(
        "Survey",
        &[
            "wave",
            "initiative",
            "closes_at",
            "scale",
            "questions",
            "answers",
        ],
    );
    has("CsvError", &["line", "field", "message"]);
    let wave_created = "/api/v1/initiatives/{id}/waves";
    assert_eq!(
        doc["paths"][wave_created]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
            ["$ref"],
        "#/components/schemas/WaveCreated"
    );
    assert_eq!(
        doc["paths"]["/api/v1/people"]["put"]["requestBody"]["content"]
            .as_object()
            .map(|c| c.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["text/csv".to_owned()])
    );
    assert!(
        doc["paths"]["/api/v1/waves/{id}/results.csv"]["get"]["responses"]["200"]["content"]
            ["text/csv"]
            .is_object()
    );
}

#[tokio::test]
async fn survey_routes_are_open_and_the_rest_need_a_bearer_key() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for (method, path) in api_v1_routes() {
        let operation = &doc["paths"][path][method.to_lowercase()];
        let open = path.starts_with("/api/v1/survey/") || path == "/api/v1/openapi.json";
        let security = &operation["security"];
        if open {
            assert!(security.is_null(), "{method} {path} should need no key");
        } else {
            assert_eq!(
                security,
                &serde_json::json!([{"bearer": []}]),
                "{method} {path}"
            );
            assert!(
                operation["responses"]["401"].is_object(),
                "{method} {path} documents 401"
            );
        }
    }
}

/// `/api/` routes are registered from the table only: no other source file registers one.
#[test]
fn no_api_route_is_registered_outside_the_table() {
    fn visit(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                visit(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("api/v1/routes.rs")
            {
                let text = std::fs::read_to_string(&path).expect("source");
                let registers = ["resource", "route", "scope", "get", "post", "put", "delete"]
                    .iter()
                    .any(|call| text.contains(&format!("{call}(\"/api")));
                if registers {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    let mut found = Vec::new();
    visit(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(
        found.is_empty(),
        "register /api routes in api/v1/routes.rs: {found:?}"
    );
}
