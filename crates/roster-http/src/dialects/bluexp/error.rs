//! BlueXP's error body: `{"message": …}` (what NetApp's own Ansible collection reads from every
//! non-2xx answer), with the HTTP status of the error.

use axum::response::{IntoResponse, Response};
use axum::Json;
use roster_core::DomainError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// Every error of the BlueXP dialect. A validation error names every failing field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    #[schema(example = "notificationsOptIn: must be true or false")]
    pub message: String,
}

/// An error answered in BlueXP's body.
#[derive(Debug)]
pub struct BlueXpError(pub ApiError);

pub type BlueXpResult<T> = Result<T, BlueXpError>;

impl<E: Into<ApiError>> From<E> for BlueXpError {
    fn from(error: E) -> Self {
        Self(error.into())
    }
}

impl IntoResponse for BlueXpError {
    fn into_response(self) -> Response {
        let error = self.0;
        let message = match &error {
            ApiError::Domain(DomainError::Invalid(fields)) => fields
                .iter()
                .map(|field| format!("{}: {}", field.field, field.reason))
                .collect::<Vec<_>>()
                .join("; "),
            ApiError::Domain(DomainError::Conflict {
                field: Some(field),
                reason,
            }) => format!("{field}: {reason}"),
            _ => error.public_message(),
        };
        (error.status(), Json(ErrorBody { message })).into_response()
    }
}
