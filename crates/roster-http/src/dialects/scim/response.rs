//! SCIM's success responses: `application/scim+json`, with `ETag` = `meta.version` on a resource
//! and `Location` = `meta.location` on a creation.

use axum::http::header::{CONTENT_TYPE, ETAG, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::error::SCIM_JSON;
use super::schemas::LIST_RESPONSE;

/// Any SCIM body.
pub fn scim_json(status: StatusCode, body: &Value) -> Response {
    (status, [(CONTENT_TYPE, SCIM_JSON)], body.to_string()).into_response()
}

/// A resource, with its `ETag`, and its `Location` when it was just created.
pub fn resource(status: StatusCode, body: &Value) -> Response {
    let mut response = scim_json(status, body);
    let headers = response.headers_mut();
    if let Some(version) = body["meta"]["version"].as_str() {
        if let Ok(value) = HeaderValue::from_str(version) {
            headers.insert(ETAG, value);
        }
    }
    if status == StatusCode::CREATED {
        if let Some(location) = body["meta"]["location"].as_str() {
            if let Ok(value) = HeaderValue::from_str(location) {
                headers.insert(LOCATION, value);
            }
        }
    }
    response
}

/// A ListResponse of one page: `total` results in all, this page starting at `start_index` (1-based).
pub fn list(resources: Vec<Value>, total: usize, start_index: usize) -> Value {
    json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// The `meta` of a resource at `version`: SCIM versions are weak ETags (`W/"3"`).
pub fn meta(
    resource_type: &str,
    created: chrono::DateTime<chrono::Utc>,
    modified: chrono::DateTime<chrono::Utc>,
    location: String,
    version: i64,
) -> Value {
    json!({
        "resourceType": resource_type,
        "created": created.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "lastModified": modified.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "location": location,
        "version": format!("W/\"{version}\""),
    })
}
