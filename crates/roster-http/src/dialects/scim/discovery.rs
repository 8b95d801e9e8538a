//! Discovery (RFC 7644 §4): what this service provider supports, its resource types and its
//! schemas. Public metadata: no API key is needed; with one, the tenant's custom fields are
//! published too. Other methods on these paths answer 405 (the
//! router's method fallback).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use roster_core::{Caller, DomainError};
use roster_scim::ScimError;
use serde_json::{json, Value};

use super::bulk::{MAX_OPERATIONS, MAX_PAYLOAD_BYTES};
use super::custom_fields::{custom_attributes, custom_fields_schema, CustomAttribute};
use super::error::ScimResult;
use super::extract::{MaybeScimCaller, ScimBase};
use super::listing::MAX_RESULTS;
use super::response::{list, scim_json};
use super::schemas::{CUSTOM_FIELDS, DOCUMENTS, ENTERPRISE_USER, GROUP, ROSTER_USER, USER};
use crate::AppState;

const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const CONFIG_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

/// What this service provider supports.
#[utoipa::path(get, path = "/scim/v2/ServiceProviderConfig", tag = "scim",
    responses((status = 200, description = "The ServiceProviderConfig (RFC 7643 §5)", body = Object)))]
pub async fn service_provider_config(base: ScimBase) -> Response {
    let config = json!({
        "schemas": [CONFIG_SCHEMA],
        "patch": {"supported": true},
        "bulk": {"supported": true, "maxOperations": MAX_OPERATIONS, "maxPayloadSize": MAX_PAYLOAD_BYTES},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": true},
        "sort": {"supported": true},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "API key",
            "description": "A Roster API key as a bearer token: Authorization: Bearer KEY",
            "primary": true,
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{}/ServiceProviderConfig", base.0),
        },
    });
    scim_json(StatusCode::OK, &config)
}

/// The resource types: User and Group. With a key, User lists the tenant's custom fields
/// extension when it has user custom fields.
#[utoipa::path(get, path = "/scim/v2/ResourceTypes", tag = "scim",
    responses((status = 200, description = "A ListResponse of ResourceTypes", body = Object)))]
pub async fn resource_types(
    State(state): State<AppState>,
    MaybeScimCaller(caller): MaybeScimCaller,
    base: ScimBase,
) -> ScimResult<Response> {
    let custom = tenant_custom_fields(&state, caller.as_ref()).await?;
    let types = all_resource_types(&base, !custom.is_empty());
    let total = types.len();
    Ok(scim_json(StatusCode::OK, &list(types, total, 1)))
}

/// One resource type by id (`User`, `Group`).
#[utoipa::path(get, path = "/scim/v2/ResourceTypes/{id}", tag = "scim",
    params(("id" = String, Path, description = "User or Group")),
    responses((status = 200, body = Object), (status = 404, description = "No such resource type", body = Object)))]
pub async fn resource_type(
    State(state): State<AppState>,
    MaybeScimCaller(caller): MaybeScimCaller,
    base: ScimBase,
    Path(id): Path<String>,
) -> ScimResult<Response> {
    let custom = tenant_custom_fields(&state, caller.as_ref()).await?;
    all_resource_types(&base, !custom.is_empty())
        .into_iter()
        .find(|resource_type| resource_type["id"] == id.as_str())
        .map(|found| scim_json(StatusCode::OK, &found))
        .ok_or_else(|| ScimError::not_found(format!("no resource type {id}")).into())
}

/// The schemas, with every attribute's type, mutability, returnability and uniqueness. With a
/// key, also the tenant's custom fields extension (when it has user custom fields).
#[utoipa::path(get, path = "/scim/v2/Schemas", tag = "scim",
    responses((status = 200, description = "A ListResponse of Schemas", body = Object)))]
pub async fn schemas(
    State(state): State<AppState>,
    MaybeScimCaller(caller): MaybeScimCaller,
    base: ScimBase,
) -> ScimResult<Response> {
    let all = documents(&state, caller.as_ref(), &base).await?;
    let total = all.len();
    Ok(scim_json(StatusCode::OK, &list(all, total, 1)))
}

/// One schema by its URN.
#[utoipa::path(get, path = "/scim/v2/Schemas/{id}", tag = "scim",
    params(("id" = String, Path, description = "The schema's URN")),
    responses((status = 200, body = Object), (status = 404, description = "No such schema", body = Object)))]
pub async fn schema(
    State(state): State<AppState>,
    MaybeScimCaller(caller): MaybeScimCaller,
    base: ScimBase,
    Path(id): Path<String>,
) -> ScimResult<Response> {
    documents(&state, caller.as_ref(), &base)
        .await?
        .into_iter()
        .find(|doc| doc["id"] == id.as_str())
        .map(|doc| scim_json(StatusCode::OK, &doc))
        .ok_or_else(|| ScimError::not_found(format!("no schema {id}")).into())
}

/// The caller's tenant's user custom fields; none without a caller.
async fn tenant_custom_fields(
    state: &AppState,
    caller: Option<&Caller>,
) -> ScimResult<Vec<CustomAttribute>> {
    let Some(caller) = caller else {
        return Ok(Vec::new());
    };
    let fields = state.directory.custom_fields(&caller.reader()).await?;
    Ok(custom_attributes(fields))
}

/// Every published schema document, the tenant's custom fields extension after the others.
async fn documents(
    state: &AppState,
    caller: Option<&Caller>,
    base: &ScimBase,
) -> ScimResult<Vec<Value>> {
    let custom = tenant_custom_fields(state, caller).await?;
    let mut all: Vec<Value> = DOCUMENTS.iter().cloned().collect();
    if let Some(schema) = custom_fields_schema(&custom) {
        all.push(serde_json::to_value(schema).map_err(|e| DomainError::Internal(e.to_string()))?);
    }
    Ok(all.iter().map(|doc| published(doc, base)).collect())
}

fn published(document: &Value, base: &ScimBase) -> Value {
    let mut schema = document.clone();
    let id = schema["id"].as_str().unwrap_or_default().to_owned();
    schema["schemas"] = json!([SCHEMA_SCHEMA]);
    schema["meta"] = json!({
        "resourceType": "Schema",
        "location": format!("{}/Schemas/{id}", base.0),
    });
    schema
}

fn all_resource_types(base: &ScimBase, with_custom_fields: bool) -> Vec<Value> {
    let resource_type = |id: &str, description: &str, schema: &str, extensions: Value| {
        json!({
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": id,
            "name": id,
            "description": description,
            "endpoint": format!("/{id}s"),
            "schema": schema,
            "schemaExtensions": extensions,
            "meta": {
                "resourceType": "ResourceType",
                "location": format!("{}/ResourceTypes/{id}", base.0),
            },
        })
    };
    let mut user_extensions = vec![
        json!({"schema": ENTERPRISE_USER, "required": false}),
        json!({"schema": ROSTER_USER, "required": true}),
    ];
    if with_custom_fields {
        user_extensions.push(json!({"schema": CUSTOM_FIELDS, "required": false}));
    }
    vec![
        resource_type(
            "User",
            "The directory's users",
            USER,
            Value::Array(user_extensions),
        ),
        resource_type("Group", "The directory's user groups", GROUP, json!([])),
    ]
}
