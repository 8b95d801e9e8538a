//! The native (Zluri-style) error body: `{"errors":[{"msg","param","location"}],"code"}`.

use axum::response::{IntoResponse, Response};
use axum::Json;
use roster_core::{DomainError, FieldErrors};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// One problem with the request. `param` and `location` are present when a field is at fault.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorItem {
    /// What is wrong.
    #[schema(example = "must be one of: active, inactive, suspended, unknown")]
    pub msg: String,
    /// The field at fault, as the client named it (`user_custom_fields[0].field_value`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "user_status")]
    pub param: Option<String>,
    /// Where the field was: `body`, `params`, `query` or `headers`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "body")]
    pub location: Option<String>,
}

/// Every error of the native API. A validation error lists every failing field at once.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub errors: Vec<ErrorItem>,
    /// `VALIDATION_ERROR`, `MALFORMED_JSON`, `NOT_FOUND`, `CONFLICT`, `UNAUTHORIZED`, `FORBIDDEN`,
    /// `PRECONDITION_FAILED`, `PAYLOAD_TOO_LARGE`, `UNSUPPORTED_MEDIA_TYPE`, `SERVICE_UNAVAILABLE`,
    /// `INTERNAL_ERROR`.
    #[schema(example = "VALIDATION_ERROR")]
    pub code: String,
}

/// An error answered in the native body.
#[derive(Debug)]
pub struct NativeError(pub ApiError);

impl<E: Into<ApiError>> From<E> for NativeError {
    fn from(error: E) -> Self {
        Self(error.into())
    }
}

impl IntoResponse for NativeError {
    fn into_response(self) -> Response {
        let error = self.0;
        let errors = match &error {
            ApiError::Domain(DomainError::Invalid(fields)) => field_items(fields),
            ApiError::Domain(DomainError::Conflict { field, reason }) => vec![ErrorItem {
                msg: reason.clone(),
                param: field.clone(),
                location: field.as_ref().map(|_| "body".to_owned()),
            }],
            ApiError::Domain(DomainError::PreconditionFailed { .. }) => vec![ErrorItem {
                msg: error.public_message(),
                param: Some("If-Match".to_owned()),
                location: Some("headers".to_owned()),
            }],
            _ => vec![ErrorItem {
                msg: error.public_message(),
                param: None,
                location: None,
            }],
        };
        let body = ErrorBody {
            errors,
            code: error.code().to_owned(),
        };
        (error.status(), Json(body)).into_response()
    }
}

fn field_items(fields: &FieldErrors) -> Vec<ErrorItem> {
    fields
        .iter()
        .map(|error| ErrorItem {
            msg: error.reason.clone(),
            param: Some(error.field.clone()),
            location: Some(error.location.as_str().to_owned()),
        })
        .collect()
}

pub type NativeResult<T> = Result<T, NativeError>;
