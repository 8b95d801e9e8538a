//! Wavefront's request side: the API token (`X-AUTH-TOKEN` or `Authorization: Bearer`), JSON and
//! form bodies, and top-level JSON arrays of ids — each rejection answered in Wavefront's envelope.

use std::collections::HashMap;

use axum::extract::{Form, FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use roster_core::{Caller, DomainError, FieldErrors, Location};
use serde_json::Value;

use super::error::WavefrontError;
use crate::body::json_body;
use crate::error::ApiError;
use crate::AppState;

/// The caller of a Wavefront request. The generated clients send `X-AUTH-TOKEN: KEY` (or, with an
/// `api_key_prefix`, `X-AUTH-TOKEN: Bearer KEY`); the documentation uses `Authorization: Bearer KEY`.
#[derive(Debug)]
pub struct WavefrontCaller(pub Caller);

impl FromRequestParts<AppState> for WavefrontCaller {
    type Rejection = WavefrontError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::trim)
        };
        let without_bearer = |value: &str| {
            let value = value.trim();
            match value.get(..7) {
                Some(scheme) if scheme.eq_ignore_ascii_case("bearer ") => value[7..].trim(),
                _ => value,
            }
            .to_owned()
        };
        let token = header("x-auth-token")
            .map(without_bearer)
            .or_else(|| {
                header("authorization")
                    .filter(|value| value.len() > 7 && value[..7].eq_ignore_ascii_case("bearer "))
                    .map(without_bearer)
            })
            .filter(|token| !token.is_empty())
            .ok_or(DomainError::Unauthenticated(
                "give the API token as X-AUTH-TOKEN or Authorization: Bearer",
            ))?;
        Ok(Self(state.directory.authenticate(&token).await?))
    }
}

/// A JSON body (415 for another content type, 413 over 1 MiB, 400 when malformed).
#[derive(Debug)]
pub struct WavefrontJson(pub Value);

impl<S: Send + Sync> FromRequest<S> for WavefrontJson {
    type Rejection = WavefrontError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(json_body(request, state).await?))
    }
}

/// A form-encoded body (`group=<permission>` of the single-user grant and revoke).
#[derive(Debug)]
pub struct WavefrontForm(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequest<S> for WavefrontForm {
    type Rejection = WavefrontError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Form(fields) = Form::<HashMap<String, String>>::from_request(request, state)
            .await
            .map_err(|rejection| {
                let mut errors = FieldErrors::new();
                errors.body("body", rejection.body_text());
                ApiError::from(errors)
            })?;
        Ok(Self(fields))
    }
}

/// Query parameters; a bad one (`limit=ten`) is a 400 in Wavefront's envelope.
#[derive(Debug)]
pub struct WavefrontQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for WavefrontQuery<T> {
    type Rejection = WavefrontError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(params) =
            Query::<T>::from_request_parts(parts, state)
                .await
                .map_err(|rejection| {
                    let mut errors = FieldErrors::new();
                    errors.push("query", Location::Query, rejection.body_text());
                    ApiError::from(errors)
                })?;
        Ok(Self(params))
    }
}

/// The one path parameter of a route, percent-decoded (clients encode `@` as `%40`).
#[derive(Debug)]
pub struct PathParam(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathParam {
    type Rejection = WavefrontError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(param) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| {
                let mut errors = FieldErrors::new();
                errors.path("id", rejection.body_text());
                ApiError::from(errors)
            })?;
        Ok(Self(param))
    }
}

/// A body that is a JSON array of strings (ids, emails), each parsed; `body[i]` names a bad one.
pub fn string_list<T, E: std::fmt::Display>(
    body: Value,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Vec<T>, WavefrontError> {
    let Value::Array(items) = body else {
        return Err(DomainError::invalid("body", "must be a JSON array of strings").into());
    };
    let mut errors = FieldErrors::new();
    let mut values = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match item.as_str().map(&parse) {
            Some(Ok(value)) => values.push(value),
            Some(Err(reason)) => errors.body(format!("body[{index}]"), reason.to_string()),
            None => errors.body(format!("body[{index}]"), "must be a string"),
        }
    }
    errors.into_result()?;
    Ok(values)
}
