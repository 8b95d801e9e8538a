//! SCIM writes of what Roster keeps beyond the core profile: roles by name, the tenant's custom
//! fields as typed extension attributes, and the tags that make writes conditional (a group's
//! covers its members; `If-Match` on DELETE).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::scim::{create_user, patch, scim, user_names, GROUP, PATCH_OP, USER};
use crate::support::{read, TestApp};

const CUSTOM: &str = "urn:roster:params:scim:schemas:extension:roster:2.0:CustomFields";

fn id(resource: &Value) -> &str {
    resource["id"].as_str().expect("id")
}

/// The names of the roles the native API shows the user holding directly.
async fn native_role_names(app: &TestApp, user: &str) -> Vec<String> {
    let (_, native) = app.get(&format!("/v2/user/{user}")).await;
    let mut names = Vec::new();
    for role in native["user_role_ids"].as_array().expect("user_role_ids") {
        let (_, role) = app
            .get(&format!("/v2/role/{}", role.as_str().expect("id")))
            .await;
        names.push(role["role_name"].as_str().expect("role_name").to_owned());
    }
    names.sort();
    names
}

/// The tenant's custom fields of the test: a select, a bool and a date field.
async fn custom_fields(app: &TestApp) -> (String, String, String) {
    let location = app
        .custom_field("Location", "select", &["India", "France"])
        .await;
    let remote = app.custom_field("Remote", "bool", &[]).await;
    let start = app.custom_field("Start date", "date", &[]).await;
    (location, remote, start)
}

