//! SCIM's error body (RFC 7644 §3.12): `{"schemas":[…Error], "status": "400", "scimType", "detail"}`,
//! served as `application/scim+json`. Domain and HTTP errors are translated to the closest SCIM
//! error type, so a client can act on `scimType` whichever layer refused the request.

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use roster_core::{DomainError, FieldErrors};
use roster_scim::ScimError;

use crate::error::ApiError;

/// The media type of every SCIM response.
pub const SCIM_JSON: &str = "application/scim+json";

/// An error answered in SCIM's body.
#[derive(Debug)]
pub struct ScimFailure(pub ScimError);

pub type ScimResult<T> = Result<T, ScimFailure>;

impl From<ScimError> for ScimFailure {
    fn from(error: ScimError) -> Self {
        Self(error)
    }
}

impl From<DomainError> for ScimFailure {
    fn from(error: DomainError) -> Self {
        ApiError::from(error).into()
    }
}

impl From<FieldErrors> for ScimFailure {
    fn from(errors: FieldErrors) -> Self {
        ApiError::from(errors).into()
    }
}

impl From<ApiError> for ScimFailure {
    fn from(error: ApiError) -> Self {
        let status = error.status().as_u16();
        let scim = match &error {
            ApiError::Domain(DomainError::Invalid(fields)) => {
                ScimError::invalid_value(describe(fields))
            }
            ApiError::Domain(DomainError::Conflict {
                field: Some(field),
                reason,
            }) => {
                // A login name is what SCIM calls the userName.
                let field = if field == "login_name" {
                    "userName"
                } else {
                    field
                };
                ScimError::uniqueness(format!("{field}: {reason}"))
            }
            ApiError::MalformedJson(detail) => {
                ScimError::invalid_syntax(format!("the body is not valid JSON: {detail}"))
            }
            _ => ScimError::new(status, None, error.public_message()),
        };
        Self(scim)
    }
}

/// Every failing field, as `field: reason; …`.
pub fn describe(fields: &FieldErrors) -> String {
    fields
        .iter()
        .map(|field| format!("{}: {}", field.field, field.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

impl IntoResponse for ScimFailure {
    fn into_response(self) -> Response {
        let status = axum::http::StatusCode::from_u16(self.0.status)
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [(CONTENT_TYPE, SCIM_JSON)],
            self.0.body().to_string(),
        )
            .into_response()
    }
}
