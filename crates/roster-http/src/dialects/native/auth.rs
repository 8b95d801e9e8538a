//! Native authentication: the `api-key` header (Zluri's; `api_key` is accepted too).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use roster_core::{Caller, DomainError};

use super::error::NativeError;
use crate::AppState;

/// The caller of a native request, authenticated by its API key.
#[derive(Debug)]
pub struct NativeCaller(pub Caller);

impl FromRequestParts<AppState> for NativeCaller {
    type Rejection = NativeError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let secret = ["api-key", "api_key"]
            .iter()
            .find_map(|name| parts.headers.get(*name))
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .ok_or(DomainError::Unauthenticated(
                "the api-key header is missing",
            ))?;
        Ok(Self(state.directory.authenticate(secret).await?))
    }
}
