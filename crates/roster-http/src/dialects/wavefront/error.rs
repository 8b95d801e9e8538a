//! Wavefront's envelopes: `ResponseContainer` `{"status":{"result","message","code"},"response"}`
//! for successes that are wrapped, and the same container with `"result":"ERROR"` for every error.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use roster_core::DomainError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// The status of a response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseStatus {
    /// `OK` or `ERROR`.
    #[schema(example = "ERROR")]
    pub result: &'static str,
    /// What went wrong, naming every failing field (`groups[0]: must be one of: …`).
    pub message: String,
    /// The HTTP status code.
    #[schema(example = 400)]
    pub code: u16,
}

/// `ResponseContainer<T>`: the envelope of the user-group and role operations, of `deleteUsers`
/// and `validateUsers`, and of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct Container<T> {
    pub status: ResponseStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<T>,
}

/// A successful answer wrapped in a container.
pub fn contained<T: Serialize>(response: T) -> Json<Container<T>> {
    Json(Container {
        status: ResponseStatus {
            result: "OK",
            message: String::new(),
            code: StatusCode::OK.as_u16(),
        },
        response: Some(response),
    })
}

/// The error body, for the OpenAPI document.
pub type ErrorBody = Container<()>;

/// An error answered in Wavefront's envelope.
#[derive(Debug)]
pub struct WavefrontError(pub ApiError);

pub type WavefrontResult<T> = Result<T, WavefrontError>;

impl<E: Into<ApiError>> From<E> for WavefrontError {
    fn from(error: E) -> Self {
        Self(error.into())
    }
}

impl IntoResponse for WavefrontError {
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
        let status = error.status();
        let body: ErrorBody = Container {
            status: ResponseStatus {
                result: "ERROR",
                message,
                code: status.as_u16(),
            },
            response: None,
        };
        (status, Json(body)).into_response()
    }
}
