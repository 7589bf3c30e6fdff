//! Accounts managed by admins, and API keys.

use crate::helpers::{PASSWORD, login_client, spawn_app, spawn_client};

#[tokio::test]
async fn an_admin_adds_a_user_who_can_then_sign_in() {
    let app = spawn_app().await;
    app.login_as("admin").await;

    let response = app
        .post_form(
            "/admin/users",
            &[
                ("email", "New.Person@Example.org"),
                ("name", "New Person"),
                ("role", "sponsor"),
                ("password", "another long password"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);

    let other = spawn_client(&app);
    let login = login_client(
        &app,
        &other,
        "new.person@example.org",
        "another long password",
    )
    .await;
    assert_eq!(login, 303);
}

#[tokio::test]
async fn adding_a_user_with_bad_fields_shows_every_error_and_adds_nothing() {
    let app = spawn_app().await;
    app.login_as("admin").await;

    let response = app
        .post_form(
            "/admin/users",
            &[
                ("email", "not-an-email"),
                ("name", " "),
                ("role", "root"),
                ("password", "short"),
            ],
        )
        .await;

    assert_eq!(response.status().as_u16(), 422);
    let body = response.text().await.expect("body");
    for field in ["email:", "name:", "role:", "password:"] {
        assert!(body.contains(field), "message for {field}");
    }
    let mut conn = app.db().await;
    let users = changeready::db::models::user::User::list(&mut conn)
        .await
        .expect("list");
    assert_eq!(users.len(), 1, "only the signed-in admin exists");
}

#[tokio::test]
async fn a_reset_password_ends_old_sessions_and_the_new_one_works() {
    let app = spawn_app().await;
    app.login_as("admin").await;
    let other_email = app.add_user("practitioner").await;
    let mut conn = app.db().await;
    let other = changeready::db::models::user::User::find_by_email(
        &mut conn,
        &changeready::domain::email_address::EmailAddress::parse(&other_email).expect("email"),
    )
    .await
    .expect("query")
    .expect("user");

    let page = app
        .post_form(&format!("/admin/users/{}/password", other.id), &[])
        .await
        .text()
        .await
        .expect("body");

    let marker = "<code>";
    let start = page.find(marker).expect("new password shown") + marker.len();
    let password = &page[start..start + 20];
    let fresh = login_client(&app, &spawn_client(&app), &other_email, password).await;
    assert_eq!(fresh, 303);
    assert_eq!(
        login_client(&app, &spawn_client(&app), &other_email, PASSWORD).await,
        401
    );
}

#[tokio::test]
async fn api_keys_are_shown_once_work_and_can_be_revoked() {
    let app = spawn_app().await;
    app.login_as("practitioner").await;

    let page = app
        .post_form("/account/api-keys", &[("label", "HR sync")])
        .await
        .text()
        .await
        .expect("body");
    let start = page.find("cr_").expect("key shown");
    let key: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let teams = app
        .client
        .get(format!("{}/api/v1/teams", app.address))
        .bearer_auth(&key)
        .send()
        .await
        .expect("GET");
    assert_eq!(teams.status().as_u16(), 200);
    let listing = app
        .get("/account/api-keys")
        .await
        .text()
        .await
        .expect("body");
    assert!(!listing.contains(&key), "the key is not shown again");

    let mut conn = app.db().await;
    let keys: Vec<i64> = {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        changeready::db::schema::api_keys::table
            .select(changeready::db::schema::api_keys::id)
            .load(&mut conn)
            .await
            .expect("keys")
    };
    app.post_form(&format!("/account/api-keys/{}/revoke", keys[0]), &[])
        .await;

    let after = reqwest::Client::new()
        .get(format!("{}/api/v1/teams", app.address))
        .bearer_auth(&key)
        .send()
        .await
        .expect("GET");
    assert_eq!(after.status().as_u16(), 401);
}
