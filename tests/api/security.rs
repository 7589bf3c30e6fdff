//! Response headers, error pages, body limits.

use crate::helpers::{content_type, spawn_app};

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = spawn_app().await;

    let response = app.get("/login").await;

    let headers = response.headers();
    let csp = headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert_eq!(
        headers.get("x-content-type-options").map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
    assert_eq!(
        headers.get("referrer-policy").map(|v| v.as_bytes()),
        Some(&b"no-referrer"[..])
    );
    let csrf = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("cr_csrf="));
    let csrf = csrf.expect("csrf cookie");
    assert!(
        csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict"),
        "{csrf}"
    );
}

#[tokio::test]
async fn an_unknown_page_is_a_friendly_404_page() {
    let app = spawn_app().await;

    let response = app.get("/no/such/page").await;

    assert_eq!(response.status().as_u16(), 404);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/html")
    );
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("Page not found")
    );
}

#[tokio::test]
async fn an_unknown_api_route_answers_json_not_html() {
    let app = spawn_app().await;
    let key = app.api_key("admin").await;

    let response = app
        .client
        .get(format!("{}/api/v1/teams/does-not-exist", app.address))
        .bearer_auth(&key)
        .send()
        .await
        .expect("GET");

    assert_eq!(response.status().as_u16(), 404);
    let content_type = content_type(&response);
    assert!(!content_type.starts_with("text/html"), "{content_type}");
}

#[tokio::test]
async fn an_oversized_form_is_413() {
    let app = spawn_app().await;
    let token = app.csrf_token().await;
    let big = "x".repeat(300 * 1024);

    let response = app
        .client
        .post(format!("{}/login", app.address))
        .form(&[
            ("email", big.as_str()),
            ("password", "x"),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("POST");

    assert_eq!(response.status().as_u16(), 413);
}

#[tokio::test]
async fn static_assets_are_served_with_cache_headers() {
    let app = spawn_app().await;

    let response = app.get("/static/app.css").await;

    assert_eq!(response.status().as_u16(), 200);
    let cache = response
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cache.contains("max-age"), "{cache}");
}

#[tokio::test]
async fn metrics_need_their_token_and_count_requests_by_route_not_path() {
    let app =
        crate::helpers::spawn_app_with(&[("APP_METRICS__TOKEN", "metrics-token-for-tests")]).await;
    app.get("/login").await;
    app.get("/s/this-is-not-a-token").await;

    let anonymous = app.get("/metrics").await;
    let wrong = app
        .client
        .get(format!("{}/metrics", app.address))
        .bearer_auth("nope")
        .send()
        .await
        .expect("GET");
    let right = app
        .client
        .get(format!("{}/metrics", app.address))
        .bearer_auth("metrics-token-for-tests")
        .send()
        .await
        .expect("GET");

    assert_eq!(anonymous.status().as_u16(), 401);
    assert_eq!(wrong.status().as_u16(), 401);
    assert_eq!(right.status().as_u16(), 200);
    let body = right.text().await.expect("body");
    for name in [
        "changeready_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"}",
        "changeready_http_request_duration_seconds_bucket",
        "changeready_outbox_emails{status=\"queued\"}",
        "changeready_outbox_oldest_queued_age_seconds",
        "changeready_db_pool_connections_in_use",
        "changeready_survey_responses_submitted_total",
    ] {
        assert!(body.contains(name), "{name} missing");
    }
    assert!(
        body.contains("route=\"/s/{token}\"") && !body.contains("this-is-not-a-token"),
        "paths never appear"
    );
}

#[tokio::test]
async fn metrics_are_off_without_a_token() {
    let app = spawn_app().await;

    assert_eq!(app.get("/metrics").await.status().as_u16(), 404);
}
