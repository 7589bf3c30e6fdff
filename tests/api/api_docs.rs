//! `GET /docs/api`: the readable API reference lists every operation of the document.

use crate::helpers::spawn_app;
use crate::openapi::{documented_operations, fetch_document};

#[tokio::test]
async fn the_api_reference_page_lists_every_documented_operation_without_a_login() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let response = app.get("/docs/api").await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.expect("body");
    let operations = documented_operations(&doc);
    assert!(operations.len() >= 15, "{operations:?}");
    for (method, path) in operations {
        // Tera escapes "/" in text.
        let shown = format!("<code>{method} {}</code>", path.replace('/', "&#x2F;"));
        assert!(
            html.contains(&shown),
            "{shown} missing from the reference page"
        );
    }
    assert!(
        html.contains("No key needed."),
        "the survey routes say they need no key"
    );
    assert!(html.contains("Needs <code>Authorization: Bearer KEY</code>."));
    assert!(
        !html.contains("<script"),
        "the page works without JavaScript"
    );
}
