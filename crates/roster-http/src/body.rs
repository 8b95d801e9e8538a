//! Reading a JSON request body: content type checked (415), size capped (413), syntax checked
//! (400), NUL characters refused (400). The result is a raw JSON value, so that a dialect can report every bad field at once
//! instead of stopping at the first, as a derived deserializer would.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use roster_core::FieldErrors;
use serde_json::Value;

use crate::error::ApiError;

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The request's body, if it is syntactically valid JSON. Each dialect wraps this in an extractor
/// that answers failures in its own error body.
pub async fn json_body<S: Send + Sync>(request: Request, state: &S) -> Result<Value, ApiError> {
    if !is_json(request.headers().get(CONTENT_TYPE)) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::MalformedJson(rejection.body_text())
            }
        })?;
    parse_json(&bytes)
}

/// `application/json`, or any `+json` type (`application/scim+json`), with any parameters.
pub fn is_json(content_type: Option<&axum::http::HeaderValue>) -> bool {
    let Some(value) = content_type.and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

pub fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    let value = serde_json::from_slice(bytes)
        .map_err(|error| ApiError::MalformedJson(error.to_string()))?;
    let mut errors = FieldErrors::new();
    find_nul(&value, "", &mut errors);
    errors.into_result()?;
    Ok(value)
}

/// Valid JSON may carry `\u0000`, but no name, email or value in a directory has a NUL in it, and
/// PostgreSQL cannot store one in text (it would fail as an internal error): refused up front, for
/// every dialect, naming each field (`user_custom_fields[0].field_value`) as the readers do.
fn find_nul(value: &Value, at: &str, errors: &mut FieldErrors) {
    let name = |at: &str| {
        if at.is_empty() {
            "body".to_owned()
        } else {
            at.to_owned()
        }
    };
    match value {
        Value::String(text) if text.contains('\0') => {
            errors.body(name(at), "must not contain the NUL character (\\u0000)");
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find_nul(item, &format!("{}[{index}]", name(at)), errors);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                if key.contains('\0') {
                    errors.body(name(at), "field names must not contain the NUL character");
                } else if at.is_empty() {
                    find_nul(item, key, errors);
                } else {
                    find_nul(item, &format!("{at}.{key}"), errors);
                }
            }
        }
        _ => {}
    }
}
