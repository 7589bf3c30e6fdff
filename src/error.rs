//! The one error type handlers return. JSON bodies here; HTML error pages are drawn
//! by `web::error_pages` for non-API paths so a page never shows internals.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// One problem with one input field.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    /// Input field the message is about.
    pub field: String,
    /// What is wrong, readable by the person who sent it.
    pub message: String,
}

impl FieldError {
    /// A message about `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Everything a handler can fail with.
#[derive(thiserror::Error)]
pub enum AppError {
    /// Bad input (422), with every field error.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// Nothing at that address, or not visible to the caller (404).
    #[error("not found")]
    NotFound,
    /// No invitation has this survey link (404), said so in words a respondent follows.
    #[error("this survey link is not valid: check that the whole link from the email was used")]
    UnknownLink,
    /// No valid session or API key (401).
    #[error("authentication required")]
    Unauthorized,
    /// Signed in, but the role does not allow it (403).
    #[error("forbidden")]
    Forbidden,
    /// A form without its CSRF token (403).
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// The request conflicts with the current state (409).
    #[error("{0}")]
    Conflict(String),
    /// It existed but is no longer available, e.g. a closed survey (410).
    #[error("{0}")]
    Gone(String),
    /// The body is not in a supported format (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The database cannot be reached now (503).
    #[error("the database is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure (500); the cause is logged, not shown.
    #[error("unexpected error")]
    Unexpected(#[from] anyhow::Error),
}

impl std::fmt::Debug for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        error_chain_fmt(self, f)
    }
}

/// Writes an error and each of its causes, one per line.
pub fn error_chain_fmt(
    e: &impl std::error::Error,
    f: &mut std::fmt::Formatter<'_>,
) -> std::fmt::Result {
    writeln!(f, "{e}")?;
    let mut current = e.source();
    while let Some(cause) = current {
        writeln!(f, "Caused by:\n\t{cause}")?;
        current = cause.source();
    }
    Ok(())
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            lost if is_connection_lost(&lost) => AppError::Unavailable(lost.into()),
            other => AppError::Unexpected(other.into()),
        }
    }
}

/// Whether `e` means the database went away mid-request (stopped, restarted, network
/// gone) rather than a bug: the connection closed, or the server ended the session.
pub fn is_connection_lost(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
        | Error::DatabaseError(DatabaseErrorKind::UnableToSendCommand, _)
        | Error::BrokenTransactionManager => true,
        // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now.
        Error::DatabaseError(_, info) => {
            let message = info.message();
            message.starts_with("terminating connection")
                || message.contains("the database system is shutting down")
                || message.contains("the database system is starting up")
        }
        Error::RollbackErrorOnCommit {
            rollback_error,
            commit_error,
        } => is_connection_lost(rollback_error) || is_connection_lost(commit_error),
        _ => false,
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for AppError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        AppError::Unavailable(e.into())
    }
}

/// The JSON body of every error response; `errors` only with 422.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody<'a> {
    /// What went wrong, e.g. `not found`.
    error: &'a str,
    /// Every field error (422 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<FieldError>>, nullable = false)]
    errors: Option<&'a [FieldError]>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound | AppError::UnknownLink => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let message = self.to_string();
        let errors = match self {
            AppError::Validation(errors) => Some(errors.as_slice()),
            _ => None,
        };
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, AppError::Unauthorized) {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(ErrorBody {
            error: &message,
            errors,
        })
    }
}
