//! The common attributes of RFC 7643 §3.1 (`id`, `externalId`, `meta`) and `schemas`, which every
//! resource carries but schema documents do not list.

use std::sync::LazyLock;

use serde_json::json;

use super::Attribute;

static COMMON: LazyLock<Vec<Attribute>> = LazyLock::new(|| {
    serde_json::from_value(json!([
        {
            "name": "id", "type": "string", "caseExact": true, "mutability": "readOnly",
            "returned": "always", "uniqueness": "server"
        },
        { "name": "externalId", "type": "string", "caseExact": true },
        {
            // The schema URNs of a resource follow from its content (the patch module keeps
            // extension URNs in step), so clients do not write it directly.
            "name": "schemas", "type": "reference", "multiValued": true,
            "mutability": "readOnly", "returned": "always"
        },
        {
            "name": "meta", "type": "complex", "mutability": "readOnly",
            "subAttributes": [
                { "name": "resourceType", "caseExact": true, "mutability": "readOnly" },
                { "name": "created", "type": "dateTime", "mutability": "readOnly" },
                { "name": "lastModified", "type": "dateTime", "mutability": "readOnly" },
                {
                    "name": "location", "type": "reference", "caseExact": true,
                    "mutability": "readOnly", "referenceTypes": ["uri"]
                },
                { "name": "version", "caseExact": true, "mutability": "readOnly" }
            ]
        }
    ]))
    .expect("the built-in common attribute definitions are valid")
});

/// `id`, `externalId`, `schemas` and `meta`, as [`super::ResourceSchema`] resolves them.
pub fn common_attributes() -> &'static [Attribute] {
    &COMMON
}