on_both_backends! {
    async fn roles_are_written_by_name_and_a_missing_role_is_made_without_permissions(app) {
        let (status, editor) = app.post("/v2/add-role",
            json!({"role_name": "Editor", "permissions": ["dashboard_management"]})).await;
        assert_eq!(status, StatusCode::CREATED, "{editor}");
        let user = create_user(&app, "ada@example.com",
            json!({"roles": [{"value": "editor"}, {"value": "Auditor"}]})).await;
        assert_eq!(user["roles"], json!([{"value": "Auditor"}, {"value": "Editor"}]), "{user}");
        assert_eq!(native_role_names(&app, id(&user)).await, ["Auditor", "Editor"],
            "the existing role matched regardless of case; the missing one was made");
        let (_, page) = app.post("/v2/roles", json!({"search_query": "Auditor"})).await;
        assert!(page.to_string().contains("\"permissions\":[]"), "made without permissions: {page}");
        let path = format!("/Users/{}", id(&user));
        let (status, patched) = patch(&app, &path,
            json!([{"op": "replace", "path": "roles", "value": [{"value": "Editor"}]}])).await;
        assert_eq!(status, StatusCode::OK, "{patched}");
        assert_eq!(native_role_names(&app, id(&user)).await, ["Editor"]);
        let (status, patched) = patch(&app, &path, json!([{"op": "remove", "path": "roles"}])).await;
        assert_eq!(status, StatusCode::OK, "{patched}");
        assert!(patched.get("roles").is_none(), "{patched}");
        assert!(native_role_names(&app, id(&user)).await.is_empty());
        let (status, error) = patch(&app, &path,
            json!([{"op": "add", "path": "roles", "value": [{"value": "  "}]}])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
        assert!(error["detail"].as_str().expect("detail").contains("roles[0].value"), "{error}");
    }

    async fn custom_fields_are_published_to_their_tenant_as_typed_attributes(app) {
        custom_fields(&app).await;
        let (_, schema, _) = scim(&app, Method::GET, &format!("/Schemas/{CUSTOM}"), None, None).await;
        let attribute = |name: &str| schema["attributes"].as_array().expect("attributes").iter()
            .find(|a| a["name"] == name).unwrap_or_else(|| panic!("{name} in {schema}")).clone();
        assert_eq!(attribute("location")["canonicalValues"], json!(["India", "France"]));
        assert_eq!(attribute("location")["mutability"], "readWrite");
        assert_eq!(attribute("remote")["type"], "boolean");
        assert_eq!(attribute("startDate")["mutability"], "readOnly");
        let (_, types, _) = scim(&app, Method::GET, "/ResourceTypes/User", None, None).await;
        assert!(types["schemaExtensions"].to_string().contains(CUSTOM), "{types}");
        let (status, _) = read(app.anonymous(Method::GET, &format!("/scim/v2/Schemas/{CUSTOM}"))
            .send().await.expect("send")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "without a key no tenant's fields are published");
        let (status, theirs) = read(app.anonymous(Method::GET, "/scim/v2/ResourceTypes/User")
            .header("Authorization", format!("Bearer {}", app.other_key)).send().await.expect("send")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!theirs.to_string().contains(CUSTOM), "another tenant has no custom fields: {theirs}");
    }

    async fn custom_field_values_are_written_checked_and_filtered_like_any_attribute(app) {
        let (location, remote, start) = custom_fields(&app).await;
        let user = create_user(&app, "ada@example.com", json!({
            "schemas": [USER, CUSTOM], CUSTOM: {"location": "France", "remote": true}})).await;
        assert_eq!(user[CUSTOM], json!({"location": "France", "remote": true}), "{user}");
        let (_, native) = app.get(&format!("/v2/user/{}", id(&user))).await;
        let values = native["user_custom_fields"].to_string();
        assert!(values.contains(&location) && values.contains("France") && values.contains(&remote), "{native}");
        let path = format!("/Users/{}", id(&user));
        let (status, patched) = patch(&app, &path,
            json!([{"op": "replace", "path": format!("{CUSTOM}:location"), "value": "India"}])).await;
        assert_eq!(status, StatusCode::OK, "{patched}");
        assert_eq!(patched[CUSTOM]["location"], "India");
        assert_eq!(user_names(&app, &format!(r#"{CUSTOM}:location eq "India""#)).await, ["ada@example.com"]);
        assert!(user_names(&app, &format!(r#"{CUSTOM}:location eq "France""#)).await.is_empty());
        // An option the field lacks: 400 naming the attribute, and nothing written.
        let (status, error) = patch(&app, &path, json!([
            {"op": "replace", "path": "title", "value": "Countess"},
            {"op": "replace", "path": format!("{CUSTOM}:location"), "value": "Mars"}])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
        assert!(error["detail"].as_str().expect("detail").contains("location"), "{error}");
        let (_, again, _) = scim(&app, Method::GET, &path, None, None).await;
        assert_eq!(again[CUSTOM]["location"], "India");
        assert!(again.get("title").is_none(), "{again}");
        // A date field is read-only over SCIM; one set through the native API reads back.
        let (status, error) = patch(&app, &path,
            json!([{"op": "add", "path": format!("{CUSTOM}:startDate"), "value": "2024-01-02"}])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
        assert_eq!(error["scimType"], "mutability");
        let (status, body) = app.patch(&format!("/v2/user/{}", id(&user)),
            json!({"user_custom_fields": [{"field_id": start, "field_value": "2024-01-02"}]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, patched) = patch(&app, &path,
            json!([{"op": "remove", "path": format!("{CUSTOM}:remote")}])).await;
        assert_eq!(status, StatusCode::OK, "{patched}");
        assert_eq!(patched[CUSTOM], json!({"location": "India", "startDate": "2024-01-02"}));
        // A replace leaves the date as it is, and clears the writable fields it leaves out.
        let body = json!({"schemas": [USER, CUSTOM], "userName": "ada@example.com", CUSTOM: {"remote": false}});
        let (status, replaced, _) = scim(&app, Method::PUT, &path, Some(body), None).await;
        assert_eq!(status, StatusCode::OK, "{replaced}");
        assert_eq!(replaced[CUSTOM], json!({"remote": false, "startDate": "2024-01-02"}));
    }

    async fn a_group_tag_changes_when_its_members_change_wherever_they_change(app) {
        let ada = create_user(&app, "ada@example.com", json!({})).await;
        let body = json!({"schemas": [GROUP], "displayName": "Engineers"});
        let (_, group, created_tag) = scim(&app, Method::POST, "/Groups", Some(body), None).await;
        let path = format!("/Groups/{}", id(&group));
        // Ada joins through the native API: the group resource, and so its tag, changed.
        let (status, body) = app.post(&format!("/v2/user-group/{}/add-users", id(&group)),
            json!({"user_ids": [id(&ada)]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, now, tag) = scim(&app, Method::GET, &path, None, None).await;
        assert_eq!(now["members"].as_array().expect("members").len(), 1);
        assert_ne!(tag, created_tag);
        assert_eq!(now["meta"]["version"].as_str(), tag.as_deref());
        let rename = json!({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "displayName", "value": "Eng"}]});
        let (status, error, _) = scim(&app, Method::PATCH, &path, Some(rename.clone()), created_tag.as_deref()).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{error}");
        let (status, renamed, _) = scim(&app, Method::PATCH, &path, Some(rename), tag.as_deref()).await;
        assert_eq!(status, StatusCode::OK, "{renamed}");
        assert_eq!(renamed["displayName"], "Eng");
        // Ada leaves by a change of her own groups: the tag moves again.
        let (status, body) = app.patch(&format!("/v2/user/{}", id(&ada)), json!({"user_group_ids": []})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, _, after_leaving) = scim(&app, Method::GET, &path, None, None).await;
        assert_ne!(after_leaving.as_deref(), renamed["meta"]["version"].as_str());
    }

    async fn group_pages_hold_their_groups_with_members_and_the_total(app) {
        let ada = create_user(&app, "ada@example.com", json!({})).await;
        let mut created = Vec::new();
        for name in ["Analysts", "Builders", "Cooks"] {
            let body = json!({"schemas": [GROUP], "displayName": name, "members": [{"value": id(&ada)}]});
            let (status, group, _) = scim(&app, Method::POST, "/Groups", Some(body), None).await;
            assert_eq!(status, StatusCode::CREATED, "{group}");
            created.push(group);
        }
        let (_, page, _) = scim(&app, Method::GET, "/Groups?startIndex=2&count=1", None, None).await;
        assert_eq!(page["totalResults"], 3, "{page}");
        assert_eq!(page["startIndex"], 2);
        assert_eq!(page["Resources"], json!([created[1]]), "the second oldest, as read alone");
        let (_, page, _) = scim(&app, Method::GET, "/Groups?startIndex=3&count=5", None, None).await;
        assert_eq!(page["Resources"], json!([created[2]]));
        let (_, page, _) = scim(&app, Method::GET, "/Groups?count=0", None, None).await;
        assert_eq!(page["totalResults"], 3);
        assert_eq!(page["Resources"], json!([]));
    }

    async fn delete_with_a_stale_if_match_is_412_and_deletes_nothing(app) {
        let user = create_user(&app, "ada@example.com", json!({})).await;
        let user_path = format!("/Users/{}", id(&user));
        let stale = user["meta"]["version"].as_str().expect("version").to_owned();
        patch(&app, &user_path, json!([{"op": "add", "path": "title", "value": "Countess"}])).await;
        let (status, error, _) = scim(&app, Method::DELETE, &user_path, None, Some(&stale)).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{error}");
        let (status, current, tag) = scim(&app, Method::GET, &user_path, None, None).await;
        assert_eq!(status, StatusCode::OK, "{current}");
        let (status, _, _) = scim(&app, Method::DELETE, &user_path, None, tag.as_deref()).await;
        assert_eq!(status, StatusCode::NO_CONTENT);

        let bob = create_user(&app, "bob@example.com", json!({})).await;
        let body = json!({"schemas": [GROUP], "displayName": "Engineers"});
        let (_, group, stale) = scim(&app, Method::POST, "/Groups", Some(body), None).await;
        let group_path = format!("/Groups/{}", id(&group));
        patch(&app, &group_path, json!([{"op": "add", "path": "members", "value": [{"value": id(&bob)}]}])).await;
        let (status, error, _) = scim(&app, Method::DELETE, &group_path, None, stale.as_deref()).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "a member change makes the tag stale: {error}");
        let (_, _, tag) = scim(&app, Method::GET, &group_path, None, None).await;
        let (status, _, _) = scim(&app, Method::DELETE, &group_path, None, tag.as_deref()).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _, _) = scim(&app, Method::GET, &group_path, None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}
