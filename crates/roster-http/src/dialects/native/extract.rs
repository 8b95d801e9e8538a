//! The shared extractors, answering their rejections in the native error body.

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use roster_core::FieldErrors;
use serde_json::Value;

use super::error::NativeError;
use crate::body::json_body;

/// A JSON request body (415 for another content type, 413 over 1 MiB, 400 when malformed).
#[derive(Debug)]
pub struct NativeJson(pub Value);

impl<S: Send + Sync> FromRequest<S> for NativeJson {
    type Rejection = NativeError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(json_body(request, state).await?))
    }
}

/// The one path parameter of a route, as text; each handler parses it into its id type so that a
/// bad id is reported with the other failing fields.
#[derive(Debug)]
pub struct PathId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = NativeError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(path_rejection)?;
        Ok(Self(id))
    }
}

/// Parses a path id, recording the failure under the parameter's documented name.
pub fn parse_path_id<T>(
    text: &str,
    parameter: &str,
    parse: impl FnOnce(&str) -> Result<T, &'static str>,
    errors: &mut FieldErrors,
) -> Option<T> {
    parse(text)
        .map_err(|reason| errors.path(parameter, reason))
        .ok()
}

/// A path id on its own: the id, or a 400 naming the parameter.
pub fn path_id<T>(
    text: &str,
    parameter: &str,
    parse: impl FnOnce(&str) -> Result<T, &'static str>,
) -> Result<T, NativeError> {
    let mut errors = FieldErrors::new();
    parse_path_id(text, parameter, parse, &mut errors).ok_or_else(|| errors.into())
}

/// The two path parameters of a nested route (`/v2/application/{appId}/user/{userId}`), as text.
#[derive(Debug)]
pub struct PathIds(pub String, pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathIds {
    type Rejection = NativeError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path((first, second)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(path_rejection)?;
        Ok(Self(first, second))
    }
}

/// A path that cannot be read at all (not valid UTF-8 once decoded, say).
fn path_rejection(rejection: axum::extract::rejection::PathRejection) -> NativeError {
    let mut errors = FieldErrors::new();
    errors.path("id", rejection.body_text());
    NativeError::from(errors)
}
