//! Errors at the HTTP edge: the domain's errors plus the few only HTTP has (body too large, wrong
//! content type, malformed JSON). One status table; each dialect writes its own body.

use axum::http::StatusCode;
use roster_core::{DomainError, FieldErrors};

use crate::request_id;

#[derive(Debug)]
pub enum ApiError {
    Domain(DomainError),
    PayloadTooLarge,
    UnsupportedMediaType,
    /// The body is not JSON at all (a body that is JSON of the wrong shape is `Domain(Invalid)`).
    MalformedJson(String),
    NoRoute,
    MethodNotAllowed,
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        Self::Domain(error)
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        Self::Domain(DomainError::Invalid(errors))
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Domain(error) => match error {
                DomainError::NotFound { .. } => StatusCode::NOT_FOUND,
                DomainError::Conflict { .. } => StatusCode::CONFLICT,
                DomainError::Invalid(_) => StatusCode::BAD_REQUEST,
                DomainError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
                DomainError::Forbidden(_) => StatusCode::FORBIDDEN,
                DomainError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
                DomainError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
                DomainError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::MalformedJson(_) => StatusCode::BAD_REQUEST,
            Self::NoRoute => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// A short machine-readable name for the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Domain(error) => match error {
                DomainError::NotFound { .. } => "NOT_FOUND",
                DomainError::Conflict { .. } => "CONFLICT",
                DomainError::Invalid(_) => "VALIDATION_ERROR",
                DomainError::Unauthenticated(_) => "UNAUTHORIZED",
                DomainError::Forbidden(_) => "FORBIDDEN",
                DomainError::PreconditionFailed { .. } => "PRECONDITION_FAILED",
                DomainError::Unavailable(_) => "SERVICE_UNAVAILABLE",
                DomainError::Internal(_) => "INTERNAL_ERROR",
            },
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Self::MalformedJson(_) => "MALFORMED_JSON",
            Self::NoRoute => "NOT_FOUND",
            Self::MethodNotAllowed => "METHOD_NOT_ALLOWED",
        }
    }

    /// The message a client may see. Internal and unavailable errors are logged here, once, with the
    /// request id, and the client gets only the id: their text may name database internals.
    pub fn public_message(&self) -> String {
        match self {
            Self::Domain(DomainError::Internal(detail)) => {
                let id = request_id::current();
                tracing::error!(request_id = %id, error = %detail, "internal error");
                format!("internal error; quote request id {id} when reporting it")
            }
            Self::Domain(DomainError::Unavailable(detail)) => {
                let id = request_id::current();
                tracing::warn!(request_id = %id, error = %detail, "storage unavailable");
                format!("the service is temporarily unavailable; retry (request id {id})")
            }
            Self::Domain(DomainError::Invalid(_)) => "the request is invalid".to_owned(),
            Self::Domain(other) => other.to_string(),
            Self::PayloadTooLarge => "the request body is larger than 1 MiB".to_owned(),
            Self::UnsupportedMediaType => {
                "the request body must be JSON (Content-Type: application/json)".to_owned()
            }
            Self::MalformedJson(reason) => format!("the request body is not valid JSON: {reason}"),
            Self::NoRoute => "no such endpoint".to_owned(),
            Self::MethodNotAllowed => "this method is not allowed on this endpoint".to_owned(),
        }
    }
}
