//! The PATCH rules, one test each, through [`PatchRequest::from_json`] and [`apply`].

use serde_json::{json, Value};

use super::*;
use crate::error::ScimType;
use crate::test_schemas::{bjensen, group_schema, user_schema, CORE_USER, ENTERPRISE};

const BABS: &str = "2819c223-7f76-453a-919d-413861904646";
const MANDY: &str = "902c246b-6245-4190-8e05-00816be7344a";

fn patch(
    resource: &mut Value,
    schema: &ResourceSchema,
    operations: Value,
) -> Result<(), ScimError> {
    let body = json!({"schemas": [PATCH_OP_SCHEMA], "Operations": operations});
    let request = PatchRequest::from_json(&body)?;
    apply(resource, &request.operations, schema)
}

fn patched_user(operations: Value) -> Value {
    let mut user = bjensen();
    patch(&mut user, &user_schema(), operations).unwrap_or_else(|e| panic!("{e}"));
    user
}

/// The error, after checking that the failed patch left the user untouched.
fn user_error(operations: Value) -> ScimError {
    let mut user = bjensen();
    let error = patch(&mut user, &user_schema(), operations).expect_err("patch must fail");
    assert_eq!(user, bjensen(), "a failed patch changes nothing");
    error
}

fn group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
        "displayName": "Tour Guides",
        "members": [
            {"value": BABS, "display": "Babs Jensen", "type": "User"},
            {"value": MANDY, "display": "Mandy Pepperidge", "type": "User"}
        ]
    })
}

fn patched_group(operations: Value) -> Value {
    let mut group = group();
    patch(&mut group, &group_schema(), operations).unwrap_or_else(|e| panic!("{e}"));
    group
}

fn member_ids(group: &Value) -> Vec<&str> {
    group["members"]
        .as_array()
        .map_or_else(Vec::new, |members| {
            members.iter().filter_map(|m| m["value"].as_str()).collect()
        })
}

// RFC 7644 §3.5.2 examples.

#[test]
fn rfc_example_add_members() {
    let mut group = json!({"displayName": "Tour Guides"});
    patch(
        &mut group,
        &group_schema(),
        json!([{
            "op": "add", "path": "members",
            "value": [{
                "display": "Babs Jensen",
                "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
                "value": BABS
            }]
        }]),
    )
    .expect("adds");
    assert_eq!(member_ids(&group), [BABS]);
    assert_eq!(
        group["members"][0]["$ref"],
        format!("https://example.com/v2/Users/{BABS}")
    );
}

#[test]
fn rfc_example_add_without_path() {
    let user = patched_user(json!([{
        "op": "add",
        "value": {"emails": [{"value": "babs@jensen.org", "type": "home"}], "nickName": "Babs"}
    }]));
    assert_eq!(user["nickName"], "Babs");
    assert_eq!(
        user["emails"],
        bjensen()["emails"],
        "the existing home address is not duplicated"
    );
}

#[test]
fn rfc_example_remove_member_by_filter() {
    let group = patched_group(json!([
        {"op": "remove", "path": format!("members[value eq \"{BABS}\"]")}
    ]));
    assert_eq!(member_ids(&group), [MANDY]);
}

#[test]
fn rfc_example_remove_all_members() {
    let group = patched_group(json!([{"op": "remove", "path": "members"}]));
    assert!(group.get("members").is_none());
}

#[test]
fn rfc_example_remove_multiple_members() {
    let group = patched_group(json!([
        {"op": "remove", "path": format!("members[value eq \"{BABS}\"]")},
        {"op": "remove", "path": format!("members[value eq \"{MANDY}\"]")}
    ]));
    assert!(
        group.get("members").is_none(),
        "an emptied attribute is unassigned"
    );
}

#[test]
fn rfc_example_replace_members() {
    let group = patched_group(json!([
        {"op": "remove", "path": "members"},
        {"op": "add", "path": "members", "value": [
            {"display": "Babs Jensen", "value": BABS},
            {"display": "James Smith", "value": "08e1d05d-121c-4561-8b96-473d93df9210"}
        ]}
    ]));
    assert_eq!(
        member_ids(&group),
        [BABS, "08e1d05d-121c-4561-8b96-473d93df9210"]
    );
    let replaced = patched_group(json!([
        {"op": "replace", "path": "members", "value": [{"display": "James Smith", "value": "08e1"}]}
    ]));
    assert_eq!(member_ids(&replaced), ["08e1"]);
}

