//! Sign in, sign out, throttling, sessions, API keys, admin account management.

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn a_staff_member_signs_in_and_out() {
    let app = spawn_app().await;
    let email = app.add_user("practitioner").await;

    let response = app.login(&email, PASSWORD).await;
    assert_eq!(response.status().as_u16(), 303);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .find(|c| c.starts_with("cr_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let home = app.get("/").await;
    assert_eq!(home.status().as_u16(), 200);
    assert!(
        home.text()
            .await
            .expect("body")
            .contains("Welcome, Test User")
    );

    let response = app.post_form("/logout", &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    let home = app.get("/").await;
    assert_eq!(
        home.status().as_u16(),
        303,
        "signed out: home redirects to login"
    );
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    let email = app.add_user("admin").await;

    let wrong = app.login(&email, "not the password at all").await;
    let wrong_status = wrong.status().as_u16();
    let wrong_body = wrong.text().await.expect("body");
    let unknown = app
        .login("nobody@example.org", "not the password at all")
        .await;
    let unknown_status = unknown.status().as_u16();
    let unknown_body = unknown.text().await.expect("body");

    assert_eq!(wrong_status, 401);
    assert_eq!(unknown_status, 401);
    let message = "The email or password is not correct.";
    assert!(wrong_body.contains(message) && unknown_body.contains(message));
    assert_eq!(
        app.get("/").await.status().as_u16(),
        303,
        "still signed out"
    );
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in() {
    let app = spawn_app().await;
    let email = app.add_user("practitioner").await;
    let mut conn = app.db().await;
    let user = changeready::db::models::user::User::find_by_email(
        &mut conn,
        &changeready::domain::email_address::EmailAddress::parse(&email).expect("email"),
    )
    .await
    .expect("query")
    .expect("user");
    changeready::db::models::user::User::set_active(&mut conn, user.id, false)
        .await
        .expect("disable");

    assert_eq!(app.login(&email, PASSWORD).await.status().as_u16(), 401);
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_a_clear_message() {
    let app = spawn_app().await;
    let email = app.add_user("practitioner").await;
    for _ in 0..5 {
        assert_eq!(
            app.login(&email, "wrong password 123")
                .await
                .status()
                .as_u16(),
            401
        );
    }

    let locked = app.login(&email, PASSWORD).await;

    assert_eq!(
        locked.status().as_u16(),
        429,
        "even the right password is refused while locked"
    );
    assert!(
        locked
            .text()
            .await
            .expect("body")
            .contains("Too many failed sign-in attempts")
    );
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_throttled() {
    let app = spawn_app().await;
    let email = app.add_user("practitioner").await;
    for i in 0..20 {
        let status = app
            .login(&format!("guess{i}@example.org"), "wrong password 123")
            .await
            .status();
        assert_eq!(status.as_u16(), 401);
    }

    assert_eq!(app.login(&email, PASSWORD).await.status().as_u16(), 429);
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let app = spawn_app().await;
    let email = app.add_user("admin").await;
    app.get("/login").await;

    let without = app
        .client
        .post(format!("{}/login", app.address))
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .expect("POST");
    let wrong = app
        .client
        .post(format!("{}/login", app.address))
        .form(&[
            ("email", email.as_str()),
            ("password", PASSWORD),
            ("csrf_token", "x".repeat(43).as_str()),
        ])
        .send()
        .await
        .expect("POST");

    assert_eq!(without.status().as_u16(), 403);
    assert_eq!(wrong.status().as_u16(), 403);
    assert_eq!(app.get("/").await.status().as_u16(), 303, "not signed in");
}

#[tokio::test]
async fn every_form_of_the_staff_pages_is_refused_without_csrf() {
    let app = spawn_app().await;
    app.login_as("admin").await;
    for path in [
        "/logout",
        "/admin/users",
        "/admin/users/1/active",
        "/admin/users/1/password",
        "/account/api-keys",
        "/account/api-keys/1/revoke",
    ] {
        let response = app
            .client
            .post(format!("{}{path}", app.address))
            .form(&[("email", "x@example.org"), ("active", "0"), ("label", "x")])
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status().as_u16(), 403, "{path}");
    }
    let upload = reqwest::multipart::Form::new().text("file", "email,name,team\n");
    let response = app.post_import(upload).await;
    assert_eq!(response.status().as_u16(), 403, "/people/import");
}
