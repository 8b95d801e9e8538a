//! A Roster user group as a SCIM Group, and a SCIM Group lowered to the group's name, external id
//! and members.

use std::collections::BTreeSet;

use roster_core::id::UserId;
use roster_core::model::UserGroup;
use roster_core::values::Name;
use roster_core::FieldErrors;
use serde_json::{json, Map, Value};

use super::extract::ScimBase;
use super::resource::{field, text};
use super::response::meta;
use super::schemas::GROUP;

/// The SCIM Group of `group` with these members; its version is the group's revision, which
/// changes with the members too.
pub fn group_resource(group: &UserGroup, members: &[UserId], base: &ScimBase) -> Value {
    let mut resource = Map::new();
    resource.insert("schemas".into(), json!([GROUP]));
    resource.insert("id".into(), json!(group.id));
    if let Some(external) = &group.external_id {
        resource.insert("externalId".into(), json!(external));
    }
    resource.insert("displayName".into(), json!(group.name));
    if !members.is_empty() {
        let members = members.iter().map(
            |id| json!({"value": id, "$ref": base.location("Users", id.as_str()), "type": "User"}),
        );
        resource.insert("members".into(), members.collect());
    }
    let location = base.location("Groups", group.id.as_str());
    resource.insert(
        "meta".into(),
        meta(
            "Group",
            group.created_at,
            group.updated_at,
            location,
            group.revision(members),
        ),
    );
    Value::Object(resource)
}

/// What a Group body says, read from a normalized resource.
#[derive(Debug)]
pub struct GroupWrite {
    pub name: Option<Name>,
    pub external_id: Option<String>,
    /// The member ids as written; ids that are not ours are left out (they can name no user).
    pub members: BTreeSet<UserId>,
}

pub fn lower_group(resource: &Value, errors: &mut FieldErrors) -> GroupWrite {
    let name = match field(resource, "displayName")
        .and_then(text)
        .map(Name::parse)
    {
        Some(Ok(name)) => Some(name),
        _ => {
            errors.body("displayName", "is required and must be a non-blank string");
            None
        }
    };
    let external_id = field(resource, "externalId")
        .and_then(text)
        .map(str::to_owned);
    let members = field(resource, "members")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| field(item, "value").and_then(text))
                .filter_map(|id| UserId::parse(id).ok())
                .collect()
        })
        .unwrap_or_default();
    GroupWrite {
        name,
        external_id,
        members,
    }
}
