//! The signed-in staff member, from an API key (`Authorization: Bearer`) or a session cookie.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::auth::token::sha256;
use crate::db::DbPool;
use crate::db::models::api_key::ApiKey;
use crate::db::models::session::Session;
use crate::db::models::user::User;
use crate::domain::role::Role;
use crate::error::AppError;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "cr_session";

/// An authenticated staff member. Extracting it fails with 401 when nobody is signed in.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The account.
    pub user: User,
    /// True when the request came with an API key rather than a session.
    pub via_api_key: bool,
}

impl CurrentUser {
    /// The account's role.
    pub fn role(&self) -> Role {
        self.user.role()
    }

    /// Fails with 403 unless the account has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role()) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Fails with 403 unless the account is an admin or a practitioner.
    pub fn require_operator(&self) -> Result<(), AppError> {
        self.require(&[Role::Admin, Role::Practitioner])
    }
}

/// The signed-in user when there is one; never fails for lack of a session.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

async fn authenticate(req: HttpRequest) -> Result<Option<CurrentUser>, AppError> {
    let bearer = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
    if bearer.is_none() && cookie.is_none() {
        return Ok(None);
    }
    let pool = req
        .app_data::<web::Data<DbPool>>()
        .ok_or_else(|| anyhow::anyhow!("no database pool configured"))?;
    let mut conn = pool.get().await?;
    if let Some(key) = bearer {
        let user = ApiKey::find_user(&mut conn, &sha256(key)).await?;
        // A wrong key is an error even if a cookie came along: integrations must learn of it.
        return user
            .map(|user| {
                Some(CurrentUser {
                    user,
                    via_api_key: true,
                })
            })
            .ok_or(AppError::Unauthorized);
    }
    let Some(cookie) = cookie else {
        return Ok(None);
    };
    let user = Session::find_user(&mut conn, &sha256(&cookie)).await?;
    Ok(user.map(|user| CurrentUser {
        user,
        via_api_key: false,
    }))
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(req).await?.ok_or(AppError::Unauthorized) })
    }
}

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match authenticate(req).await {
                Ok(user) => Ok(MaybeUser(user)),
                Err(AppError::Unauthorized) => Ok(MaybeUser(None)),
                Err(other) => Err(other),
            }
        })
    }
}
