//! `/admin/users`: list, add, disable/enable, reset passwords.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use secrecy::SecretString;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::auth::password::{check_new_password, hash_password};
use crate::auth::token::random_password;
use crate::db::DbPool;
use crate::db::models::user::{NewUser, User};
use crate::domain::email_address::EmailAddress;
use crate::domain::role::Role;
use crate::error::{AppError, FieldError};
use crate::web::Page;
use crate::web::csrf::{CsrfForm, CsrfOnly};
use crate::web::flash::redirect_with_flash;

/// The add-user form.
#[derive(Debug, Deserialize, Default, serde::Serialize)]
pub struct NewUserForm {
    email: String,
    name: String,
    role: String,
    password: String,
}

/// The enable/disable form.
#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    active: String,
}

async fn render_index(
    page: &Page,
    pool: &DbPool,
    form: &NewUserForm,
    errors: &[FieldError],
    new_password: Option<(&str, &str)>,
) -> Result<HttpResponse, AppError> {
    let mut conn = pool.get().await?;
    let users: Vec<_> = User::list(&mut conn)
        .await?
        .into_iter()
        .map(|u| serde_json::json!({"id": u.id, "email": u.email, "name": u.name, "role": u.role, "active": u.active}))
        .collect();
    let mut ctx = page.context();
    ctx.insert("users", &users);
    ctx.insert("form", form);
    ctx.insert("errors", errors);
    ctx.insert("roles", &Role::ALL.map(Role::as_str));
    if let Some((email, password)) = new_password {
        ctx.insert(
            "new_password",
            &serde_json::json!({"email": email, "password": password}),
        );
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.render_with_status(status, "admin/users.html", &ctx)
}

/// Lists accounts.
#[tracing::instrument(name = "List users", skip_all)]
pub async fn index(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    render_index(&page, &pool, &NewUserForm::default(), &[], None).await
}

/// Adds an account; the form again with every error when something is wrong.
#[tracing::instrument(name = "Add user", skip_all)]
pub async fn create(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    CsrfForm(form): CsrfForm<NewUserForm>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let mut errors = Vec::new();
    let email = EmailAddress::parse(&form.email)
        .map_err(|e| errors.push(FieldError::new("email", e.to_string())))
        .ok();
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new("name", "must be 1 to 200 characters"));
    }
    let role = Role::parse(&form.role)
        .map_err(|e| errors.push(FieldError::new("role", e)))
        .ok();
    if let Err(message) = check_new_password(&form.password) {
        errors.push(FieldError::new("password", message));
    }
    let mut conn = pool.get().await?;
    if let Some(email) = &email {
        if User::find_by_email(&mut conn, email).await?.is_some() {
            errors.push(FieldError::new(
                "email",
                "an account with this email exists",
            ));
        }
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return render_index(&page, &pool, &form, &errors, None).await;
    };
    let hash = hash_password(SecretString::from(form.password.clone())).await?;
    let new = NewUser {
        email: email.as_ref(),
        name,
        role: role.as_str(),
        password_hash: &hash,
    };
    let created = User::insert(&mut conn, &new).await?;
    tracing::info!(user_id = created.id, role = %role, "user added");
    Ok(redirect_with_flash("/admin/users", "Account added."))
}

/// Disables or re-enables an account. The last active admin cannot be disabled.
#[tracing::instrument(name = "Set user active", skip_all, fields(user_id = *id))]
pub async fn set_active(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let active = form.active == "1";
    let mut conn = pool.get().await?;
    let target = User::find(&mut conn, *id).await?;
    if !active
        && target.role() == Role::Admin
        && target.active
        && User::count_active_admins(&mut conn).await? <= 1
    {
        return Ok(redirect_with_flash(
            "/admin/users",
            "The last active administrator cannot be disabled.",
        ));
    }
    User::set_active(&mut conn, target.id, active).await?;
    let message = if active {
        "Account enabled."
    } else {
        "Account disabled; its sessions have ended."
    };
    Ok(redirect_with_flash("/admin/users", message))
}

/// Sets a new generated password, shown once to the admin.
#[tracing::instrument(name = "Reset user password", skip_all, fields(user_id = *id))]
pub async fn reset_password(
    user: CurrentUser,
    page: Page,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    _form: CsrfForm<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let mut conn = pool.get().await?;
    let target = User::find(&mut conn, *id).await?;
    let password = random_password(20);
    let hash = hash_password(SecretString::from(password.clone())).await?;
    User::set_password_hash(&mut conn, target.id, &hash).await?;
    drop(conn);
    render_index(
        &page,
        &pool,
        &NewUserForm::default(),
        &[],
        Some((&target.email, &password)),
    )
    .await
}
