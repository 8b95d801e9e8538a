//! `/Bulk` (RFC 7644 §3.7): many operations in one request, run in order with the same code as
//! the single-resource endpoints. `bulkId:` references in paths and data name resources made
//! earlier in the same request; `failOnErrors` stops after that many errors. Each operation is its
//! own transaction: a failed one writes nothing, earlier ones stay written.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use roster_core::Caller;
use roster_scim::ScimError;
use serde_json::{json, Value};

use super::error::{ScimFailure, ScimResult};
use super::extract::{ScimBase, ScimBody, ScimCaller};
use super::resource::{field, text};
use super::response::scim_json;
use super::{groups, users};
use crate::AppState;

pub const MAX_OPERATIONS: usize = 1000;
pub const MAX_PAYLOAD_BYTES: usize = crate::body::MAX_BODY_BYTES;

const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const BULK_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

/// Run a BulkRequest.
#[utoipa::path(post, path = "/scim/v2/Bulk", tag = "scim",
    request_body(content = Object, description = "A BulkRequest"),
    responses((status = 200, description = "A BulkResponse: one result per operation run", body = Object),
        (status = 400, body = Object), (status = 413, body = Object)),
    security(("bearer" = [])))]
pub async fn bulk(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    base: ScimBase,
    ScimBody(body): ScimBody,
) -> ScimResult<Response> {
    let schemas = field(&body, "schemas").and_then(Value::as_array);
    if !schemas.is_some_and(|list| list.iter().any(|s| s == BULK_REQUEST)) {
        return Err(ScimError::invalid_syntax(format!("schemas must list {BULK_REQUEST}")).into());
    }
    let Some(operations) = field(&body, "Operations").and_then(Value::as_array) else {
        return Err(ScimError::invalid_syntax("Operations must be an array").into());
    };
    if operations.len() > MAX_OPERATIONS {
        return Err(ScimError::new(
            413,
            None,
            format!("at most {MAX_OPERATIONS} operations per request"),
        )
        .into());
    }
    let fail_on_errors = match field(&body, "failOnErrors") {
        None | Some(Value::Null) => usize::MAX,
        Some(value) => match value.as_u64() {
            Some(n) if n > 0 => n as usize,
            _ => {
                return Err(
                    ScimError::invalid_value("failOnErrors must be a positive integer").into(),
                )
            }
        },
    };
    let mut created: HashMap<String, String> = HashMap::new();
    let mut results = Vec::new();
    let mut errors = 0;
    for operation in operations {
        if errors >= fail_on_errors {
            break;
        }
        let method = field(operation, "method")
            .and_then(text)
            .unwrap_or_default()
            .to_uppercase();
        let bulk_id = field(operation, "bulkId").and_then(text).map(str::to_owned);
        let mut result = json!({"method": method});
        if let Some(bulk_id) = &bulk_id {
            result["bulkId"] = json!(bulk_id);
        }
        match run(&state, &caller, &base, operation, &method, &created).await {
            Ok((status, resource)) => {
                result["status"] = json!(status.as_u16().to_string());
                if let Some(resource) = resource {
                    result["location"] = resource["meta"]["location"].clone();
                    result["version"] = resource["meta"]["version"].clone();
                    if let (Some(bulk_id), Some(id)) = (&bulk_id, resource["id"].as_str()) {
                        created.insert(bulk_id.clone(), id.to_owned());
                    }
                }
            }
            Err(ScimFailure(error)) => {
                errors += 1;
                result["status"] = json!(error.status.to_string());
                result["response"] = error.body();
            }
        }
        results.push(result);
    }
    let response = json!({"schemas": [BULK_RESPONSE], "Operations": results});
    Ok(scim_json(StatusCode::OK, &response))
}

/// One operation: its status and, unless it deleted, the resource it made or changed.
async fn run(
    state: &AppState,
    caller: &Caller,
    base: &ScimBase,
    operation: &Value,
    method: &str,
    created: &HashMap<String, String>,
) -> ScimResult<(StatusCode, Option<Value>)> {
    let path = field(operation, "path")
        .and_then(text)
        .ok_or_else(|| ScimError::invalid_syntax("each operation needs a path"))?;
    let path = resolved(&Value::String(path.to_owned()), created)?;
    let data = resolved(field(operation, "data").unwrap_or(&Value::Null), created)?;
    let if_match = field(operation, "version")
        .and_then(text)
        .and_then(crate::etag::version_of_tag);
    let segments: Vec<&str> = path
        .as_str()
        .unwrap_or_default()
        .trim_matches('/')
        .split('/')
        .collect();
    match (method, segments.as_slice()) {
        ("POST", ["Users"]) => Ok((StatusCode::CREATED, Some(users::create(state, caller, base, &data).await?))),
        ("POST", ["Groups"]) => Ok((StatusCode::CREATED, Some(groups::create(state, caller, base, &data).await?))),
        ("PUT", ["Users", id]) => Ok((StatusCode::OK, Some(users::replace(state, caller, base, id, &data, if_match).await?))),
        ("PUT", ["Groups", id]) => Ok((StatusCode::OK, Some(groups::replace(state, caller, base, id, &data, if_match).await?))),
        ("PATCH", ["Users", id]) => Ok((StatusCode::OK, Some(users::patch_one(state, caller, base, id, &data, if_match).await?))),
        ("PATCH", ["Groups", id]) => Ok((StatusCode::OK, Some(groups::patch_one(state, caller, base, id, &data, if_match).await?))),
        ("DELETE", ["Users", id]) => {
            users::delete(state, caller, id, if_match).await?;
            Ok((StatusCode::NO_CONTENT, None))
        }
        ("DELETE", ["Groups", id]) => {
            groups::delete(state, caller, id, if_match).await?;
            Ok((StatusCode::NO_CONTENT, None))
        }
        _ => Err(ScimError::invalid_value(format!(
            "{method} {} is not an operation of /Bulk (POST, PUT, PATCH or DELETE on /Users or /Groups)",
            path.as_str().unwrap_or_default()
        ))
        .into()),
    }
}

/// `value` with every `bulkId:X` reference replaced by the id of the resource X made; a reference
/// to no earlier operation fails the operation.
fn resolved(value: &Value, created: &HashMap<String, String>) -> ScimResult<Value> {
    Ok(match value {
        Value::String(text) => {
            let mut out = text.clone();
            while let Some(start) = out.find("bulkId:") {
                let rest = &out[start + 7..];
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'))
                    .unwrap_or(rest.len());
                let bulk_id = &rest[..end];
                let id = created.get(bulk_id).ok_or_else(|| {
                    ScimError::invalid_value(format!("bulkId:{bulk_id} names no earlier operation"))
                })?;
                out = format!("{}{}{}", &out[..start], id, &rest[end..]);
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| resolved(item, created))
                .collect::<ScimResult<_>>()?,
        ),
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, item) in map {
                out.insert(key.clone(), resolved(item, created)?);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}