#[test]
fn rfc_example_replace_filtered_sub_attribute() {
    let user = patched_user(json!([
        {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "barbara@example.com"}
    ]));
    assert_eq!(
        user["emails"][0],
        json!({"value": "barbara@example.com", "type": "work", "primary": true})
    );
    assert_eq!(user["emails"][1], bjensen()["emails"][1]);
}

#[test]
fn rfc_example_replace_filtered_values_whole() {
    let user = patched_user(json!([{
        "op": "replace", "path": "emails[type eq \"work\"]",
        "value": {"value": "barbara@example.com", "type": "work"}
    }]));
    assert_eq!(
        user["emails"][0],
        json!({"value": "barbara@example.com", "type": "work"})
    );
}

#[test]
fn rfc_example_replace_without_path() {
    let user = patched_user(json!([{
        "op": "replace",
        "value": {
            "emails": [
                {"value": "bjensen@example.com", "type": "work", "primary": true},
                {"value": "babs@jensen.org", "type": "home"}
            ],
            "nickName": "Babs"
        }
    }]));
    assert_eq!(user["nickName"], "Babs");
    assert_eq!(user["emails"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        user["userName"], "bjensen@example.com",
        "unnamed attributes are untouched"
    );
}

// Add.

#[test]
fn patch_add_multi_valued_appends_without_duplicates() {
    let group = patched_group(json!([{"op": "add", "path": "members", "value": [
        {"value": BABS}, {"value": "08e1"}
    ]}]));
    assert_eq!(member_ids(&group), [BABS, MANDY, "08e1"]);
    assert_eq!(group["members"][0]["display"], "Babs Jensen");
}

#[test]
fn patch_add_lone_value_to_multi_valued_attribute() {
    let group =
        patched_group(json!([{"op": "add", "path": "members", "value": {"value": "08e1"}}]));
    assert_eq!(member_ids(&group), [BABS, MANDY, "08e1"]);
}

#[test]
fn patch_add_complex_merges_sub_attributes() {
    let user = patched_user(json!([{"op": "add", "path": "name", "value": {"givenName": "Babs"}}]));
    assert_eq!(user["name"]["givenName"], "Babs");
    assert_eq!(user["name"]["familyName"], "Jensen");
}

#[test]
fn patch_add_simple_replaces_value() {
    let user = patched_user(json!([{"op": "add", "path": "title", "value": "Chief"}]));
    assert_eq!(user["title"], "Chief");
}

#[test]
fn patch_add_sub_attribute_path() {
    let user =
        patched_user(json!([{"op": "add", "path": "name.familyName", "value": "Jensen-Smith"}]));
    assert_eq!(user["name"]["familyName"], "Jensen-Smith");
    assert_eq!(user["name"]["givenName"], "Barbara");
}

#[test]
fn patch_add_with_unmatched_eq_filter_creates_element() {
    let mut user = json!({"userName": "new"});
    patch(
        &mut user,
        &user_schema(),
        json!([
            {"op": "add", "path": "emails[type eq \"work\"].value", "value": "new@example.com"}
        ]),
    )
    .expect("creates the work address");
    assert_eq!(
        user["emails"],
        json!([{"type": "work", "value": "new@example.com"}])
    );
}

#[test]
fn patch_add_with_unmatched_non_eq_filter_is_no_target() {
    let error = user_error(json!([
        {"op": "add", "path": "ims[type eq \"xmpp\" or type eq \"icq\"].value", "value": "x"}
    ]));
    assert_eq!(error.scim_type, Some(ScimType::NoTarget));
}

#[test]
fn patch_add_with_matched_filter_merges_into_matches() {
    let user = patched_user(json!([
        {"op": "add", "path": "emails[type eq \"home\"]", "value": {"display": "Home"}}
    ]));
    assert_eq!(
        user["emails"][1],
        json!({"value": "babs@jensen.org", "type": "home", "display": "Home"})
    );
}

// Replace.

#[test]
fn patch_replace_complex_merges_sub_attributes() {
    let user =
        patched_user(json!([{"op": "replace", "path": "name", "value": {"familyName": "Smith"}}]));
    assert_eq!(user["name"]["familyName"], "Smith");
    assert_eq!(user["name"]["givenName"], "Barbara");
}

#[test]
fn patch_replace_multi_valued_without_filter_replaces_all() {
    let user = patched_user(json!([
        {"op": "replace", "path": "emails", "value": [{"value": "only@example.com"}]}
    ]));
    assert_eq!(user["emails"], json!([{"value": "only@example.com"}]));
}

#[test]
fn patch_replace_with_unmatched_eq_filter_creates_element() {
    // Microsoft Entra ID sets a first work address this way.
    let mut user = json!({"userName": "new"});
    patch(
        &mut user,
        &user_schema(),
        json!([
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "new@example.com"}
        ]),
    )
    .expect("creates the work address");
    assert_eq!(
        user["emails"],
        json!([{"type": "work", "value": "new@example.com"}])
    );
}

