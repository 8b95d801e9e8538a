//! What users refer to, and the record of changes: departments (`/v2/add-department`,
//! `/v2/departments`, `/v2/department/{departmentId}`), custom field definitions
//! (`/v2/add-custom-field`, `/v2/custom-fields`, `/v2/custom-field/{fieldId}`), integrations
//! (`/v2/add-integration`, `/v2/integrations`, `/v2/integration/{integrationId}`) and the audit
//! log (`/v2/audit/list`). One test per rule, named after it.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{as_other, assert_invalid, error_params, id_of, read, TestApp};

const MISSING_ID: &str = "5f1d7a2b9c8e4d3f2a1b0c9e";
const CATALOGUE_ID: &str = "5f1d7a2b9c8e4d3f2a1b0c9d";

/// The other tenant's department, as created by the other tenant.
async fn other_department(app: &TestApp, name: &str) -> String {
    let (status, body) = as_other(
        app,
        Method::POST,
        "/v2/add-department",
        Some(json!({"department_name": name})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    id_of(&body, "department_id")
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {page}"))
}

/// The `name_field` of every item of a list page.
fn names<'a>(page: &'a Value, name_field: &str) -> Vec<&'a str> {
    items(page)
        .iter()
        .map(|item| item[name_field].as_str().expect("a name"))
        .collect()
}

/// Every audit event of the tenant, newest first (one big page). The harness's own API keys were
/// made through the directory and are audited too (`api_key.create`).
async fn audit(app: &TestApp) -> Vec<Value> {
    let (status, page) = app.get("/v2/audit/list?page_size=1000").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    items(&page).clone()
}

/// The audit events recorded since the log held `before` events, newest first.
async fn audit_since(app: &TestApp, before: usize) -> Vec<Value> {
    let mut events = audit(app).await;
    events.truncate(events.len() - before);
    events
}

fn actions(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|event| event["action"].as_str().expect("an action"))
        .collect()
}

/// `count` characters drawn pseudo-randomly from `first..first + span`: text that does not compress,
/// so a database cannot shrink it under a size limit.
fn incompressible(count: usize, first: u32, span: u32) -> String {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let offset = u32::try_from(state % u64::from(span)).expect("small");
            char::from_u32(first + offset).expect("a character")
        })
        .collect()
}

fn is_timestamp(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| chrono::DateTime::parse_from_rfc3339(text).is_ok())
}

