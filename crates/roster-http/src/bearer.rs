//! `Authorization: Bearer KEY`, as BlueXP and SCIM clients send their API key.

use axum::http::HeaderMap;

/// The token of an `Authorization: Bearer …` header (scheme matched regardless of case), if any.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| value.len() > 7 && value[..7].eq_ignore_ascii_case("bearer "))
        .map(|value| value[7..].trim())
        .filter(|token| !token.is_empty())
}