#[test]
fn patch_replace_with_unmatched_non_eq_filter_is_no_target() {
    let error = user_error(json!([
        {"op": "replace", "path": "emails[value co \"nowhere\"].type", "value": "other"}
    ]));
    assert_eq!(error.scim_type, Some(ScimType::NoTarget));
}

#[test]
fn patch_replace_absent_attribute_adds_it() {
    let user = patched_user(
        json!([{"op": "replace", "path": "name.formatted", "value": null},
                                   {"op": "replace", "path": "userType", "value": "Intern"}]),
    );
    assert_eq!(user["userType"], "Intern");
    assert!(user["name"].get("formatted").is_none());
}

#[test]
fn patch_null_value_clears_attribute() {
    let user = patched_user(json!([{"op": "replace", "value": {"title": null}}]));
    assert!(user.get("title").is_none());
}

// Remove.

#[test]
fn patch_remove_without_path_is_no_target() {
    let error = user_error(json!([{"op": "remove", "value": {"title": "Tour Guide"}}]));
    assert_eq!(error.scim_type, Some(ScimType::NoTarget));
}

#[test]
fn patch_remove_attribute() {
    let user = patched_user(json!([{"op": "remove", "path": "title"}]));
    assert!(user.get("title").is_none());
}

#[test]
fn patch_remove_sub_attribute() {
    let user = patched_user(json!([{"op": "remove", "path": "name.formatted"}]));
    assert_eq!(
        user["name"],
        json!({"familyName": "Jensen", "givenName": "Barbara"})
    );
}

#[test]
fn patch_remove_sub_attribute_of_filtered_values() {
    let user = patched_user(json!([{"op": "remove", "path": "emails[type eq \"work\"].primary"}]));
    assert_eq!(
        user["emails"][0],
        json!({"value": "bjensen@example.com", "type": "work"})
    );
}

#[test]
fn patch_remove_with_unmatched_filter_changes_nothing() {
    let group = patched_group(json!([{"op": "remove", "path": "members[value eq \"gone\"]"}]));
    assert_eq!(group, super::tests::group());
}

#[test]
fn patch_remove_listed_members_entra_style() {
    let group = patched_group(json!([
        {"op": "Remove", "path": "members", "value": [{"value": BABS}]}
    ]));
    assert_eq!(member_ids(&group), [MANDY]);
}

#[test]
fn patch_remove_absent_attribute_changes_nothing() {
    let mut user = json!({"userName": "a"});
    patch(
        &mut user,
        &user_schema(),
        json!([{"op": "remove", "path": "title"}]),
    )
    .expect("no-op");
    assert_eq!(user, json!({"userName": "a"}));
}

// Primary.

#[test]
fn patch_primary_true_clears_other_primaries() {
    let user = patched_user(json!([{"op": "add", "path": "emails", "value": [
        {"value": "new@example.com", "type": "other", "primary": true}
    ]}]));
    assert_eq!(user["emails"][0]["primary"], false);
    assert_eq!(user["emails"][2]["primary"], true);
}

#[test]
fn patch_primary_set_through_filter_clears_others() {
    let user = patched_user(json!([
        {"op": "replace", "path": "emails[type eq \"home\"].primary", "value": true}
    ]));
    assert_eq!(user["emails"][0]["primary"], false);
    assert_eq!(user["emails"][1]["primary"], true);
}

