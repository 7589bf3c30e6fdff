//! `GET /docs/api`: the OpenAPI document as a readable page, rendered on the server
//! from the same document `/api/v1/openapi.json` serves (no JavaScript, no CDN).

use actix_web::HttpResponse;
use serde::Serialize;
use serde_json::Value;

use crate::error::AppError;
use crate::routes::api::v1::openapi::document;
use crate::web::Page;

/// One operation as the page lists it.
#[derive(Serialize)]
struct Operation {
    method: String,
    path: String,
    summary: String,
    description: String,
    needs_key: bool,
    parameters: Vec<Parameter>,
    request: Vec<String>,
    responses: Vec<(String, String)>,
}

/// A path or query parameter.
#[derive(Serialize)]
struct Parameter {
    name: String,
    location: String,
    required: bool,
    description: String,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn operations(doc: &Value) -> Vec<Operation> {
    let global_security = doc["security"].as_array().is_some_and(|s| !s.is_empty());
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let security = op.get("security").and_then(Value::as_array);
            let needs_key = security.map_or(global_security, |s| {
                s.iter()
                    .any(|req| req.as_object().is_some_and(|r| !r.is_empty()))
            });
            let parameters = op["parameters"].as_array().into_iter().flatten();
            let responses = op["responses"].as_object().into_iter().flatten();
            found.push(Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(&op["summary"]),
                description: text(&op["description"]),
                needs_key,
                parameters: parameters
                    .map(|p| Parameter {
                        name: text(&p["name"]),
                        location: text(&p["in"]),
                        required: p["required"].as_bool().unwrap_or(false),
                        description: text(&p["description"]),
                    })
                    .collect(),
                request: op["requestBody"]["content"]
                    .as_object()
                    .map(|c| c.keys().cloned().collect())
                    .unwrap_or_default(),
                responses: responses
                    .map(|(code, r)| (code.clone(), text(&r["description"])))
                    .collect(),
            });
        }
    }
    found
}

/// The API reference page, open to everyone like the document itself.
#[tracing::instrument(name = "Show API reference", skip_all)]
pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    let doc: Value = serde_json::from_str(document()).map_err(anyhow::Error::from)?;
    let mut ctx = page.context();
    ctx.insert("title", &text(&doc["info"]["title"]));
    ctx.insert("description", &text(&doc["info"]["description"]));
    ctx.insert("version", &text(&doc["info"]["version"]));
    ctx.insert("operations", &operations(&doc));
    page.render("api_docs.html", &ctx)
}
