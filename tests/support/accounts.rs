//! Staff accounts and API keys written straight into a test database, shared by the
//! API and browser test binaries.

use changeready::db::models::user::{NewUser, User};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use secrecy::SecretString;

/// Adds an account named `name` with `role` and `password`; returns its (unique) email.
pub async fn add_user(db_url: &str, role: &str, name: &str, password: &str) -> String {
    let email = format!(
        "{role}-{}@example.org",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let hash = changeready::auth::password::hash_password(SecretString::from(password))
        .await
        .expect("hash");
    let new = NewUser {
        email: &email,
        name,
        role,
        password_hash: &hash,
    };
    User::insert(&mut connect(db_url).await, &new)
        .await
        .expect("insert user");
    email
}

/// A new API key for the account `email`.
pub async fn api_key_for(db_url: &str, email: &str) -> String {
    changeready::cli_commands::create_api_key(&mut connect(db_url).await, email, "test")
        .await
        .expect("api key")
}

/// A connection to a test database.
pub async fn connect(db_url: &str) -> AsyncPgConnection {
    AsyncPgConnection::establish(db_url)
        .await
        .expect("connect to test db")
}
