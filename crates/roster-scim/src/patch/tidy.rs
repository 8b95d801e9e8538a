//! Leaves a patched resource in canonical shape.

use serde_json::Value;

use crate::resource::{get, get_mut, is_assigned, Object};
use crate::schema::ResourceSchema;

/// Drops unassigned attributes (RFC 7643 §2.5: null and empty values mean unassigned, and are
/// not returned), then keeps `schemas` listing exactly the extensions the resource has data for,
/// so adding the first enterprise attribute declares the extension and removing the last one
/// withdraws it.
pub(super) fn tidy(root: &mut Object, schema: &ResourceSchema) {
    prune(root);
    let present: Vec<(&str, bool)> = schema
        .extensions
        .iter()
        .map(|extension| (extension.id.as_str(), get(root, &extension.id).is_some()))
        .collect();
    let Some(Value::Array(schemas)) = get_mut(root, "schemas") else {
        return;
    };
    for (urn, present) in present {
        let listed = schemas
            .iter()
            .position(|listed| listed.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn)));
        match (present, listed) {
            (true, None) => schemas.push(Value::from(urn)),
            (false, Some(index)) => {
                schemas.remove(index);
            }
            _ => {}
        }
    }
}

fn prune(members: &mut Object) {
    members.values_mut().for_each(prune_value);
    members.retain(|_, value| is_assigned(value));
}

fn prune_value(value: &mut Value) {
    match value {
        Value::Object(members) => prune(members),
        Value::Array(items) => {
            items.iter_mut().for_each(prune_value);
            items.retain(is_assigned);
        }
        _ => {}
    }
}
