//! Each staff page and API route answers each role (and nobody) as the role table says.

use crate::helpers::spawn_app;

/// What a role gets: allowed (2xx), forbidden (403), or sent to sign in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Allowed,
    Forbidden,
    SignIn,
    Unauthorized,
}
use Expect::*;

const HTML_GETS: &[(&str, [Expect; 4])] = &[
    //                  anonymous, sponsor,   practitioner, admin
    ("/", [SignIn, Allowed, Allowed, Allowed]),
    ("/teams", [SignIn, Forbidden, Allowed, Allowed]),
    ("/people", [SignIn, Forbidden, Allowed, Allowed]),
    ("/people/import", [SignIn, Forbidden, Allowed, Allowed]),
    ("/admin/users", [SignIn, Forbidden, Forbidden, Allowed]),
    ("/account/api-keys", [SignIn, Allowed, Allowed, Allowed]),
];

const API_GETS: &[(&str, [Expect; 4])] =
    &[("/api/v1/teams", [Unauthorized, Forbidden, Allowed, Allowed])];

fn matches(expect: Expect, status: u16, location: Option<&str>) -> bool {
    match expect {
        Allowed => (200..300).contains(&status),
        Forbidden => status == 403,
        SignIn => status == 303 && location == Some("/login"),
        Unauthorized => status == 401,
    }
}

#[tokio::test]
async fn each_page_and_api_route_answers_each_role_as_the_table_says() {
    let app = spawn_app().await;
    let roles = ["anonymous", "sponsor", "practitioner", "admin"];
    for (i, role) in roles.iter().enumerate() {
        let client = crate::helpers::spawn_client(&app);
        let key = if *role == "anonymous" {
            None
        } else {
            Some(app.api_key(role).await)
        };
        if *role != "anonymous" {
            let email = app.add_user(role).await;
            let login =
                crate::helpers::login_client(&app, &client, &email, crate::helpers::PASSWORD).await;
            assert_eq!(login, 303);
        }
        for (path, expected) in HTML_GETS {
            let response = client
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .expect("GET");
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            assert!(
                matches(expected[i], status, location.as_deref()),
                "{role} GET {path}: {status} {location:?}, expected {:?}",
                expected[i]
            );
        }
        for (path, expected) in API_GETS {
            let mut request = reqwest::Client::new().get(format!("{}{path}", app.address));
            if let Some(key) = &key {
                request = request.bearer_auth(key);
            }
            let status = request.send().await.expect("GET").status().as_u16();
            assert!(
                matches(expected[i], status, None),
                "{role} GET {path}: {status}, expected {:?}",
                expected[i]
            );
        }
        let mut put = reqwest::Client::new()
            .put(format!("{}/api/v1/people", app.address))
            .header("Content-Type", "text/csv")
            .body("email,name,team\n");
        if let Some(key) = &key {
            put = put.bearer_auth(key);
        }
        let status = put.send().await.expect("PUT").status().as_u16();
        let expected = [Unauthorized, Forbidden, Allowed, Allowed][i];
        assert!(
            matches(expected, status, None),
            "{role} PUT /api/v1/people: {status}"
        );
    }
}

#[tokio::test]
async fn a_wrong_api_key_is_401_json() {
    let app = spawn_app().await;

    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/teams", app.address))
        .bearer_auth("cr_not-a-real-key")
        .send()
        .await
        .expect("GET");

    assert_eq!(response.status().as_u16(), 401);
    let body: serde_json::Value = response.json().await.expect("json body");
    assert!(body["error"].is_string());
}

#[tokio::test]
async fn a_sponsor_cannot_add_users_even_with_a_valid_form() {
    let app = spawn_app().await;
    app.login_as("sponsor").await;

    let response = app
        .post_form(
            "/admin/users",
            &[
                ("email", "x@example.org"),
                ("name", "X"),
                ("role", "admin"),
                ("password", "a long password here"),
            ],
        )
        .await;

    assert_eq!(response.status().as_u16(), 403);
    let mut conn = app.db().await;
    assert_eq!(
        changeready::db::models::user::User::list(&mut conn)
            .await
            .expect("list")
            .len(),
        1
    );
}
