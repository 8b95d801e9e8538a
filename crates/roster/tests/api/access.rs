//! Who may do what, in the native dialect: user groups (`/v2/add-user-group`, `/v2/user-groups`,
//! `/v2/user-group/{userGroupId}`, `…/add-users`, `…/remove-users`), roles (`/v2/add-role`,
//! `/v2/roles`, `/v2/role/{roleId}`, `…/add-assignees`, `…/remove-assignees`), the permission
//! catalogue (`/v2/permissions`), a user's permissions, roles and groups (`user_permissions`,
//! `user_role_ids`, `user_group_ids`) and what they add up to (`/v2/user/{userId}/access`).
//! One test per rule, named after it.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{as_other, as_reader, assert_invalid, error_params, id_of, read, TestApp};

const MISSING_ID: &str = "5f1d7a2b9c8e4d3f2a1b0c9e";

/// Creates a user group with extra body fields; returns the whole answer.
async fn group(app: &TestApp, user_group_name: &str, extra: Value) -> Value {
    let mut body = json!({"user_group_name": user_group_name});
    for (key, value) in extra.as_object().expect("extra fields are an object") {
        body[key] = value.clone();
    }
    let (status, group) = app.post("/v2/add-user-group", body).await;
    assert_eq!(status, StatusCode::CREATED, "create user group: {group}");
    group
}

/// Creates a role with these permissions and returns its id.
async fn role(app: &TestApp, role_name: &str, permissions: &[&str]) -> String {
    let (status, role) = app
        .post(
            "/v2/add-role",
            json!({"role_name": role_name, "permissions": permissions}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "create role: {role}");
    id_of(&role, "role_id")
}

/// Creates a user with extra body fields; returns the whole answer.
async fn user(app: &TestApp, email: &str, extra: Value) -> Value {
    let mut body = json!({"user_name": "Some One", "user_email": email});
    for (key, value) in extra.as_object().expect("extra fields are an object") {
        body[key] = value.clone();
    }
    let (status, user) = app.post("/v2/add-user", body).await;
    assert_eq!(status, StatusCode::CREATED, "create user: {user}");
    user
}

/// Every user group of the tenant (one big page), in the order answered.
async fn groups(app: &TestApp) -> Vec<Value> {
    let (status, page) = app
        .post("/v2/user-groups", json!({"page_size": 1000}))
        .await;
    assert_eq!(status, StatusCode::OK, "list user groups: {page}");
    items(&page).clone()
}

/// The system group of this kind (`Everyone`, `Service Accounts`).
async fn system_group(app: &TestApp, kind: &str) -> Value {
    groups(app)
        .await
        .into_iter()
        .find(|group| group["system"] == kind)
        .unwrap_or_else(|| panic!("no {kind} group"))
}

async fn get_ok(app: &TestApp, path: &str) -> Value {
    let (status, body) = app.get(path).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

async fn access(app: &TestApp, user_id: &str) -> Value {
    get_ok(app, &format!("/v2/user/{user_id}/access")).await
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {page}"))
}

/// The strings of a JSON array, in order.
fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|item| item.as_str().expect("a string"))
        .collect()
}

fn field_of<'a>(items: &'a [Value], field: &str) -> Vec<&'a str> {
    items
        .iter()
        .map(|item| item[field].as_str().expect("a string"))
        .collect()
}

