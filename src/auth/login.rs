//! Signing in: throttling by account and by client address, and starting a session.

use chrono::{Duration, Utc};
use diesel_async::AsyncPgConnection;
use secrecy::SecretString;

use crate::auth::password::verify_password;
use crate::auth::token::{random_secret, sha256};
use crate::db::models::login_failure::LoginFailure;
use crate::db::models::session::Session;
use crate::db::models::user::User;
use crate::domain::email_address::EmailAddress;

/// Failed attempts allowed per account within [`WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed attempts allowed per client address within [`WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// Length of the throttling window.
pub const WINDOW_MINUTES: i64 = 15;

/// Why a sign-in did not succeed.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginRefusal {
    /// Unknown email, wrong password or disabled account: one answer for all three.
    BadCredentials,
    /// Too many recent failures for this account or address.
    Throttled,
}

/// Checks the credentials and, on success, starts a session and returns its cookie value.
pub async fn sign_in(
    conn: &mut AsyncPgConnection,
    email: &str,
    password: SecretString,
    client_address: &str,
    session_hours: i64,
) -> anyhow::Result<Result<String, LoginRefusal>> {
    let account_key = sha256(&format!("account:{}", email.trim().to_lowercase()));
    let address_key = sha256(&format!("address:{client_address}"));
    let window = Duration::minutes(WINDOW_MINUTES);
    if LoginFailure::count_recent(conn, &account_key, window).await? >= MAX_FAILURES_PER_ACCOUNT
        || LoginFailure::count_recent(conn, &address_key, window).await? >= MAX_FAILURES_PER_ADDRESS
    {
        return Ok(Err(LoginRefusal::Throttled));
    }
    let user = match EmailAddress::parse(email) {
        Ok(email) => User::find_by_email(conn, &email).await?,
        Err(_) => None,
    };
    let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
    let verified = verify_password(password, stored_hash).await?;
    let user = match user {
        Some(user) if verified && user.active => user,
        _ => {
            LoginFailure::record(conn, &[&account_key, &address_key]).await?;
            return Ok(Err(LoginRefusal::BadCredentials));
        }
    };
    LoginFailure::clear(conn, &account_key).await?;
    let cookie_value = random_secret();
    let now = Utc::now();
    Session::insert(
        conn,
        &Session {
            token_hash: sha256(&cookie_value),
            user_id: user.id,
            created_at: now,
            expires_at: now + Duration::hours(session_hours),
        },
    )
    .await?;
    tracing::info!(user_id = user.id, "staff member signed in");
    Ok(Ok(cookie_value))
}
