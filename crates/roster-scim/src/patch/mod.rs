//! SCIM PATCH (RFC 7644 §3.5.2): reading a PatchOp body and applying its operations to a JSON
//! resource, all of them or none.
//!
//! The operations run in order on a copy of the resource, which replaces the original only if
//! every one succeeds. Required attributes are not checked here: the caller validates the
//! resulting resource as it would a PUT.

mod coerce;
mod elements;
mod request;
mod target;
#[cfg(test)]
mod tests;
mod tidy;
mod write;

use serde_json::Value;

use crate::error::ScimError;
use crate::resource::Object;
use crate::schema::{ResourceSchema, Schema};

pub use request::{PatchOpKind, PatchOperation, PatchRequest, PATCH_OP_SCHEMA};
use target::Target;
use write::Origin;

/// Applies `operations` to `resource` in order, or leaves it untouched and returns the first
/// failure (its detail prefixed with the operation's index).
pub fn apply(
    resource: &mut Value,
    operations: &[PatchOperation],
    schema: &ResourceSchema,
) -> Result<(), ScimError> {
    let mut patched = resource.clone();
    let Value::Object(root) = &mut patched else {
        return Err(ScimError::invalid_value(
            "a SCIM resource must be a JSON object",
        ));
    };
    for (index, operation) in operations.iter().enumerate() {
        apply_operation(root, operation, schema).map_err(|error| ScimError {
            detail: format!("Operations[{index}]: {}", error.detail),
            ..error
        })?;
    }
    tidy::tidy(root, schema);
    *resource = patched;
    Ok(())
}

fn apply_operation(
    root: &mut Object,
    operation: &PatchOperation,
    schema: &ResourceSchema,
) -> Result<(), ScimError> {
    let kind = operation.op;
    let Some(path) = &operation.path else {
        if kind == PatchOpKind::Remove {
            return Err(ScimError::no_target(
                "`remove` needs a path (RFC 7644 §3.5.2.2)",
            ));
        }
        return apply_members(root, kind, object_value(operation)?, None, schema);
    };
    // A path naming a whole extension (`urn:…:enterprise:2.0:User`) addresses its attributes.
    let whole_extension = path
        .value_filter
        .is_none()
        .then(|| schema.extension_named(&path.attribute))
        .flatten();
    if let Some(extension) = whole_extension {
        if kind == PatchOpKind::Remove {
            for attribute in &extension.attributes {
                let target = Target::whole(extension, attribute);
                write::apply(root, kind, &target, None, Origin::ValueMember)?;
            }
            return Ok(());
        }
        return apply_members(
            root,
            kind,
            object_value(operation)?,
            Some(extension),
            schema,
        );
    }
    let target = Target::resolve(path, schema)?;
    write::apply(root, kind, &target, operation.value.as_ref(), Origin::Path)
}

/// Without a path, `value` lists attributes to add or replace, keyed by name: plain, dotted
/// (`name.givenName`), URN-qualified, or an extension URN holding its own object. Each member is
/// applied as if its key were the path, except that read-only members are skipped rather than
/// refused, because clients echo back resources they have read.
fn apply_members(
    root: &mut Object,
    kind: PatchOpKind,
    members: &Object,
    extension: Option<&Schema>,
    schema: &ResourceSchema,
) -> Result<(), ScimError> {
    for (key, value) in members {
        // An extension's object may carry its own `schemas` member (clients copy the extension
        // out of a resource); the resource's `schemas` follows from its data.
        if extension.is_some() && key.eq_ignore_ascii_case("schemas") {
            continue;
        }
        if let Some(nested) = extension.is_none().then(|| schema.extension(key)).flatten() {
            let inner = value.as_object().ok_or_else(|| {
                ScimError::invalid_value(format!(
                    "`{key}` must be an object of extension attributes"
                ))
            })?;
            apply_members(root, kind, inner, Some(nested), schema)?;
            continue;
        }
        let mut path = crate::path::PatchPath::parse(key)?;
        if let (Some(extension), None) = (extension, &path.attribute.uri) {
            path.attribute.uri = Some(extension.id.clone());
        }
        let target = Target::resolve(&path, schema)?;
        write::apply(root, kind, &target, Some(value), Origin::ValueMember)?;
    }
    Ok(())
}

fn object_value(operation: &PatchOperation) -> Result<&Object, ScimError> {
    operation
        .value
        .as_ref()
        .and_then(Value::as_object)
        .ok_or_else(|| {
            ScimError::invalid_value(format!(
                "`{}` without a path needs an object value naming the attributes to change",
                operation.op
            ))
        })
}
