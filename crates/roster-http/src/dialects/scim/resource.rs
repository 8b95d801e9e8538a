//! Reading SCIM JSON the way SCIM names things: attribute names regardless of case.

use roster_scim::{PatchOpKind, PatchOperation, ResourceSchema, ScimError};
use serde_json::{json, Value};

/// The member `name` of an object, matched regardless of case.
pub fn field<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    let object = value.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

pub fn text(value: &Value) -> Option<&str> {
    value.as_str()
}

/// A create or replace body in the schema's canonical names and types: it must be an object
/// listing `core_urn` in `schemas`; `id`, `meta` and other read-only values are dropped (RFC 7644
/// §3.5.1); unknown attributes and values of the wrong type are refused.
pub fn normalized(
    body: &Value,
    schema: &ResourceSchema,
    core_urn: &str,
) -> Result<Value, ScimError> {
    let Some(object) = body.as_object() else {
        return Err(ScimError::invalid_syntax("the body must be a JSON object"));
    };
    let schemas = field(body, "schemas").and_then(Value::as_array);
    if !schemas.is_some_and(|list| list.iter().any(|urn| urn == core_urn)) {
        return Err(ScimError::invalid_syntax(format!(
            "schemas must list {core_urn}"
        )));
    }
    let mut value = object.clone();
    value.retain(|key, _| {
        !["schemas", "id", "meta"]
            .iter()
            .any(|k| key.eq_ignore_ascii_case(k))
    });
    let mut resource = json!({"schemas": [core_urn]});
    let replace = PatchOperation {
        op: PatchOpKind::Replace,
        path: None,
        value: Some(Value::Object(value)),
    };
    roster_scim::patch::apply(&mut resource, &[replace], schema).map_err(|mut error| {
        // The detail names the operation the body was turned into; the client sent a resource.
        error.detail = error
            .detail
            .trim_start_matches("Operations[0]: ")
            .to_owned();
        error
    })?;
    Ok(resource)
}

/// The extension URNs a body writes: those it lists in `schemas` or carries data under.
pub fn extensions_written(body: &Value, schema: &ResourceSchema) -> Vec<String> {
    let listed = field(body, "schemas").and_then(Value::as_array);
    schema
        .extensions
        .iter()
        .map(|extension| extension.id.clone())
        .filter(|urn| {
            field(body, urn).is_some()
                || listed.is_some_and(|list| list.iter().any(|u| u.as_str() == Some(urn)))
        })
        .collect()
}

/// Whether the attribute at `key` (a core name, or `URN:name`) differs between two resources.
pub fn differs(old: &Value, new: &Value, key: &str) -> bool {
    let at = |resource: &'_ Value| -> Option<Value> {
        match key.rsplit_once(':') {
            Some((urn, name)) => field(resource, urn).and_then(|e| field(e, name)).cloned(),
            None => field(resource, key).cloned(),
        }
    };
    at(old) != at(new)
}