#[test]
fn patch_adding_existing_value_merges_its_new_members() {
    let user = patched_user(json!([{"op": "add", "path": "emails", "value": [
        {"value": "BABS@jensen.org", "type": "home", "primary": true}
    ]}]));
    assert_eq!(user["emails"].as_array().map(Vec::len), Some(2));
    assert_eq!(user["emails"][1]["primary"], true);
    assert_eq!(user["emails"][0]["primary"], false);
}

// Mutability.

#[test]
fn patch_read_only_path_is_mutability_error() {
    for path in [
        "id",
        "meta.created",
        "groups",
        "schemas",
        &format!("{ENTERPRISE}:manager.displayName"),
    ] {
        let error = user_error(json!([{"op": "replace", "path": path, "value": "x"}]));
        assert_eq!(error.scim_type, Some(ScimType::Mutability), "{path}");
    }
}

#[test]
fn patch_read_only_members_of_value_object_are_ignored() {
    let user = patched_user(json!([{"op": "replace", "value": {
        "id": "other", "meta": {"version": "W/\"1\""}, "groups": [], "schemas": [],
        "displayName": "Babs"
    }}]));
    let mut expected = bjensen();
    expected["displayName"] = json!("Babs");
    assert_eq!(user, expected);
}

#[test]
fn patch_read_only_sub_attributes_in_values_are_ignored() {
    let user = patched_user(
        json!([{"op": "replace", "path": format!("{ENTERPRISE}:manager"),
        "value": {"value": "boss", "displayName": "Echoed Name"}}]),
    );
    assert_eq!(
        user[ENTERPRISE]["manager"],
        json!({"value": "boss", "displayName": "John"})
    );
}

#[test]
fn patch_immutable_attribute_may_be_added_when_absent() {
    let user = patched_user(json!([{"op": "add", "path": "nickName", "value": "Babs"}]));
    assert_eq!(user["nickName"], "Babs");
}

#[test]
fn patch_immutable_attribute_cannot_change() {
    let mut user = bjensen();
    user["nickName"] = json!("Babs");
    let schema = user_schema();
    let same = json!([{"op": "replace", "path": "nickName", "value": "babs"}]);
    patch(&mut user, &schema, same).expect("rewriting the same value is no change");
    for operation in [
        json!({"op": "replace", "path": "nickName", "value": "Barb"}),
        json!({"op": "remove", "path": "nickName"}),
    ] {
        let error = patch(&mut user, &schema, json!([operation])).expect_err("immutable");
        assert_eq!(error.scim_type, Some(ScimType::Mutability));
    }
}

#[test]
fn patch_immutable_sub_attribute_cannot_change() {
    let mut group = group();
    let error = patch(&mut group, &group_schema(), json!([
        {"op": "replace", "path": format!("members[value eq \"{BABS}\"].value"), "value": "other"}
    ]))
    .expect_err("member ids are immutable");
    assert_eq!(error.scim_type, Some(ScimType::Mutability));
}

// Values.

#[test]
fn patch_coerces_boolean_strings() {
    let user = patched_user(json!([{"op": "Replace", "path": "active", "value": "False"}]));
    assert_eq!(user["active"], false);
    let user = patched_user(json!([{"op": "replace", "value": {"active": "True"}}]));
    assert_eq!(user["active"], true);
}

#[test]
fn patch_coerces_numeric_strings() {
    let user =
        patched_user(json!([{"op": "replace", "value": {"loginCount": "13", "score": "2.5"}}]));
    assert_eq!(
        (user["loginCount"].clone(), user["score"].clone()),
        (json!(13), json!(2.5))
    );
}

#[test]
fn patch_type_mismatch_is_invalid_value_naming_attribute() {
    for (path, value) in [
        ("active", json!("maybe")),
        ("userName", json!(12)),
        ("hireDate", json!("soon")),
        ("loginCount", json!(1.5)),
        ("title", json!(["a"])),
        ("name", json!([1])),
    ] {
        let error = user_error(json!([{"op": "replace", "path": path, "value": value}]));
        assert_eq!(error.scim_type, Some(ScimType::InvalidValue), "{path}");
        assert!(error.detail.contains(path), "{}", error.detail);
    }
}

