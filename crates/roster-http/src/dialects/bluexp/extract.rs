//! BlueXP's request side: `Authorization: Bearer KEY` (an `x-agent-id` header is accepted and
//! ignored), JSON bodies and path ids, each rejection answered in BlueXP's error body.

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use roster_core::{Caller, DomainError, FieldErrors};
use serde_json::Value;

use super::error::BlueXpError;
use crate::body::json_body;
use crate::error::ApiError;
use crate::AppState;

/// The caller of a BlueXP request.
#[derive(Debug)]
pub struct BlueXpCaller(pub Caller);

impl FromRequestParts<AppState> for BlueXpCaller {
    type Rejection = BlueXpError;

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

/// A JSON body (415 for another content type, 413 over 1 MiB, 400 when malformed).
#[derive(Debug)]
pub struct BlueXpJson(pub Value);

impl<S: Send + Sync> FromRequest<S> for BlueXpJson {
    type Rejection = BlueXpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(json_body(request, state).await?))
    }
}

/// The `userId` of a route: a user's `publicId`.
#[derive(Debug)]
pub struct UserPath(pub roster_core::id::UserId);

impl<S: Send + Sync> FromRequestParts<S> for UserPath {
    type Rejection = BlueXpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let mut errors = FieldErrors::new();
        let Path(text) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| {
                errors.path("userId", rejection.body_text());
                ApiError::from(errors.clone())
            })?;
        let id = roster_core::id::UserId::parse(&text).map_err(|reason| {
            errors.path("userId", reason);
            ApiError::from(errors)
        })?;
        Ok(Self(id))
    }
}
