//! SCIM's request side: `Authorization: Bearer KEY`, JSON bodies (`application/scim+json` or
//! `application/json`), `If-Match`, and the base URL that `meta.location` and `$ref` are built on.
//! Each rejection is answered in SCIM's error body.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::HOST;
use axum::http::request::Parts;
use roster_core::{Caller, DomainError};
use serde_json::Value;

use super::error::ScimFailure;
use crate::body::json_body;
use crate::etag;
use crate::AppState;

/// The caller of a SCIM request.
#[derive(Debug)]
pub struct ScimCaller(pub Caller);

impl FromRequestParts<AppState> for ScimCaller {
    type Rejection = ScimFailure;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = crate::bearer::bearer_token(&parts.headers).ok_or(
            DomainError::Unauthenticated("give the API key as Authorization: Bearer KEY"),
        )?;
        Ok(Self(state.directory.authenticate(token).await?))
    }
}

/// The caller, when the request carries a valid key. Discovery is public: without a key (or with
/// a wrong one) it answers what every tenant shares, with one the tenant's own custom fields too.
#[derive(Debug)]
pub struct MaybeScimCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeScimCaller {
    type Rejection = ScimFailure;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = crate::bearer::bearer_token(&parts.headers) else {
            return Ok(Self(None));
        };
        match state.directory.authenticate(token).await {
            Ok(caller) => Ok(Self(Some(caller))),
            Err(DomainError::Unauthenticated(_)) => Ok(Self(None)),
            Err(error) => Err(error.into()),
        }
    }
}

/// A JSON body (415 for another content type, 413 over 1 MiB, 400 `invalidSyntax` when malformed).
#[derive(Debug)]
pub struct ScimBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for ScimBody {
    type Rejection = ScimFailure;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(json_body(request, state).await?))
    }
}

/// The SCIM base URL of this request (`http://host/scim/v2`), for `meta.location` and `$ref`.
#[derive(Clone, Debug)]
pub struct ScimBase(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ScimBase {
    type Rejection = ScimFailure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(HOST)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("localhost");
        let scheme = parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("http");
        Ok(Self(format!("{scheme}://{host}{}", super::BASE_PATH)))
    }
}

impl ScimBase {
    pub fn location(&self, resource_type: &str, id: &str) -> String {
        format!("{}/{resource_type}/{id}", self.0)
    }
}

/// The version an `If-Match` header names: `None` without one (or with `*`); a tag that is not
/// ours names a version that never exists, so the write answers 412.
#[derive(Debug)]
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ScimFailure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(etag::if_match(&parts.headers)))
    }
}