fn sorted_keys(body: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = body
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// The actions of the audit log, newest first.
async fn audit_actions(app: &TestApp) -> Vec<(String, String)> {
    let page = get_ok(app, "/v2/audit/list?page_size=1000").await;
    items(&page)
        .iter()
        .map(|event| (id_of(event, "action"), id_of(event, "entity_id")))
        .collect()
}

/// The other tenant's group and role: `(user_group_id, role_id)`.
async fn other_group_and_role(app: &TestApp) -> (String, String) {
    let (status, group) = as_other(
        app,
        Method::POST,
        "/v2/add-user-group",
        Some(json!({"user_group_name": "Theirs"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    let (status, role) = as_other(
        app,
        Method::POST,
        "/v2/add-role",
        Some(json!({"role_name": "Theirs"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    (id_of(&group, "user_group_id"), id_of(&role, "role_id"))
}

on_both_backends! {
    // ---- user groups ----

    async fn create_user_group_answers_201_with_the_group(app) {
        let editor = role(&app, "Editor", &["dashboard_management"]).await;
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let response = app.request(Method::POST, "/v2/add-user-group")
            .json(&json!({"user_group_name": "Engineers", "user_group_description": "Builds things",
                          "role_ids": [editor], "user_ids": [ada]}))
            .send().await.expect("send");
        let location = response.headers().get("location").map(|value| value.to_str().expect("ascii").to_owned());
        let (status, group) = read(response).await;
        assert_eq!(status, StatusCode::CREATED, "{group}");
        let id = id_of(&group, "user_group_id");
        assert_eq!(location, Some(format!("/v2/user-group/{id}")));
        assert_eq!(sorted_keys(&group), ["created_at", "name_editable", "roles", "roles_editable", "system",
            "updated_at", "user_count", "user_emails", "user_group_description", "user_group_id",
            "user_group_name", "users_editable", "version"]);
        assert_eq!(group["user_group_name"], "Engineers");
        assert_eq!(group["user_group_description"], "Builds things");
        assert_eq!(group["system"], Value::Null);
        assert_eq!((&group["name_editable"], &group["users_editable"], &group["roles_editable"]),
            (&json!(true), &json!(true), &json!(true)));
        assert_eq!(group["roles"], json!([{"role_id": editor, "role_name": "Editor", "permissions": ["dashboard_management"]}]));
        assert_eq!(group["user_count"], 1);
        assert_eq!(group["user_emails"], json!(["ada@example.com"]));
        assert_eq!(group["version"], 1);
        assert_eq!(get_ok(&app, &format!("/v2/user-group/{id}")).await, group);
    }

    async fn create_user_group_requires_a_name(app) {
        let (status, body) = app.post("/v2/add-user-group", json!({})).await;
        assert_invalid(status, &body, &["user_group_name"]);
        let (status, body) = app.post("/v2/add-user-group", json!({"user_group_name": null, "colour": "red"})).await;
        assert_invalid(status, &body, &["user_group_name", "colour"]);
        assert_eq!(groups(&app).await.len(), 2, "only the system groups");
    }

    async fn user_group_name_is_unique_regardless_of_case(app) {
        group(&app, "Engineers", json!({})).await;
        for taken in ["Engineers", "ENGINEERS", "everyone"] {
            let (status, body) = app.post("/v2/add-user-group", json!({"user_group_name": taken})).await;
            assert_eq!(status, StatusCode::CONFLICT, "{taken}: {body}");
            assert_eq!(error_params(&body), ["user_group_name"]);
        }
        let sales = id_of(&group(&app, "Sales", json!({})).await, "user_group_id");
        let (status, body) = app.patch(&format!("/v2/user-group/{sales}"), json!({"user_group_name": "engineers"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(error_params(&body), ["user_group_name"]);
    }

    async fn create_user_group_with_unknown_role_or_user_ids_writes_nothing(app) {
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = app.post("/v2/add-user-group",
            json!({"user_group_name": "Engineers", "role_ids": [MISSING_ID]})).await;
        assert_invalid(status, &body, &["role_ids"]);
        assert!(body["errors"][0]["msg"].as_str().expect("msg").contains(MISSING_ID), "{body}");
        let (status, body) = app.post("/v2/add-user-group",
            json!({"user_group_name": "Engineers", "user_ids": [ada, MISSING_ID]})).await;
        assert_invalid(status, &body, &["user_ids"]);
        let (status, body) = app.post("/v2/add-user-group",
            json!({"user_group_name": "Engineers", "role_ids": ["nope"], "user_ids": "ada"})).await;
        assert_invalid(status, &body, &["role_ids[0]", "user_ids"]);
        assert_eq!(groups(&app).await.len(), 2, "only the system groups");
        assert_eq!(get_ok(&app, &format!("/v2/user/{ada}")).await["user_group_ids"], json!([]));
    }

    async fn unknown_role_and_user_ids_are_named_together(app) {
        let (status, body) = app.post("/v2/add-user-group",
            json!({"user_group_name": "Engineers", "role_ids": [MISSING_ID], "user_ids": [MISSING_ID]})).await;
        assert_invalid(status, &body, &["role_ids", "user_ids"]);
        let role_id = role(&app, "Viewer", &[]).await;
        let (status, body) = app.post(&format!("/v2/role/{role_id}/add-assignees"),
            json!({"user_ids": [MISSING_ID], "user_group_ids": [MISSING_ID]})).await;
        assert_invalid(status, &body, &["user_ids", "user_group_ids"]);
    }

    async fn update_user_group_changes_name_description_and_roles(app) {
        let viewer = role(&app, "Viewer", &[]).await;
        let editor = role(&app, "Editor", &["dashboard_management"]).await;
        let created = group(&app, "Engineers", json!({"user_group_description": "Builds", "role_ids": [viewer]})).await;
        let id = id_of(&created, "user_group_id");
        let path = format!("/v2/user-group/{id}");
        let (status, group) = app.patch(&path, json!({"user_group_name": "Builders", "role_ids": [editor]})).await;
        assert_eq!(status, StatusCode::OK, "{group}");
        assert_eq!(group["user_group_name"], "Builders");
        assert_eq!(group["user_group_description"], "Builds", "absent fields are untouched");
        assert_eq!(field_of(group["roles"].as_array().expect("roles"), "role_id"), [editor.as_str()]);
        assert_eq!(group["version"], 2);
        assert_eq!(group["created_at"], created["created_at"]);
        let (status, group) = app.patch(&path, json!({"user_group_description": null})).await;
        assert_eq!(status, StatusCode::OK, "{group}");
        assert_eq!(group["user_group_description"], Value::Null);
        let (status, body) = app.patch(&path, json!({"user_group_name": null, "role_ids": [MISSING_ID], "users": []})).await;
        assert_invalid(status, &body, &["user_group_name", "users"]);
        let (status, body) = app.patch(&path, json!({"role_ids": [MISSING_ID]})).await;
        assert_invalid(status, &body, &["role_ids"]);
        assert_eq!(get_ok(&app, &path).await, group, "nothing written by refused updates");
    }

    async fn delete_user_group_removes_it_and_its_memberships(app) {
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let id = id_of(&group(&app, "Engineers", json!({"user_ids": [ada]})).await, "user_group_id");
        assert_eq!(get_ok(&app, &format!("/v2/user/{ada}")).await["user_group_ids"], json!([id]));
        let (status, body) = app.delete(&format!("/v2/user-group/{id}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        assert_eq!(body, Value::Null);
        let (status, _) = app.get(&format!("/v2/user-group/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&format!("/v2/user-group/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(get_ok(&app, &format!("/v2/user/{ada}")).await["user_group_ids"], json!([]));
        let ada_access = access(&app, &ada).await;
        assert_eq!(field_of(ada_access["user_groups"].as_array().expect("groups"), "user_group_name"), ["Everyone"]);
    }

    async fn list_user_groups_pages_and_searches_by_name(app) {
        for name in ["Engineers", "Sales", "Sales Engineers"] {
            group(&app, name, json!({})).await;
        }
        let (status, page) = app.post("/v2/user-groups", json!({"search_query": "ENGINEERS"})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["count"], 2);
        let mut names = field_of(items(&page), "user_group_name");
        names.sort_unstable();
        assert_eq!(names, ["Engineers", "Sales Engineers"]);
        let (status, page) = app.post("/v2/user-groups", json!({"page": 2, "page_size": 2})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!((&page["count"], &page["page"], &page["page_size"]), (&json!(5), &json!(2), &json!(2)));
        assert_eq!(items(&page).len(), 2);
        let (status, body) = app.post("/v2/user-groups", json!({"page": 0, "filter_by": []})).await;
        assert_invalid(status, &body, &["page", "filter_by"]);
    }

    // ---- system groups ----

    async fn every_tenant_has_the_system_groups_everyone_and_service_accounts(app) {
        let groups = groups(&app).await;
        let mut names = field_of(&groups, "user_group_name");
        names.sort_unstable();
        assert_eq!(names, ["Everyone", "Service Accounts"]);
        for group in &groups {
            assert_eq!(group["system"], group["user_group_name"], "{group}");
            assert_eq!((&group["name_editable"], &group["users_editable"], &group["roles_editable"]),
                (&json!(false), &json!(false), &json!(true)), "{group}");
            assert_eq!(group["user_count"], 0);
            assert!(group["user_group_description"].is_string(), "{group}");
        }
        let (status, page) = as_other(&app, Method::POST, "/v2/user-groups", Some(json!({}))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["count"], 2, "the other tenant has its own: {page}");
        assert_ne!(items(&page)[0]["user_group_id"], groups[0]["user_group_id"]);
        assert_ne!(items(&page)[0]["user_group_id"], groups[1]["user_group_id"]);
    }

    async fn everyone_counts_every_user(app) {
        for email in ["c@example.com", "a@example.com", "b@example.com"] {
            app.user(email, "Some One").await;
        }
        user(&app, "svc@example.com", json!({"account_type": "service"})).await;
        let everyone = system_group(&app, "Everyone").await;
        assert_eq!(everyone["user_count"], 4);
        assert_eq!(strings(&everyone["user_emails"]), ["a@example.com", "b@example.com", "c@example.com", "svc@example.com"]);
        let id = id_of(&everyone, "user_group_id");
        assert_eq!(get_ok(&app, &format!("/v2/user-group/{id}")).await["user_count"], 4);
    }

    async fn service_accounts_counts_service_accounts_and_follows_account_type_changes(app) {
        let svc = id_of(&user(&app, "svc@example.com", json!({"account_type": "service"})).await, "user_id");
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let group = system_group(&app, "Service Accounts").await;
        let path = format!("/v2/user-group/{}", id_of(&group, "user_group_id"));
        assert_eq!(group["user_count"], 1);
        assert_eq!(group["user_emails"], json!(["svc@example.com"]));
        let (status, body) = app.patch(&format!("/v2/user/{ada}"), json!({"user_account_type": "service"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = app.patch(&format!("/v2/user/{svc}"), json!({"user_account_type": "employee"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let group = get_ok(&app, &path).await;
        assert_eq!(group["user_count"], 1);
        assert_eq!(group["user_emails"], json!(["ada@example.com"]));
        let systems: Vec<Value> = access(&app, &ada).await["user_groups"].as_array().expect("groups")
            .iter().map(|group| group["system"].clone()).collect();
        assert_eq!(systems, [json!("Everyone"), json!("Service Accounts")]);
    }

    async fn system_group_refuses_name_description_and_member_changes(app) {
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let everyone = system_group(&app, "Everyone").await;
        let id = id_of(&everyone, "user_group_id");
        let path = format!("/v2/user-group/{id}");
        let (status, body) = app.patch(&path, json!({"user_group_name": "All", "user_group_description": "Us"})).await;
        assert_invalid(status, &body, &["user_group_name", "user_group_description"]);
        let (status, body) = app.post(&format!("{path}/add-users"), json!({"user_ids": [ada]})).await;
        assert_invalid(status, &body, &["user_ids"]);
        let (status, body) = app.post(&format!("{path}/remove-users"), json!({"user_ids": [ada]})).await;
        assert_invalid(status, &body, &["user_ids"]);
        let (status, body) = app.patch(&format!("/v2/user/{ada}"), json!({"user_group_ids": [
            id_of(&system_group(&app, "Service Accounts").await, "user_group_id")]})).await;
        assert_invalid(status, &body, &["user_group_ids"]);
        assert_eq!(get_ok(&app, &path).await, everyone, "nothing changed");
    }

    async fn system_group_accepts_its_own_name_and_role_changes(app) {
        let viewer = role(&app, "Viewer", &["embedded_charts"]).await;
        let everyone = system_group(&app, "Everyone").await;
        let path = format!("/v2/user-group/{}", id_of(&everyone, "user_group_id"));
        let (status, group) = app.patch(&path, json!({"user_group_name": "Everyone",
            "user_group_description": everyone["user_group_description"], "role_ids": [viewer]})).await;
        assert_eq!(status, StatusCode::OK, "{group}");
        assert_eq!(group["user_group_name"], "Everyone");
        assert_eq!(field_of(group["roles"].as_array().expect("roles"), "role_id"), [viewer.as_str()]);
    }

    async fn system_group_cannot_be_deleted(app) {
        for kind in ["Everyone", "Service Accounts"] {
            let id = id_of(&system_group(&app, kind).await, "user_group_id");
            let (status, body) = app.delete(&format!("/v2/user-group/{id}")).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{kind}: {body}");
            assert_eq!(body["code"], "FORBIDDEN");
        }
        assert_eq!(groups(&app).await.len(), 2);
    }

    // ---- members ----

    async fn add_users_puts_the_group_in_the_users_group_ids_and_versions(app) {
        let ada = user(&app, "ada@example.com", json!({})).await;
        let bob = user(&app, "bob@example.com", json!({})).await;
        let (ada_id, bob_id) = (id_of(&ada, "user_id"), id_of(&bob, "user_id"));
        let id = id_of(&group(&app, "Engineers", json!({})).await, "user_group_id");
        let (status, group) = app.post(&format!("/v2/user-group/{id}/add-users"),
            json!({"user_ids": [bob_id, ada_id, ada_id]})).await;
        assert_eq!(status, StatusCode::OK, "{group}");
        assert_eq!(group["user_count"], 2);
        assert_eq!(group["user_emails"], json!(["ada@example.com", "bob@example.com"]));
        assert_eq!(group["version"], 1, "members are part of the users' versions");
        let ada_after = get_ok(&app, &format!("/v2/user/{ada_id}")).await;
        assert_eq!(ada_after["user_group_ids"], json!([id]));
        assert_eq!(ada_after["version"], ada["version"].as_i64().expect("version") + 1);
        let (status, group) = app.post(&format!("/v2/user-group/{id}/add-users"), json!({"user_ids": [ada_id]})).await;
        assert_eq!(status, StatusCode::OK, "adding a member again is accepted: {group}");
        assert_eq!(get_ok(&app, &format!("/v2/user/{ada_id}")).await["version"], ada_after["version"], "and changes nothing");
        let (status, group) = app.post(&format!("/v2/user-group/{id}/remove-users"), json!({"user_ids": [ada_id]})).await;
        assert_eq!(status, StatusCode::OK, "{group}");
        assert_eq!(group["user_count"], 1);
        assert_eq!(group["user_emails"], json!(["bob@example.com"]));
        let ada_removed = get_ok(&app, &format!("/v2/user/{ada_id}")).await;
        assert_eq!(ada_removed["user_group_ids"], json!([]));
        assert_eq!(ada_removed["version"], ada_after["version"].as_i64().expect("version") + 1);
    }

    async fn add_users_with_an_unknown_user_writes_nothing(app) {
        let ada = user(&app, "ada@example.com", json!({})).await;
        let ada_id = id_of(&ada, "user_id");
        let id = id_of(&group(&app, "Engineers", json!({})).await, "user_group_id");
        let (status, body) = app.post(&format!("/v2/user-group/{id}/add-users"),
            json!({"user_ids": [ada_id, MISSING_ID]})).await;
        assert_invalid(status, &body, &["user_ids"]);
        let (status, body) = app.post(&format!("/v2/user-group/{id}/add-users"), json!({})).await;
        assert_invalid(status, &body, &["user_ids"]);
        let (status, body) = app.post(&format!("/v2/user-group/{id}/add-users"), json!({"user_ids": ["x"], "ids": []})).await;
        assert_invalid(status, &body, &["user_ids[0]", "ids"]);
        assert_eq!(get_ok(&app, &format!("/v2/user/{ada_id}")).await, ada);
        assert_eq!(get_ok(&app, &format!("/v2/user-group/{id}")).await["user_count"], 0);
    }

    async fn id_lists_take_at_most_1000_entries(app) {
        let id = id_of(&group(&app, "Engineers", json!({})).await, "user_group_id");
        let ids: Vec<String> = (0..1001).map(|n| format!("{n:024x}")).collect();
        let (status, body) = app.post(&format!("/v2/user-group/{id}/add-users"), json!({"user_ids": ids})).await;
        assert_invalid(status, &body, &["user_ids"]);
        assert!(body["errors"][0]["msg"].as_str().expect("msg").contains("1000"), "{body}");
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = app.patch(&format!("/v2/user/{ada}"), json!({"user_role_ids": ids})).await;
        assert_invalid(status, &body, &["user_role_ids"]);
    }

    async fn patch_user_replaces_its_group_memberships(app) {
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let engineers = id_of(&group(&app, "Engineers", json!({})).await, "user_group_id");
        let sales = id_of(&group(&app, "Sales", json!({})).await, "user_group_id");
        let everyone = id_of(&system_group(&app, "Everyone").await, "user_group_id");
        let path = format!("/v2/user/{ada}");
        let (status, user) = app.patch(&path, json!({"user_group_ids": [engineers, sales, everyone]})).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        let mut expected = vec![engineers.clone(), sales.clone()];
        expected.sort();
        assert_eq!(user["user_group_ids"], json!(expected), "system groups are implicit and not listed");
        let (status, user) = app.patch(&path, json!({"user_group_ids": [sales]})).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(user["user_group_ids"], json!([sales]));
        assert_eq!(get_ok(&app, &format!("/v2/user-group/{engineers}")).await["user_count"], 0);
        let (status, body) = app.patch(&path, json!({"user_group_ids": [engineers, MISSING_ID]})).await;
        assert_invalid(status, &body, &["user_group_ids"]);
        let (status, body) = app.patch(&path, json!({"user_group_ids": ["nope"]})).await;
        assert_invalid(status, &body, &["user_group_ids[0]"]);
        assert_eq!(get_ok(&app, &path).await["user_group_ids"], json!([sales]));
    }

    // ---- roles ----

    async fn create_role_answers_201_with_the_role(app) {
        let response = app.request(Method::POST, "/v2/add-role")
            .json(&json!({"role_name": "Editor", "role_description": "Edits dashboards",
                          "permissions": ["dashboard_management", "alerts_management", "dashboard_management"]}))
            .send().await.expect("send");
        let location = response.headers().get("location").map(|value| value.to_str().expect("ascii").to_owned());
        let (status, role) = read(response).await;
        assert_eq!(status, StatusCode::CREATED, "{role}");
        let id = id_of(&role, "role_id");
        assert_eq!(location, Some(format!("/v2/role/{id}")));
        assert_eq!(sorted_keys(&role), ["created_at", "permissions", "role_description", "role_id", "role_name",
            "sample_user_emails", "sample_user_groups", "updated_at", "updated_by", "user_count",
            "user_group_count", "version"]);
        assert_eq!(role["role_name"], "Editor");
        assert_eq!(role["role_description"], "Edits dashboards");
        assert_eq!(role["permissions"], json!(["alerts_management", "dashboard_management"]));
        assert_eq!((&role["user_count"], &role["user_group_count"]), (&json!(0), &json!(0)));
        assert_eq!((&role["sample_user_emails"], &role["sample_user_groups"]), (&json!([]), &json!([])));
        assert_eq!(role["updated_by"], "tests", "the API key's name");
        assert_eq!(role["version"], 1);
        assert_eq!(get_ok(&app, &format!("/v2/role/{id}")).await, role);
    }

    async fn create_role_requires_a_name(app) {
        let (status, body) = app.post("/v2/add-role", json!({"permissions": []})).await;
        assert_invalid(status, &body, &["role_name"]);
        let (status, body) = app.post("/v2/add-role", json!({"role_name": " ", "perms": []})).await;
        assert_invalid(status, &body, &["role_name", "perms"]);
    }

    async fn role_name_is_unique_regardless_of_case(app) {
        role(&app, "Editor", &[]).await;
        let (status, body) = app.post("/v2/add-role", json!({"role_name": "EDITOR"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(error_params(&body), ["role_name"]);
        let viewer = role(&app, "Viewer", &[]).await;
        let (status, body) = app.patch(&format!("/v2/role/{viewer}"), json!({"role_name": "editor"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(error_params(&body), ["role_name"]);
        let (status, body) = as_other(&app, Method::POST, "/v2/add-role", Some(json!({"role_name": "Editor"}))).await;
        assert_eq!(status, StatusCode::CREATED, "another tenant may use the name: {body}");
    }

    async fn unknown_permission_is_refused_naming_the_field_and_the_allowed_values(app) {
        let (status, body) = app.post("/v2/add-role",
            json!({"role_name": "Editor", "permissions": ["dashboard_management", "fly"]})).await;
        assert_invalid(status, &body, &["permissions[1]"]);
        let message = body["errors"][0]["msg"].as_str().expect("msg");
        assert!(message.contains("user_management") && message.contains("agent_management"), "{message}");
        let (_, page) = app.post("/v2/roles", json!({})).await;
        assert_eq!(page["count"], 0, "nothing written");
        let editor = role(&app, "Editor", &["ingestion"]).await;
        let (status, body) = app.patch(&format!("/v2/role/{editor}"), json!({"permissions": ["Ingestion"]})).await;
        assert_invalid(status, &body, &["permissions[0]"]);
        let (status, body) = app.patch(&format!("/v2/role/{editor}"), json!({"permissions": "ingestion"})).await;
        assert_invalid(status, &body, &["permissions"]);
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = app.patch(&format!("/v2/user/{ada}"), json!({"user_permissions": ["root"]})).await;
        assert_invalid(status, &body, &["user_permissions[0]"]);
        assert!(body["errors"][0]["msg"].as_str().expect("msg").contains("ingestion"), "{body}");
        let (status, body) = app.post("/v2/add-user",
            json!({"user_name": "Bob", "user_email": "bob@example.com", "user_permissions": ["root"]})).await;
        assert_invalid(status, &body, &["user_permissions[0]"]);
    }

    async fn update_role_replaces_permissions_and_clears_the_description(app) {
        let (_, created) = app.post("/v2/add-role", json!({"role_name": "Editor", "role_description": "Edits",
            "permissions": ["ingestion", "log_management"]})).await;
        let path = format!("/v2/role/{}", id_of(&created, "role_id"));
        let (status, role) = app.patch(&path, json!({"permissions": ["user_management"]})).await;
        assert_eq!(status, StatusCode::OK, "{role}");
        assert_eq!(role["permissions"], json!(["user_management"]));
        assert_eq!(role["role_description"], "Edits");
        assert_eq!(role["version"], 2);
        let (status, role) = app.patch(&path, json!({"role_name": "Writer", "role_description": null})).await;
        assert_eq!(status, StatusCode::OK, "{role}");
        assert_eq!((&role["role_name"], &role["role_description"]), (&json!("Writer"), &Value::Null));
        assert_eq!(role["version"], 3);
        let (status, body) = app.patch(&path, json!({"role_name": null, "permission": []})).await;
        assert_invalid(status, &body, &["role_name", "permission"]);
        assert_eq!(get_ok(&app, &path).await, role);
    }

    async fn list_roles_pages_and_searches_by_name(app) {
        for name in ["Editor", "Viewer", "Chief Editor"] {
            role(&app, name, &[]).await;
        }
        let (status, page) = app.post("/v2/roles", json!({"search_query": "editor"})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["count"], 2);
        let mut names = field_of(items(&page), "role_name");
        names.sort_unstable();
        assert_eq!(names, ["Chief Editor", "Editor"]);
        let (_, page) = app.post("/v2/roles", json!({"page": 2, "page_size": 2})).await;
        assert_eq!((&page["count"], &page["page"], &page["page_size"]), (&json!(3), &json!(2), &json!(2)));
        assert_eq!(items(&page).len(), 1);
        let (status, page) = as_other(&app, Method::POST, "/v2/roles", Some(json!({}))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["count"], 0, "only the tenant's own: {page}");
    }

    async fn add_assignees_gives_the_role_to_users_and_groups(app) {
        let editor = role(&app, "Editor", &["dashboard_management"]).await;
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let engineers = id_of(&group(&app, "Engineers", json!({})).await, "user_group_id");
        let everyone = id_of(&system_group(&app, "Everyone").await, "user_group_id");
        let path = format!("/v2/role/{editor}");
        let (status, role) = app.post(&format!("{path}/add-assignees"),
            json!({"user_ids": [ada], "user_group_ids": [engineers, everyone]})).await;
        assert_eq!(status, StatusCode::OK, "{role}");
        assert_eq!((&role["user_count"], &role["user_group_count"]), (&json!(1), &json!(2)));
        assert_eq!(role["sample_user_emails"], json!(["ada@example.com"]));
        let mut sample = field_of(role["sample_user_groups"].as_array().expect("groups"), "user_group_name");
        sample.sort_unstable();
        assert_eq!(sample, ["Engineers", "Everyone"]);
        assert_eq!(get_ok(&app, &format!("/v2/user/{ada}")).await["user_role_ids"], json!([editor]));
        let group = get_ok(&app, &format!("/v2/user-group/{engineers}")).await;
        assert_eq!(field_of(group["roles"].as_array().expect("roles"), "role_id"), [editor.as_str()]);
        let (status, role) = app.post(&format!("{path}/remove-assignees"),
            json!({"user_ids": [ada], "user_group_ids": [everyone]})).await;
        assert_eq!(status, StatusCode::OK, "{role}");
        assert_eq!((&role["user_count"], &role["user_group_count"]), (&json!(0), &json!(1)));
        assert_eq!(role["sample_user_groups"], json!([{"user_group_id": engineers, "user_group_name": "Engineers"}]));
        assert_eq!(get_ok(&app, &format!("/v2/user/{ada}")).await["user_role_ids"], json!([]));
        assert_eq!(get_ok(&app, &path).await, role);
    }

    async fn add_assignees_with_unknown_ids_writes_nothing(app) {
        let editor = role(&app, "Editor", &[]).await;
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let engineers = id_of(&group(&app, "Engineers", json!({})).await, "user_group_id");
        let path = format!("/v2/role/{editor}/add-assignees");
        let (status, body) = app.post(&path, json!({"user_ids": [ada, MISSING_ID]})).await;
        assert_invalid(status, &body, &["user_ids"]);
        let (status, body) = app.post(&path, json!({"user_ids": [ada], "user_group_ids": [engineers, MISSING_ID]})).await;
        assert_invalid(status, &body, &["user_group_ids"]);
        let (status, body) = app.post(&path, json!({})).await;
        assert_invalid(status, &body, &["user_ids"]);
        let (status, body) = app.post(&path, json!({"user_ids": [7], "accounts": []})).await;
        assert_invalid(status, &body, &["user_ids[0]", "accounts"]);
        let role = get_ok(&app, &format!("/v2/role/{editor}")).await;
        assert_eq!((&role["user_count"], &role["user_group_count"]), (&json!(0), &json!(0)));
        assert_eq!(get_ok(&app, &format!("/v2/user/{ada}")).await["user_role_ids"], json!([]));
        assert_eq!(get_ok(&app, &format!("/v2/user-group/{engineers}")).await["roles"], json!([]));
        let (status, _) = app.post(&format!("/v2/role/{MISSING_ID}/add-assignees"), json!({"user_ids": [ada]})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn patch_user_replaces_its_roles(app) {
        let editor = role(&app, "Editor", &[]).await;
        let viewer = role(&app, "Viewer", &[]).await;
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let path = format!("/v2/user/{ada}");
        let (status, user) = app.patch(&path, json!({"user_role_ids": [editor, viewer]})).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        let mut expected = vec![editor.clone(), viewer.clone()];
        expected.sort();
        assert_eq!(user["user_role_ids"], json!(expected));
        let (status, user) = app.patch(&path, json!({"user_role_ids": [viewer]})).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(user["user_role_ids"], json!([viewer]));
        let (status, body) = app.patch(&path, json!({"user_role_ids": [MISSING_ID], "user_email": "bad"})).await;
        assert_invalid(status, &body, &["user_role_ids", "user_email"]);
        let (status, body) = app.patch(&path, json!({"user_role_ids": ["123"]})).await;
        assert_invalid(status, &body, &["user_role_ids[0]"]);
        assert_eq!(get_ok(&app, &path).await, user, "nothing written");
    }

    async fn delete_role_removes_it_from_users_and_groups(app) {
        let editor = role(&app, "Editor", &["dashboard_management"]).await;
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let engineers = id_of(&group(&app, "Engineers", json!({"role_ids": [editor]})).await, "user_group_id");
        let (status, _) = app.patch(&format!("/v2/user/{ada}"), json!({"user_role_ids": [editor]})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = app.delete(&format!("/v2/role/{editor}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let (status, _) = app.get(&format!("/v2/role/{editor}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(get_ok(&app, &format!("/v2/user/{ada}")).await["user_role_ids"], json!([]));
        assert_eq!(get_ok(&app, &format!("/v2/user-group/{engineers}")).await["roles"], json!([]));
        let ada_access = access(&app, &ada).await;
        assert_eq!((&ada_access["roles"], &ada_access["effective_permissions"]), (&json!([]), &json!([])));
    }

    // ---- permissions and access ----

    async fn permissions_lists_the_whole_catalogue(app) {
        let body = get_ok(&app, "/v2/permissions").await;
        assert_eq!(sorted_keys(&body), ["permissions"]);
        assert_eq!(strings(&body["permissions"]), ["agent_management", "alerts_management",
            "application_management", "batch_query_priority", "dashboard_management",
            "derived_metrics_management", "embedded_charts", "events_management",
            "external_links_management", "host_tag_management", "ingestion", "log_management",
            "metrics_management", "monitored_application_service_management", "saml_sso_management",
            "token_management", "user_management"]);
        let (status, _) = read(app.anonymous(Method::GET, "/v2/permissions").send().await.expect("send")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    async fn patch_user_grants_direct_permissions(app) {
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let path = format!("/v2/user/{ada}");
        let (status, user) = app.patch(&path, json!({"user_permissions": ["user_management", "ingestion", "ingestion"]})).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(user["user_permissions"], json!(["ingestion", "user_management"]));
        let ada_access = access(&app, &ada).await;
        assert_eq!(ada_access["permissions"], json!(["ingestion", "user_management"]));
        assert_eq!(ada_access["effective_permissions"], json!(["ingestion", "user_management"]));
        let (status, user) = app.patch(&path, json!({"user_permissions": []})).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(user["user_permissions"], json!([]));
    }

    async fn role_given_to_a_group_gives_its_members_the_permissions(app) {
        let editor = role(&app, "Editor", &["dashboard_management", "alerts_management"]).await;
        let viewer = role(&app, "Viewer", &["embedded_charts"]).await;
        let auditor = role(&app, "Auditor", &["log_management"]).await;
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let bob = app.user("bob@example.com", "Bob").await;
        let engineers = id_of(&group(&app, "Engineers", json!({"role_ids": [editor], "user_ids": [ada]})).await, "user_group_id");
        let everyone = id_of(&system_group(&app, "Everyone").await, "user_group_id");
        let (status, _) = app.patch(&format!("/v2/user-group/{everyone}"), json!({"role_ids": [viewer]})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = app.patch(&format!("/v2/user/{ada}"),
            json!({"user_role_ids": [auditor], "user_permissions": ["ingestion"]})).await;
        assert_eq!(status, StatusCode::OK);
        let ada_access = access(&app, &ada).await;
        assert_eq!(sorted_keys(&ada_access), ["effective_permissions", "permissions", "roles", "user_groups", "user_id"]);
        assert_eq!(ada_access["user_id"], ada.as_str());
        assert_eq!(ada_access["permissions"], json!(["ingestion"]));
        assert_eq!(ada_access["effective_permissions"], json!(["alerts_management", "dashboard_management",
            "embedded_charts", "ingestion", "log_management"]));
        assert_eq!(ada_access["roles"], json!([{"role_id": auditor, "role_name": "Auditor", "permissions": ["log_management"]}]));
        assert_eq!(ada_access["user_groups"], json!([
            {"user_group_id": everyone, "user_group_name": "Everyone", "system": "Everyone"},
            {"user_group_id": engineers, "user_group_name": "Engineers", "system": null},
        ]));
        let bob_access = access(&app, &bob).await;
        assert_eq!(bob_access["effective_permissions"], json!(["embedded_charts"]), "through Everyone only");
        let (status, _) = app.patch(&format!("/v2/role/{editor}"), json!({"permissions": ["token_management"]})).await;
        assert_eq!(status, StatusCode::OK);
        let ada_access = access(&app, &ada).await;
        assert_eq!(ada_access["effective_permissions"], json!(["embedded_charts", "ingestion", "log_management", "token_management"]));
    }

    async fn create_user_sets_permissions_roles_and_groups(app) {
        let editor = role(&app, "Editor", &["dashboard_management"]).await;
        let engineers = id_of(&group(&app, "Engineers", json!({})).await, "user_group_id");
        let user = user(&app, "ada@example.com", json!({"user_permissions": ["ingestion"],
            "user_role_ids": [editor], "user_group_ids": [engineers]})).await;
        assert_eq!(user["user_permissions"], json!(["ingestion"]));
        assert_eq!(user["user_role_ids"], json!([editor]));
        assert_eq!(user["user_group_ids"], json!([engineers]));
        let (status, body) = app.post("/v2/add-user", json!({"user_name": "Bob", "user_email": "bob@example.com",
            "user_role_ids": [MISSING_ID], "user_group_ids": [MISSING_ID]})).await;
        assert_invalid(status, &body, &["user_role_ids", "user_group_ids"]);
        let (status, body) = app.post("/v2/users", json!({"search_query": "bob"})).await;
        assert_eq!((status, &body["count"]), (StatusCode::OK, &json!(0)), "nothing written: {body}");
    }

    async fn user_access_of_an_unknown_user_is_not_found(app) {
        let (status, body) = app.get(&format!("/v2/user/{MISSING_ID}/access")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = app.get("/v2/user/nope/access").await;
        assert_invalid(status, &body, &["userId"]);
    }

    // ---- tenants and keys ----

    async fn another_tenants_group_and_role_are_not_found_on_the_path(app) {
        let (theirs_group, theirs_role) = other_group_and_role(&app).await;
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let group = format!("/v2/user-group/{theirs_group}");
        let role = format!("/v2/role/{theirs_role}");
        for (status, body) in [
            app.get(&group).await,
            app.patch(&group, json!({"user_group_name": "Mine"})).await,
            app.delete(&group).await,
            app.post(&format!("{group}/add-users"), json!({"user_ids": [ada]})).await,
            app.get(&role).await,
            app.patch(&role, json!({"role_name": "Mine"})).await,
            app.delete(&role).await,
            app.post(&format!("{role}/add-assignees"), json!({"user_ids": [ada]})).await,
        ] {
            assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
            assert!(!body.to_string().contains("Theirs"), "{body}");
        }
        let (status, body) = as_other(&app, Method::GET, &group, None).await;
        assert_eq!((status, &body["user_group_name"]), (StatusCode::OK, &json!("Theirs")));
        let (status, body) = as_other(&app, Method::GET, &role, None).await;
        assert_eq!((status, &body["role_name"], &body["user_count"]), (StatusCode::OK, &json!("Theirs"), &json!(0)));
    }

    async fn another_tenants_group_and_role_ids_in_a_body_are_refused(app) {
        let (theirs_group, theirs_role) = other_group_and_role(&app).await;
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = app.patch(&format!("/v2/user/{ada}"),
            json!({"user_role_ids": [theirs_role], "user_group_ids": [theirs_group]})).await;
        assert_invalid(status, &body, &["user_role_ids", "user_group_ids"]);
        let (status, body) = app.post("/v2/add-user-group", json!({"user_group_name": "Mine", "role_ids": [theirs_role]})).await;
        assert_invalid(status, &body, &["role_ids"]);
        let mine = role(&app, "Mine", &[]).await;
        let (status, body) = app.post(&format!("/v2/role/{mine}/add-assignees"), json!({"user_group_ids": [theirs_group]})).await;
        assert_invalid(status, &body, &["user_group_ids"]);
        let (status, theirs_user) = as_other(&app, Method::POST, "/v2/add-user",
            Some(json!({"user_name": "Eve", "user_email": "eve@example.com"}))).await;
        assert_eq!(status, StatusCode::CREATED);
        let theirs_user = id_of(&theirs_user, "user_id");
        let (status, body) = app.post(&format!("/v2/role/{mine}/add-assignees"), json!({"user_ids": [theirs_user]})).await;
        assert_invalid(status, &body, &["user_ids"]);
        let engineers = id_of(&group(&app, "Engineers", json!({})).await, "user_group_id");
        let (status, body) = app.post(&format!("/v2/user-group/{engineers}/add-users"), json!({"user_ids": [theirs_user]})).await;
        assert_invalid(status, &body, &["user_ids"]);
        let user = get_ok(&app, &format!("/v2/user/{ada}")).await;
        assert_eq!((&user["user_role_ids"], &user["user_group_ids"]), (&json!([]), &json!([])));
        let (_, theirs) = as_other(&app, Method::GET, &format!("/v2/user-group/{theirs_group}"), None).await;
        assert_eq!(theirs["roles"], json!([]));
    }

    async fn read_only_key_cannot_change_groups_roles_or_access(app) {
        let editor = role(&app, "Editor", &[]).await;
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let engineers = id_of(&group(&app, "Engineers", json!({})).await, "user_group_id");
        let writes = [
            (Method::POST, "/v2/add-user-group".to_owned(), json!({"user_group_name": "Sales"})),
            (Method::PATCH, format!("/v2/user-group/{engineers}"), json!({"user_group_name": "Builders"})),
            (Method::DELETE, format!("/v2/user-group/{engineers}"), Value::Null),
            (Method::POST, format!("/v2/user-group/{engineers}/add-users"), json!({"user_ids": [ada]})),
            (Method::POST, format!("/v2/user-group/{engineers}/remove-users"), json!({"user_ids": [ada]})),
            (Method::POST, "/v2/add-role".to_owned(), json!({"role_name": "Viewer"})),
            (Method::PATCH, format!("/v2/role/{editor}"), json!({"role_name": "Writer"})),
            (Method::DELETE, format!("/v2/role/{editor}"), Value::Null),
            (Method::POST, format!("/v2/role/{editor}/add-assignees"), json!({"user_ids": [ada]})),
            (Method::POST, format!("/v2/role/{editor}/remove-assignees"), json!({"user_ids": [ada]})),
            (Method::PATCH, format!("/v2/user/{ada}"), json!({"user_permissions": ["ingestion"]})),
        ];
        for (method, path, body) in writes {
            let body = (!body.is_null()).then_some(body);
            let (status, answer) = as_reader(&app, method.clone(), &path, body).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {answer}");
        }
        for path in [format!("/v2/user-group/{engineers}"), format!("/v2/role/{editor}"),
                     format!("/v2/user/{ada}/access"), "/v2/permissions".to_owned()] {
            let (status, body) = as_reader(&app, Method::GET, &path, None).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
        }
        for path in ["/v2/user-groups", "/v2/roles"] {
            let (status, body) = as_reader(&app, Method::POST, path, Some(json!({}))).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
        }
        assert_eq!(get_ok(&app, &format!("/v2/user-group/{engineers}")).await["user_group_name"], "Engineers");
        assert_eq!(get_ok(&app, &format!("/v2/role/{editor}")).await["role_name"], "Editor");
        assert_eq!(get_ok(&app, &format!("/v2/user/{ada}")).await["user_permissions"], json!([]));
    }

    async fn group_and_role_changes_are_audited(app) {
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let editor = role(&app, "Editor", &[]).await;
        let engineers = id_of(&group(&app, "Engineers", json!({})).await, "user_group_id");
        app.patch(&format!("/v2/role/{editor}"), json!({"permissions": ["ingestion"]})).await;
        app.patch(&format!("/v2/user-group/{engineers}"), json!({"role_ids": [editor]})).await;
        app.post(&format!("/v2/user-group/{engineers}/add-users"), json!({"user_ids": [ada]})).await;
        let (status, _) = app.delete(&format!("/v2/user-group/{engineers}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = app.delete(&format!("/v2/role/{editor}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let events = audit_actions(&app).await;
        let expected = [
            ("role.delete", editor.as_str()),
            ("user_group.delete", engineers.as_str()),
            ("user.update", ada.as_str()),
            ("user_group.update", engineers.as_str()),
            ("role.update", editor.as_str()),
            ("user_group.create", engineers.as_str()),
            ("role.create", editor.as_str()),
        ];
        let newest: Vec<(&str, &str)> = events.iter().take(expected.len())
            .map(|(action, id)| (action.as_str(), id.as_str())).collect();
        assert_eq!(newest, expected);
    }
}
