//! The schemas Roster publishes at `/Schemas` (JSON documents beside this file), parsed once. The
//! same documents drive PATCH, filters and projection, so what is published is what is enforced.

use std::sync::LazyLock;

use roster_core::values::{AccountType, OptimizationInclusion, Permission};
use roster_scim::{ResourceSchema, Schema};

use super::custom_fields::{custom_fields_schema, CustomAttribute};
use serde_json::Value;

pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const ROSTER_USER: &str = "urn:roster:params:scim:schemas:extension:roster:2.0:User";
/// The tenant's user custom fields (see [`super::custom_fields`]).
pub const CUSTOM_FIELDS: &str = "urn:roster:params:scim:schemas:extension:roster:2.0:CustomFields";
pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const SEARCH_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// The published schema documents, in the order `/Schemas` lists them.
pub static DOCUMENTS: LazyLock<Vec<Value>> = LazyLock::new(|| {
    [
        include_str!("discovery/user.json"),
        include_str!("discovery/enterprise_user.json"),
        include_str!("discovery/roster_user.json"),
        include_str!("discovery/group.json"),
    ]
    .iter()
    .map(|text| {
        let mut document =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("a schema document: {e}"));
        with_domain_values(&mut document);
        document
    })
    .collect()
});

/// The canonical values the domain owns are filled in from it, so that the published schema
/// cannot drift from what the directory accepts.
fn with_domain_values(document: &mut Value) {
    fn names<T: ToString>(all: &[T]) -> Value {
        Value::from(all.iter().map(ToString::to_string).collect::<Vec<_>>())
    }
    let filled = [
        ("userType", names(AccountType::ALL)),
        ("entitlements.value", names(Permission::ALL)),
        ("optimizationInclusion", names(OptimizationInclusion::ALL)),
    ];
    let Some(attributes) = document["attributes"].as_array_mut() else {
        return;
    };
    for (path, values) in filled {
        let (name, sub) = path
            .split_once('.')
            .map_or((path, None), |(a, b)| (a, Some(b)));
        for attribute in attributes.iter_mut().filter(|a| a["name"] == name) {
            let target = match sub {
                None => Some(attribute),
                Some(sub) => attribute["subAttributes"]
                    .as_array_mut()
                    .and_then(|subs| subs.iter_mut().find(|a| a["name"] == sub)),
            };
            if let Some(target) = target {
                target["canonicalValues"] = values.clone();
            }
        }
    }
}

pub static USERS: LazyLock<ResourceSchema> = LazyLock::new(|| {
    ResourceSchema::new(
        parsed(USER),
        vec![parsed(ENTERPRISE_USER), parsed(ROSTER_USER)],
    )
});

/// The User resource of a tenant: [`USERS`], with the tenant's custom fields when it has any.
pub fn user_schema(custom: &[CustomAttribute]) -> ResourceSchema {
    let mut schema = USERS.clone();
    schema.extensions.extend(custom_fields_schema(custom));
    schema
}

pub static GROUPS: LazyLock<ResourceSchema> =
    LazyLock::new(|| ResourceSchema::new(parsed(GROUP), Vec::new()));

fn parsed(id: &str) -> Schema {
    let document = DOCUMENTS
        .iter()
        .find(|document| document["id"] == id)
        .unwrap_or_else(|| panic!("no schema document {id}"));
    serde_json::from_value(document.clone()).unwrap_or_else(|e| panic!("schema {id}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_published_schema_parses() {
        assert_eq!(USERS.extensions.len(), 2);
        let entitlements = USERS.core.attribute("entitlements").expect("entitlements");
        let value = entitlements.sub_attribute("value").expect("value");
        assert_eq!(value.canonical_values.len(), Permission::ALL.len());
        assert!(GROUPS.core.attribute("members").is_some());
    }
}