on_both_backends! {
    // ---- departments ----

    async fn create_department_answers_201_with_the_department(app) {
        let (status, body) = app.post("/v2/add-department", json!({"department_name": "Engineering"})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = id_of(&body, "department_id");
        assert_eq!(id.len(), 24, "an ObjectId: {id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "an ObjectId: {id}");
        assert_eq!(body["department_name"], "Engineering");
        assert!(is_timestamp(&body["created_at"]), "{body}");
        assert!(is_timestamp(&body["updated_at"]), "{body}");
        let mut keys: Vec<&str> = body.as_object().expect("object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["created_at", "department_id", "department_name", "updated_at"]);
        let (status, fetched) = app.get(&format!("/v2/department/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fetched, body);
    }

    async fn create_department_requires_a_name(app) {
        let (status, body) = app.post("/v2/add-department", json!({})).await;
        assert_invalid(status, &body, &["department_name"]);
        let (status, body) = app.post("/v2/add-department", json!({"department_name": null})).await;
        assert_invalid(status, &body, &["department_name"]);
    }

    async fn create_department_rejects_a_blank_name(app) {
        for blank in ["", "   ", "\t"] {
            let (status, body) = app.post("/v2/add-department", json!({"department_name": blank})).await;
            assert_invalid(status, &body, &["department_name"]);
        }
    }

    async fn create_department_rejects_a_name_that_is_not_a_string(app) {
        let (status, body) = app.post("/v2/add-department", json!({"department_name": 7})).await;
        assert_invalid(status, &body, &["department_name"]);
    }

    async fn create_department_rejects_unknown_fields(app) {
        let (status, body) = app.post("/v2/add-department",
            json!({"department_name": "Engineering", "dept_head": "Ada"})).await;
        assert_invalid(status, &body, &["dept_head"]);
    }

    async fn create_department_rejects_a_taken_name_regardless_of_case(app) {
        app.department("Engineering").await;
        for taken in ["Engineering", "ENGINEERING", "engineering"] {
            let (status, body) = app.post("/v2/add-department", json!({"department_name": taken})).await;
            assert_eq!(status, StatusCode::CONFLICT, "{taken}: {body}");
            assert_eq!(body["code"], "CONFLICT");
            assert_eq!(error_params(&body), ["department_name"]);
        }
    }

    async fn create_department_allows_a_name_another_tenant_has(app) {
        other_department(&app, "Engineering").await;
        app.department("Engineering").await;
    }

    async fn create_department_with_a_read_only_key_is_forbidden(app) {
        let response = app.anonymous(Method::POST, "/v2/add-department").header("api-key", &app.read_key)
            .json(&json!({"department_name": "Engineering"})).send().await.expect("send");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (_, page) = app.post("/v2/departments", json!({})).await;
        assert_eq!(page["count"], 0);
    }

    async fn list_departments_answers_a_page(app) {
        for name in ["Engineering", "Sales", "Finance"] {
            app.department(name).await;
        }
        let (status, page) = app.post("/v2/departments", json!({})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["count"], 3);
        assert_eq!(page["page"], 1);
        assert_eq!(page["page_size"], 50);
        let mut listed = names(&page, "department_name");
        listed.sort_unstable();
        assert_eq!(listed, ["Engineering", "Finance", "Sales"]);
        let (status, page) = app.post("/v2/departments", json!({"page": 2, "page_size": 2})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["count"], 3);
        assert_eq!(page["page"], 2);
        assert_eq!(page["page_size"], 2);
        assert_eq!(items(&page).len(), 1);
    }

    async fn list_departments_searches_by_name(app) {
        for name in ["Engineering", "Sales", "Sales Engineering"] {
            app.department(name).await;
        }
        let (status, page) = app.post("/v2/departments", json!({"search_query": "sales"})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["count"], 2);
        let mut listed = names(&page, "department_name");
        listed.sort_unstable();
        assert_eq!(listed, ["Sales", "Sales Engineering"]);
        let (_, page) = app.post("/v2/departments", json!({"search_query": "marketing"})).await;
        assert_eq!(page["count"], 0);
        assert!(items(&page).is_empty());
    }

    async fn list_departments_rejects_a_search_longer_than_any_name(app) {
        app.department("Engineering").await;
        let (status, body) = app.post("/v2/departments", json!({"search_query": "e".repeat(100_000)})).await;
        assert_invalid(status, &body, &["search_query"]);
        let (status, body) = app.post("/v2/integrations", json!({"search_query": "e".repeat(257)})).await;
        assert_invalid(status, &body, &["search_query"]);
        let (status, page) = app.post("/v2/departments", json!({"search_query": "e".repeat(256)})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["count"], 0);
    }

    async fn list_departments_rejects_a_bad_page(app) {
        let (status, body) = app.post("/v2/departments", json!({"page": 0, "page_size": "ten", "sort": 1})).await;
        assert_invalid(status, &body, &["page", "page_size", "sort"]);
    }

    async fn list_departments_shows_only_the_tenants_own(app) {
        app.department("Engineering").await;
        other_department(&app, "Theirs").await;
        let (_, page) = app.post("/v2/departments", json!({})).await;
        assert_eq!(names(&page, "department_name"), ["Engineering"]);
        assert_eq!(page["count"], 1);
    }

    async fn department_rejects_an_id_that_is_not_an_object_id(app) {
        let (status, body) = app.get("/v2/department/not-an-id").await;
        assert_invalid(status, &body, &["departmentId"]);
        assert_eq!(body["errors"][0]["location"], "params");
        let (status, body) = app.patch("/v2/department/123", json!({"department_name": "X"})).await;
        assert_invalid(status, &body, &["departmentId"]);
        let (status, body) = app.delete("/v2/department/zzzzzzzzzzzzzzzzzzzzzzzz").await;
        assert_invalid(status, &body, &["departmentId"]);
    }

    async fn department_that_does_not_exist_is_not_found(app) {
        let path = format!("/v2/department/{MISSING_ID}");
        let (status, body) = app.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["code"], "NOT_FOUND");
        let (status, _) = app.patch(&path, json!({"department_name": "X"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn department_of_another_tenant_is_not_found_and_untouched(app) {
        let theirs = other_department(&app, "Theirs").await;
        let path = format!("/v2/department/{theirs}");
        let (status, body) = app.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!body.to_string().contains("Theirs"), "{body}");
        let (status, _) = app.patch(&path, json!({"department_name": "Mine"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, department) = as_other(&app, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(department["department_name"], "Theirs");
    }

    async fn update_department_renames_it(app) {
        let id = app.department("Engineering").await;
        let (_, before) = app.get(&format!("/v2/department/{id}")).await;
        let (status, department) = app.patch(&format!("/v2/department/{id}"),
            json!({"department_name": "Research"})).await;
        assert_eq!(status, StatusCode::OK, "{department}");
        assert_eq!(department["department_id"], id.as_str());
        assert_eq!(department["department_name"], "Research");
        assert_eq!(department["created_at"], before["created_at"]);
        let (_, fetched) = app.get(&format!("/v2/department/{id}")).await;
        assert_eq!(fetched, department);
    }

    async fn update_department_accepts_its_own_name_in_another_case(app) {
        let id = app.department("Engineering").await;
        let (status, department) = app.patch(&format!("/v2/department/{id}"),
            json!({"department_name": "ENGINEERING"})).await;
        assert_eq!(status, StatusCode::OK, "{department}");
        assert_eq!(department["department_name"], "ENGINEERING");
    }

    async fn update_department_rejects_a_name_another_department_has(app) {
        app.department("Engineering").await;
        let id = app.department("Sales").await;
        let (status, body) = app.patch(&format!("/v2/department/{id}"),
            json!({"department_name": "engineering"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(error_params(&body), ["department_name"]);
        let (_, department) = app.get(&format!("/v2/department/{id}")).await;
        assert_eq!(department["department_name"], "Sales");
    }

    async fn update_department_rejects_a_blank_or_null_name_and_unknown_fields(app) {
        let id = app.department("Engineering").await;
        let path = format!("/v2/department/{id}");
        let (status, body) = app.patch(&path, json!({"department_name": " "})).await;
        assert_invalid(status, &body, &["department_name"]);
        let (status, body) = app.patch(&path, json!({"department_name": null})).await;
        assert_invalid(status, &body, &["department_name"]);
        let (status, body) = app.patch(&path, json!({"name": "Research"})).await;
        assert_invalid(status, &body, &["name"]);
    }

    async fn delete_department_answers_204_and_it_is_gone(app) {
        let id = app.department("Engineering").await;
        let (status, body) = app.delete(&format!("/v2/department/{id}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert!(body.is_null(), "no body: {body}");
        let (status, _) = app.get(&format!("/v2/department/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&format!("/v2/department/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn delete_department_is_refused_while_a_user_is_in_it(app) {
        let department = app.department("Engineering").await;
        let other = app.department("Research").await;
        let user = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, _) = app.patch(&format!("/v2/user/{user}"), json!({"user_department_id": department})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = app.delete(&format!("/v2/department/{department}")).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "CONFLICT");
        let (status, _) = app.get(&format!("/v2/department/{department}")).await;
        assert_eq!(status, StatusCode::OK, "still there");
        let (status, _) = app.patch(&format!("/v2/user/{user}"), json!({"user_department_id": other})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = app.delete(&format!("/v2/department/{department}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let (_, user) = app.get(&format!("/v2/user/{user}")).await;
        assert_eq!(user["user_department_id"], other.as_str());
    }

    // ---- custom fields ----

    async fn create_custom_field_answers_201_with_the_field(app) {
        let (status, body) = app.post("/v2/add-custom-field", json!({
            "field_name": "Location", "field_type": "select", "field_options": ["India", "France"], "entity": "user",
        })).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = id_of(&body, "field_id");
        assert_eq!(body, json!({
            "field_id": id, "field_name": "Location", "field_type": "select",
            "field_options": ["India", "France"], "entity": "user",
        }));
        let (status, fetched) = app.get(&format!("/v2/custom-field/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fetched, body);
    }

    async fn create_custom_field_accepts_every_type(app) {
        for field_type in ["text", "number", "date", "bool"] {
            let (status, body) = app.post("/v2/add-custom-field", json!({
                "field_name": format!("A {field_type}"), "field_type": field_type, "entity": "user",
            })).await;
            assert_eq!(status, StatusCode::CREATED, "{field_type}: {body}");
            assert_eq!(body["field_type"], field_type);
            assert_eq!(body["field_options"], json!([]));
        }
        let (status, body) = app.post("/v2/add-custom-field", json!({
            "field_name": "A select", "field_type": "select", "field_options": ["a"], "entity": "user",
        })).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["field_type"], "select");
    }

    async fn create_custom_field_requires_options_for_a_select(app) {
        let (status, body) = app.post("/v2/add-custom-field",
            json!({"field_name": "Location", "field_type": "select", "entity": "user"})).await;
        assert_invalid(status, &body, &["field_options"]);
        let (status, body) = app.post("/v2/add-custom-field",
            json!({"field_name": "Location", "field_type": "select", "field_options": [], "entity": "user"})).await;
        assert_invalid(status, &body, &["field_options"]);
    }

    async fn create_custom_field_rejects_blank_or_repeated_select_options(app) {
        for options in [json!(["India", "India"]), json!(["India", " "])] {
            let (status, body) = app.post("/v2/add-custom-field", json!({
                "field_name": "Location", "field_type": "select", "field_options": options, "entity": "user",
            })).await;
            assert_invalid(status, &body, &["field_options"]);
        }
    }

    async fn create_custom_field_rejects_options_on_a_field_that_is_not_a_select(app) {
        for field_type in ["text", "number", "date", "bool"] {
            let (status, body) = app.post("/v2/add-custom-field", json!({
                "field_name": "Nickname", "field_type": field_type, "field_options": ["a"], "entity": "user",
            })).await;
            assert_invalid(status, &body, &["field_options"]);
        }
    }

    async fn create_custom_field_rejects_an_unknown_type(app) {
        for field_type in ["string", "Text", "", "multiselect"] {
            let (status, body) = app.post("/v2/add-custom-field",
                json!({"field_name": "Nickname", "field_type": field_type, "entity": "user"})).await;
            assert_invalid(status, &body, &["field_type"]);
        }
    }

    async fn create_custom_field_rejects_an_unknown_entity(app) {
        for entity in ["group", "apps", ""] {
            let (status, body) = app.post("/v2/add-custom-field",
                json!({"field_name": "Nickname", "field_type": "text", "entity": entity})).await;
            assert_invalid(status, &body, &["entity"]);
        }
    }

    async fn create_custom_field_requires_name_type_and_entity(app) {
        let (status, body) = app.post("/v2/add-custom-field", json!({})).await;
        assert_invalid(status, &body, &["field_name", "field_type", "entity"]);
    }

    async fn create_custom_field_accepts_the_plural_entities(app) {
        let (status, body) = app.post("/v2/add-custom-field",
            json!({"field_name": "Nickname", "field_type": "text", "entity": "users"})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["entity"], "user");
        let (status, body) = app.post("/v2/add-custom-field",
            json!({"field_name": "Cost center", "field_type": "text", "entity": "applications"})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["entity"], "application");
    }

    async fn create_custom_field_rejects_a_name_taken_in_the_same_entity(app) {
        app.custom_field("Nickname", "text", &[]).await;
        for taken in ["Nickname", "NICKNAME"] {
            let (status, body) = app.post("/v2/add-custom-field",
                json!({"field_name": taken, "field_type": "number", "entity": "users"})).await;
            assert_eq!(status, StatusCode::CONFLICT, "{taken}: {body}");
            assert_eq!(error_params(&body), ["field_name"]);
        }
    }

    async fn create_custom_field_allows_the_same_name_for_users_and_applications(app) {
        app.custom_field("Owner", "text", &[]).await;
        let (status, body) = app.post("/v2/add-custom-field",
            json!({"field_name": "Owner", "field_type": "text", "entity": "application"})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    async fn list_custom_fields_groups_them_by_entity(app) {
        let location = app.custom_field("Location", "select", &["India", "France"]).await;
        let nickname = app.custom_field("Nickname", "text", &[]).await;
        let (_, cost) = app.post("/v2/add-custom-field",
            json!({"field_name": "Cost center", "field_type": "number", "entity": "application"})).await;
        let (status, groups) = app.get("/v2/custom-fields").await;
        assert_eq!(status, StatusCode::OK, "{groups}");
        let mut keys: Vec<&str> = groups.as_object().expect("object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["applications", "users"]);
        let mut users: Vec<&str> = groups["users"].as_array().expect("users").iter()
            .map(|field| field["field_id"].as_str().expect("id")).collect();
        users.sort_unstable();
        let mut expected = [location.as_str(), nickname.as_str()];
        expected.sort_unstable();
        assert_eq!(users, expected);
        assert_eq!(groups["applications"], json!([cost]));
    }

    async fn list_custom_fields_shows_only_the_tenants_own(app) {
        app.custom_field("Nickname", "text", &[]).await;
        let (status, _) = as_other(&app, Method::POST, "/v2/add-custom-field",
            Some(json!({"field_name": "Theirs", "field_type": "text", "entity": "user"}))).await;
        assert_eq!(status, StatusCode::CREATED);
        let (_, groups) = app.get("/v2/custom-fields").await;
        assert_eq!(groups["users"].as_array().expect("users").len(), 1);
        assert_eq!(groups["users"][0]["field_name"], "Nickname");
        assert_eq!(groups["applications"], json!([]));
    }

    async fn custom_field_rejects_an_id_that_is_not_an_object_id(app) {
        let (status, body) = app.get("/v2/custom-field/nope").await;
        assert_invalid(status, &body, &["fieldId"]);
        assert_eq!(body["errors"][0]["location"], "params");
        let (status, body) = app.patch("/v2/custom-field/nope", json!({"field_name": "X"})).await;
        assert_invalid(status, &body, &["fieldId"]);
        let (status, body) = app.delete("/v2/custom-field/nope").await;
        assert_invalid(status, &body, &["fieldId"]);
    }

    async fn custom_field_that_does_not_exist_is_not_found(app) {
        let path = format!("/v2/custom-field/{MISSING_ID}");
        let (status, body) = app.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, _) = app.patch(&path, json!({"field_name": "X"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn custom_field_of_another_tenant_is_not_found(app) {
        let (_, theirs) = as_other(&app, Method::POST, "/v2/add-custom-field",
            Some(json!({"field_name": "Theirs", "field_type": "text", "entity": "user"}))).await;
        let path = format!("/v2/custom-field/{}", id_of(&theirs, "field_id"));
        let (status, _) = app.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.patch(&path, json!({"field_name": "Mine"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, field) = as_other(&app, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(field["field_name"], "Theirs");
    }

    async fn update_custom_field_renames_it(app) {
        let id = app.custom_field("Nickname", "text", &[]).await;
        let (status, field) = app.patch(&format!("/v2/custom-field/{id}"), json!({"field_name": "Alias"})).await;
        assert_eq!(status, StatusCode::OK, "{field}");
        assert_eq!(field["field_name"], "Alias");
        assert_eq!(field["field_type"], "text");
        let (_, fetched) = app.get(&format!("/v2/custom-field/{id}")).await;
        assert_eq!(fetched, field);
    }

    async fn update_custom_field_rejects_a_name_taken_in_the_same_entity(app) {
        app.custom_field("Nickname", "text", &[]).await;
        let id = app.custom_field("Alias", "text", &[]).await;
        let (status, body) = app.patch(&format!("/v2/custom-field/{id}"), json!({"field_name": "nickname"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(error_params(&body), ["field_name"]);
    }

    async fn update_custom_field_changes_the_options_of_a_select(app) {
        let id = app.custom_field("Location", "select", &["India", "France"]).await;
        let (status, field) = app.patch(&format!("/v2/custom-field/{id}"),
            json!({"field_options": ["India", "France", "Spain"]})).await;
        assert_eq!(status, StatusCode::OK, "{field}");
        assert_eq!(field["field_options"], json!(["India", "France", "Spain"]));
        let user = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = app.patch(&format!("/v2/user/{user}"),
            json!({"user_custom_fields": [{"field_id": id, "field_value": "Spain"}]})).await;
        assert_eq!(status, StatusCode::OK, "the new option is accepted: {body}");
        let (status, body) = app.patch(&format!("/v2/custom-field/{id}"), json!({"field_options": []})).await;
        assert_invalid(status, &body, &["field_options"]);
    }

    async fn update_custom_field_rejects_options_on_a_field_that_is_not_a_select(app) {
        let id = app.custom_field("Nickname", "text", &[]).await;
        let (status, body) = app.patch(&format!("/v2/custom-field/{id}"), json!({"field_options": ["a"]})).await;
        assert_invalid(status, &body, &["field_options"]);
    }

    async fn update_custom_field_refuses_to_change_the_type_or_entity(app) {
        let id = app.custom_field("Nickname", "text", &[]).await;
        let path = format!("/v2/custom-field/{id}");
        let (status, body) = app.patch(&path, json!({"field_type": "number"})).await;
        assert_invalid(status, &body, &["field_type"]);
        let (status, body) = app.patch(&path, json!({"entity": "application"})).await;
        assert_invalid(status, &body, &["entity"]);
        let (status, body) = app.patch(&path, json!({"field_name": "Alias", "field_type": "text", "entity": "user"})).await;
        assert_invalid(status, &body, &["field_type", "entity"]);
        let (_, field) = app.get(&path).await;
        assert_eq!(field["field_name"], "Nickname", "nothing was written");
        assert_eq!(field["field_type"], "text");
        assert_eq!(field["entity"], "user");
    }

    async fn a_text_custom_value_may_be_4096_characters_of_any_kind(app) {
        let user = app.user("ada@example.com", "Ada Lovelace").await;
        let field = app.custom_field("Notes", "text", &[]).await;
        // Letters and digits (1 byte each in UTF-8), CJK (3 bytes), and CJK extension B (4 bytes).
        for value in [incompressible(4096, u32::from('0'), 75),
            incompressible(4096, 0x4E00, 0x5000), incompressible(4096, 0x2_0000, 0xA000)] {
            let (status, body) = app.patch(&format!("/v2/user/{user}"),
                json!({"user_custom_fields": [{"field_id": field, "field_value": value}]})).await;
            assert_eq!(status, StatusCode::OK, "{}", body["errors"]);
            assert_eq!(body["user_custom_fields"][0]["field_value"], value.as_str());
            let (status, page) = app.post("/v2/users", json!({"filter_by": [{"field_id": "custom_fields",
                "field_values": {"custom_field_id": field, "custom_field_values": [value]}}]})).await;
            assert_eq!(status, StatusCode::OK, "{}", page["errors"]);
            assert_eq!(page["count"], 1, "the value is found by a filter");
        }
        let (status, body) = app.patch(&format!("/v2/user/{user}"),
            json!({"user_custom_fields": [{"field_id": field, "field_value": "x".repeat(4097)}]})).await;
        assert_invalid(status, &body, &["user_custom_fields[0].field_value"]);
    }

    async fn delete_custom_field_removes_it_and_its_values(app) {
        let nickname = app.custom_field("Nickname", "text", &[]).await;
        let floor = app.custom_field("Floor", "number", &[]).await;
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let grace = app.user("grace@example.com", "Grace Hopper").await;
        for user in [&ada, &grace] {
            let (status, body) = app.patch(&format!("/v2/user/{user}"), json!({"user_custom_fields": [
                {"field_id": nickname, "field_value": "Nick"}, {"field_id": floor, "field_value": 3}]})).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        let (status, body) = app.delete(&format!("/v2/custom-field/{nickname}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let (status, _) = app.get(&format!("/v2/custom-field/{nickname}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        for user in [&ada, &grace] {
            let (_, user) = app.get(&format!("/v2/user/{user}")).await;
            assert_eq!(user["user_custom_fields"], json!([{"field_id": floor, "field_value": 3}]));
        }
        let (_, groups) = app.get("/v2/custom-fields").await;
        assert_eq!(groups["users"].as_array().expect("users").len(), 1);
        let (status, body) = app.patch(&format!("/v2/user/{ada}"),
            json!({"user_custom_fields": [{"field_id": nickname, "field_value": "Nick"}]})).await;
        assert_invalid(status, &body, &["user_custom_fields[0].field_id"]);
    }

    // ---- integrations ----

    async fn create_integration_answers_201_with_the_integration(app) {
        let (status, body) = app.post("/v2/add-integration", json!({
            "keyword": "okta", "integration_id": CATALOGUE_ID, "integration_name": "Okta",
        })).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = id_of(&body, "org_integration_id");
        assert_eq!(id.len(), 24, "an ObjectId: {id}");
        assert_eq!(body["keyword"], "okta");
        assert_eq!(body["integration_id"], CATALOGUE_ID);
        assert_eq!(body["integration_name"], "Okta");
        assert!(is_timestamp(&body["created_at"]), "{body}");
        assert!(is_timestamp(&body["updated_at"]), "{body}");
        let (status, fetched) = app.get(&format!("/v2/integration/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fetched, body);
    }

    async fn create_integration_requires_all_three_fields(app) {
        let (status, body) = app.post("/v2/add-integration", json!({})).await;
        assert_invalid(status, &body, &["keyword", "integration_id", "integration_name"]);
        let (status, body) = app.post("/v2/add-integration",
            json!({"keyword": "okta", "integration_id": CATALOGUE_ID})).await;
        assert_invalid(status, &body, &["integration_name"]);
        let (status, body) = app.post("/v2/add-integration",
            json!({"keyword": " ", "integration_id": CATALOGUE_ID, "integration_name": null})).await;
        assert_invalid(status, &body, &["keyword", "integration_name"]);
    }

    async fn create_integration_requires_an_object_id_for_integration_id(app) {
        for bad in ["okta", "5f1d7a2b9c8e4d3f2a1b0c9", "5f1d7a2b9c8e4d3f2a1b0c9z", ""] {
            let (status, body) = app.post("/v2/add-integration",
                json!({"keyword": "okta", "integration_id": bad, "integration_name": "Okta"})).await;
            assert_invalid(status, &body, &["integration_id"]);
        }
        let (_, page) = app.post("/v2/integrations", json!({})).await;
        assert_eq!(page["count"], 0);
    }

    async fn list_integrations_answers_a_page(app) {
        let (okta, _) = app.integration("okta").await;
        let (google, _) = app.integration("google").await;
        let (status, page) = app.post("/v2/integrations", json!({})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["count"], 2);
        assert_eq!(page["page"], 1);
        let mut ids: Vec<&str> = items(&page).iter()
            .map(|item| item["org_integration_id"].as_str().expect("id")).collect();
        ids.sort_unstable();
        let mut expected = [okta.as_str(), google.as_str()];
        expected.sort_unstable();
        assert_eq!(ids, expected);
        let (_, page) = app.post("/v2/integrations", json!({"search_query": "okt"})).await;
        assert_eq!(names(&page, "keyword"), ["okta"]);
        let (_, page) = app.post("/v2/integrations", json!({"page_size": 1})).await;
        assert_eq!(page["count"], 2);
        assert_eq!(items(&page).len(), 1);
    }

    async fn list_integrations_shows_only_the_tenants_own(app) {
        app.integration("okta").await;
        let (status, _) = as_other(&app, Method::POST, "/v2/add-integration", Some(json!({
            "keyword": "google", "integration_id": CATALOGUE_ID, "integration_name": "Google",
        }))).await;
        assert_eq!(status, StatusCode::CREATED);
        let (_, page) = app.post("/v2/integrations", json!({})).await;
        assert_eq!(names(&page, "keyword"), ["okta"]);
    }

    async fn integration_rejects_an_id_that_is_not_an_object_id(app) {
        let (status, body) = app.get("/v2/integration/okta").await;
        assert_invalid(status, &body, &["integrationId"]);
        assert_eq!(body["errors"][0]["location"], "params");
        let (status, body) = app.patch("/v2/integration/okta", json!({"keyword": "x"})).await;
        assert_invalid(status, &body, &["integrationId"]);
        let (status, body) = app.delete("/v2/integration/okta").await;
        assert_invalid(status, &body, &["integrationId"]);
    }

    async fn integration_that_does_not_exist_is_not_found(app) {
        let path = format!("/v2/integration/{MISSING_ID}");
        let (status, body) = app.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, _) = app.patch(&path, json!({"keyword": "x"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn integration_of_another_tenant_is_not_found(app) {
        let (_, theirs) = as_other(&app, Method::POST, "/v2/add-integration", Some(json!({
            "keyword": "google", "integration_id": CATALOGUE_ID, "integration_name": "Google",
        }))).await;
        let path = format!("/v2/integration/{}", id_of(&theirs, "org_integration_id"));
        let (status, _) = app.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.patch(&path, json!({"keyword": "mine"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, integration) = as_other(&app, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(integration["keyword"], "google");
    }

    async fn update_integration_changes_only_the_fields_given(app) {
        let (id, _) = app.integration("okta").await;
        let path = format!("/v2/integration/{id}");
        let (status, integration) = app.patch(&path, json!({"integration_name": "Okta SSO"})).await;
        assert_eq!(status, StatusCode::OK, "{integration}");
        assert_eq!(integration["integration_name"], "Okta SSO");
        assert_eq!(integration["keyword"], "okta");
        assert_eq!(integration["integration_id"], CATALOGUE_ID);
        let (status, integration) = app.patch(&path,
            json!({"keyword": "okta2", "integration_id": MISSING_ID})).await;
        assert_eq!(status, StatusCode::OK, "{integration}");
        assert_eq!(integration["keyword"], "okta2");
        assert_eq!(integration["integration_id"], MISSING_ID);
        assert_eq!(integration["integration_name"], "Okta SSO");
        let (_, fetched) = app.get(&path).await;
        assert_eq!(fetched, integration);
    }

    async fn update_integration_rejects_invalid_fields(app) {
        let (id, _) = app.integration("okta").await;
        let (status, body) = app.patch(&format!("/v2/integration/{id}"),
            json!({"integration_id": "nope", "keyword": null, "integration_name": "", "name": "x"})).await;
        assert_invalid(status, &body, &["integration_id", "keyword", "integration_name", "name"]);
    }

    async fn delete_integration_answers_204_and_it_is_gone(app) {
        let (id, _) = app.integration("okta").await;
        let (status, _) = app.delete(&format!("/v2/integration/{id}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = app.get(&format!("/v2/integration/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn delete_integration_is_refused_while_a_user_has_it_as_primary_source(app) {
        let (integration, catalogue_id) = app.integration("okta").await;
        let user = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = app.patch(&format!("/v2/user/{user}"), json!({"primary_source": {
            "keyword": "okta", "org_integration_id": integration, "integration_id": catalogue_id}})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = app.delete(&format!("/v2/integration/{integration}")).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "CONFLICT");
        let (status, _) = app.get(&format!("/v2/integration/{integration}")).await;
        assert_eq!(status, StatusCode::OK, "still there");
        let (status, _) = app.patch(&format!("/v2/user/{user}"), json!({"primary_source": null})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = app.delete(&format!("/v2/integration/{integration}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }

    // ---- audit ----

    async fn audit_list_answers_a_page_of_events_newest_first(app) {
        let before = audit(&app).await.len();
        let first = app.department("Engineering").await;
        let second = app.department("Sales").await;
        let (status, page) = app.get("/v2/audit/list").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["count"], before + 2);
        assert_eq!(page["page"], 1);
        assert_eq!(page["page_size"], 50);
        let events = items(&page);
        assert_eq!(events.len(), before + 2);
        assert_eq!(events[0]["entity_id"], second.as_str(), "newest first");
        assert_eq!(events[1]["entity_id"], first.as_str());
        let times: Vec<_> = events.iter()
            .map(|event| chrono::DateTime::parse_from_rfc3339(event["created_at"].as_str().expect("time")).expect("rfc3339"))
            .collect();
        assert!(times.windows(2).all(|pair| pair[0] >= pair[1]), "newest first: {times:?}");
        let event = &events[0];
        let mut keys: Vec<&str> = event.as_object().expect("object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["action", "actor", "audit_id", "changes", "created_at", "entity_id", "entity_type"]);
        assert!(event["audit_id"].is_string());
        assert!(event["actor"]["key_id"].is_string(), "{event}");
        assert_eq!(event["actor"]["name"], "tests");
        assert!(is_timestamp(&event["created_at"]));
        assert!(!event["changes"].as_array().expect("changes").is_empty(), "{event}");
        for change in event["changes"].as_array().expect("changes") {
            let mut keys: Vec<&str> = change.as_object().expect("object").keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["after", "before", "field"], "{change}");
        }
        let mut ids: Vec<&str> = events.iter().map(|event| event["audit_id"].as_str().expect("id")).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), events.len(), "audit ids are distinct");
    }

    async fn audit_list_pages(app) {
        for name in ["A", "B", "C"] {
            app.department(name).await;
        }
        let all = audit(&app).await;
        assert!(all.len() >= 3);
        let (status, page) = app.get("/v2/audit/list?page=2&page_size=2").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["count"], all.len());
        assert_eq!(page["page"], 2);
        assert_eq!(page["page_size"], 2);
        assert_eq!(items(&page).as_slice(), &all[2..all.len().min(4)]);
        let (status, page) = app.get(&format!("/v2/audit/list?page={}&page_size=2", all.len())).await;
        assert_eq!(status, StatusCode::OK, "a page past the end is empty: {page}");
        assert!(items(&page).is_empty());
    }

    async fn audit_records_creating_renaming_and_deleting_a_department(app) {
        let before = audit(&app).await.len();
        let id = app.department("Engineering").await;
        app.patch(&format!("/v2/department/{id}"), json!({"department_name": "Research"})).await;
        let (status, _) = app.delete(&format!("/v2/department/{id}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let events = audit_since(&app, before).await;
        assert_eq!(actions(&events), ["department.delete", "department.update", "department.create"]);
        for event in &events {
            assert_eq!(event["entity_id"], id.as_str());
            assert_eq!(event["entity_type"], "department");
        }
        let rename = &events[1];
        let name_change = rename["changes"].as_array().expect("changes").iter()
            .find(|change| change["field"] == "name")
            .unwrap_or_else(|| panic!("no name change in {rename}"));
        assert_eq!(name_change["before"], "Engineering");
        assert_eq!(name_change["after"], "Research");
    }

    async fn audit_records_nothing_for_a_refused_or_empty_change(app) {
        let id = app.department("Engineering").await;
        app.department("Sales").await;
        let before = audit(&app).await.len();
        let (status, _) = app.patch(&format!("/v2/department/{id}"), json!({"department_name": "Sales"})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = app.patch(&format!("/v2/department/{id}"), json!({"department_name": "Engineering"})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = app.post("/v2/add-department", json!({"department_name": ""})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = app.post("/v2/add-department", json!({"department_name": "sales"})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(audit_since(&app, before).await, Vec::<Value>::new());
    }

    async fn audit_records_custom_field_and_integration_changes(app) {
        let before = audit(&app).await.len();
        let field = app.custom_field("Nickname", "text", &[]).await;
        app.patch(&format!("/v2/custom-field/{field}"), json!({"field_name": "Alias"})).await;
        app.delete(&format!("/v2/custom-field/{field}")).await;
        let (integration, _) = app.integration("okta").await;
        app.patch(&format!("/v2/integration/{integration}"), json!({"integration_name": "Okta SSO"})).await;
        app.delete(&format!("/v2/integration/{integration}")).await;
        let events = audit_since(&app, before).await;
        assert_eq!(actions(&events), ["integration.delete", "integration.update", "integration.create",
            "custom_field.delete", "custom_field.update", "custom_field.create"]);
    }

    async fn audit_list_rejects_a_page_that_is_not_a_positive_integer(app) {
        for (query, param) in [("page=0", "page"), ("page=-1", "page"), ("page=x", "page"),
            ("page_size=abc", "page_size"), ("page_size=0", "page_size")] {
            let (status, body) = app.get(&format!("/v2/audit/list?{query}")).await;
            assert_invalid(status, &body, &[param]);
            assert_eq!(body["errors"][0]["location"], "query", "{query}: {body}");
        }
        let (status, body) = app.get("/v2/audit/list?page=0&page_size=abc").await;
        assert_invalid(status, &body, &["page", "page_size"]);
    }

    async fn audit_list_never_shows_another_tenants_events(app) {
        let (_, theirs_before) = as_other(&app, Method::GET, "/v2/audit/list", None).await;
        let mine = app.department("Engineering").await;
        let theirs = other_department(&app, "Theirs").await;
        let events = audit(&app).await;
        assert!(events.iter().any(|event| event["entity_id"] == mine.as_str()));
        assert!(events.iter().all(|event| event["entity_id"] != theirs.as_str()));
        assert!(!serde_json::to_string(&events).expect("json").contains("Theirs"));
        let (status, page) = as_other(&app, Method::GET, "/v2/audit/list?page_size=1000", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["count"], theirs_before["count"].as_u64().expect("count") + 1);
        assert_eq!(page["items"][0]["entity_id"], theirs.as_str());
        assert!(items(&page).iter().all(|event| event["entity_id"] != mine.as_str()));
        assert!(!page.to_string().contains("Engineering"));
    }

    async fn audit_list_is_readable_with_a_read_key_but_not_without_a_key(app) {
        let id = app.department("Engineering").await;
        let response = app.anonymous(Method::GET, "/v2/audit/list").header("api-key", &app.read_key)
            .send().await.expect("send");
        let (status, page) = read(response).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["items"][0]["entity_id"], id.as_str());
        let response = app.anonymous(Method::GET, "/v2/audit/list").send().await.expect("send");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
}

on_both_backends! {
    async fn a_department_in_use_is_a_conflict_of_the_department_not_of_a_field(app) {
        let department = app.department("Engineering").await;
        let user = app.user("ada@example.com", "Ada").await;
        app.patch(&format!("/v2/user/{user}"), json!({"user_department_id": department})).await;
        let (status, body) = app.delete(&format!("/v2/department/{department}")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["code"], "CONFLICT");
        assert!(body["errors"][0].get("param").is_none(), "{body}");
        assert!(body["errors"][0]["msg"].as_str().expect("msg").contains("1 user"), "{body}");
    }
}