#[test]
fn patch_add_without_value_is_invalid_value() {
    let error = user_error(json!([{"op": "add", "path": "title"}]));
    assert_eq!(error.scim_type, Some(ScimType::InvalidValue));
    let error = user_error(json!([{"op": "replace", "value": "not an object"}]));
    assert_eq!(error.scim_type, Some(ScimType::InvalidValue));
}

#[test]
fn patch_unknown_attribute_is_invalid_path() {
    for operation in [
        json!({"op": "add", "path": "favoriteColor", "value": "blue"}),
        json!({"op": "add", "path": "name.middle", "value": "J"}),
        json!({"op": "add", "value": {"favoriteColor": "blue"}}),
        json!({"op": "add", "path": "emails", "value": [{"value": "a@b", "label": "x"}]}),
        json!({"op": "add", "path": "title[value eq \"x\"]", "value": "y"}),
    ] {
        let error = user_error(json!([operation]));
        assert_eq!(error.scim_type, Some(ScimType::InvalidPath), "{operation}");
    }
}

#[test]
fn patch_keys_are_case_insensitive_and_canonicalised() {
    let user = patched_user(json!([{"op": "replace", "value": {
        "DISPLAYNAME": "Babs", "Name": {"GivenName": "Barb"}
    }}]));
    assert_eq!(user["displayName"], "Babs");
    assert_eq!(user["name"]["givenName"], "Barb");
    assert!(user.get("DISPLAYNAME").is_none() && user["name"].get("GivenName").is_none());
}

#[test]
fn patch_value_object_accepts_dotted_and_urn_qualified_keys() {
    let user = patched_user(json!([{"op": "replace", "value": {
        "name.givenName": "Barb",
        format!("{CORE_USER}:title"): "Chief",
        format!("{ENTERPRISE}:department"): "Sales"
    }}]));
    assert_eq!(user["name"]["givenName"], "Barb");
    assert_eq!(user["title"], "Chief");
    assert_eq!(user[ENTERPRISE]["department"], "Sales");
    assert_eq!(user[ENTERPRISE]["employeeNumber"], "701984");
}

#[test]
fn patch_extension_object_value_merges() {
    let user = patched_user(json!([{"op": "add", "value": {ENTERPRISE: {"department": "Sales"}}}]));
    assert_eq!(user[ENTERPRISE]["department"], "Sales");
    assert_eq!(user[ENTERPRISE]["employeeNumber"], "701984");
}

#[test]
fn patch_manager_as_bare_id_sets_its_value() {
    let mut user = json!({"schemas": [CORE_USER], "userName": "a"});
    patch(
        &mut user,
        &user_schema(),
        json!([
            {"op": "Add", "path": format!("{ENTERPRISE}:manager"), "value": "26118915"}
        ]),
    )
    .expect("Entra-style manager");
    assert_eq!(user[ENTERPRISE]["manager"], json!({"value": "26118915"}));
}

#[test]
fn patch_first_extension_attribute_declares_extension_in_schemas() {
    let mut user = json!({"schemas": [CORE_USER], "userName": "a"});
    patch(
        &mut user,
        &user_schema(),
        json!([
            {"op": "add", "path": format!("{ENTERPRISE}:employeeNumber"), "value": "42"}
        ]),
    )
    .expect("adds");
    assert_eq!(user["schemas"], json!([CORE_USER, ENTERPRISE]));
}

#[test]
fn patch_removing_last_extension_attribute_withdraws_extension() {
    let user = patched_user(json!([{"op": "remove", "path": ENTERPRISE}]));
    assert!(user.get(ENTERPRISE).is_none());
    assert_eq!(user["schemas"], json!([CORE_USER]));
}

#[test]
fn patch_whole_extension_path_replaces_its_attributes() {
    let user = patched_user(
        json!([{"op": "replace", "path": ENTERPRISE, "value": {"department": "R&D"}}]),
    );
    assert_eq!(user[ENTERPRISE]["department"], "R&D");
    assert_eq!(user[ENTERPRISE]["employeeNumber"], "701984");
}

// Atomicity.

#[test]
fn patch_is_all_or_nothing() {
    let error = user_error(json!([
        {"op": "replace", "path": "title", "value": "Chief"},
        {"op": "replace", "path": "id", "value": "x"}
    ]));
    assert!(
        error.detail.starts_with("Operations[1]"),
        "{}",
        error.detail
    );
}
