//! The native user endpoints besides the update: `POST /v2/add-user`, `GET|DELETE /v2/user/{userId}`,
//! `POST /v2/users` (list) and `POST /v2/userIds`; one test per rule.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{as_other, as_reader, assert_invalid, error_params, id_of, read, TestApp};

const MISSING_ID: &str = "5f1d7a2b9c8e4d3f2a1b0c9e";

/// Creates a user with more fields than the harness's `user()` sets; returns the whole answer.
async fn create(app: &TestApp, email: &str, user_name: &str, extra: Value) -> Value {
    let mut body = json!({"user_name": user_name, "user_email": email});
    for (key, value) in extra.as_object().expect("extra fields are an object") {
        body[key] = value.clone();
    }
    let (status, user) = app.post("/v2/add-user", body).await;
    assert_eq!(status, StatusCode::CREATED, "create user: {user}");
    user
}

/// One page of `POST /v2/users`, which must succeed.
async fn list(app: &TestApp, body: Value) -> Value {
    let (status, page) = app.post("/v2/users", body).await;
    assert_eq!(status, StatusCode::OK, "list users: {page}");
    page
}

/// The emails of a page's items, in the order answered.
fn emails(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {page}"))
        .iter()
        .map(|user| id_of(user, "user_email"))
        .collect()
}

/// The emails of a page's items, sorted, for comparing sets.
fn email_set(page: &Value) -> Vec<String> {
    let mut emails = emails(page);
    emails.sort();
    emails
}

/// The sorted emails of the users matching one filter.
async fn filtered(app: &TestApp, filter: Value) -> Vec<String> {
    email_set(&list(app, json!({"filter_by": [filter]})).await)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| item.to_string()).collect()
}

on_both_backends! {
    // ---- POST /v2/add-user ----

    async fn create_user_answers_201_with_the_whole_user_an_etag_and_a_location(app) {
        let response = app.request(Method::POST, "/v2/add-user")
            .json(&json!({"user_name": "Ada Lovelace", "user_email": "ada@example.com"}))
            .send().await.expect("send");
        let header = |name: &str| response.headers().get(name)
            .unwrap_or_else(|| panic!("no {name} header")).to_str().expect("ascii").to_owned();
        let (etag, location) = (header("etag"), header("location"));
        let (status, user) = read(response).await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        let id = id_of(&user, "user_id");
        assert_eq!(id.len(), 24, "an ObjectId: {id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "an ObjectId: {id}");
        assert_eq!(etag, format!("\"{}\"", user["version"]));
        assert_eq!(location, format!("/v2/user/{id}"));
        assert_eq!(user["user_name"], "Ada Lovelace");
        assert_eq!(user["user_email"], "ada@example.com");
        for field in ["user_id", "user_name", "user_email", "user_personal_email", "user_department_id",
            "user_status", "reporting_manager_id", "user_designation", "user_account_type", "user_archive",
            "optimization_inclusion", "primary_source", "user_custom_fields", "created_at", "updated_at", "version"] {
            assert!(user.get(field).is_some(), "{field} missing from {user}");
        }
        let (status, fetched) = app.get(&location).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fetched, user, "the Location reads back the user the create answered");
    }

    async fn create_user_requires_user_name_and_user_email(app) {
        let (status, body) = app.post("/v2/add-user", json!({})).await;
        assert_invalid(status, &body, &["user_name", "user_email"]);
        assert_eq!(body["code"], "VALIDATION_ERROR");
        let (status, body) = app.post("/v2/add-user", json!({"user_name": "Ada Lovelace"})).await;
        assert_invalid(status, &body, &["user_email"]);
        let (status, body) = app.post("/v2/add-user", json!({"user_email": "ada@example.com"})).await;
        assert_invalid(status, &body, &["user_name"]);
        let (status, body) = app.post("/v2/add-user", json!({"user_name": null, "user_email": null})).await;
        assert_invalid(status, &body, &["user_name", "user_email"]);
        let (_, page) = app.post("/v2/users", json!({})).await;
        assert_eq!(page["count"], 0, "nothing was created");
    }

    async fn create_user_rejects_an_invalid_email(app) {
        let (status, body) = app.post("/v2/add-user",
            json!({"user_name": "Ada Lovelace", "user_email": "not-an-email", "user_personal_email": "ada@"})).await;
        assert_invalid(status, &body, &["user_email", "user_personal_email"]);
    }

    async fn create_user_defaults_status_account_type_archive_and_optimization_inclusion(app) {
        let user = create(&app, "ada@example.com", "Ada Lovelace", json!({})).await;
        assert_eq!(user["user_status"], "active");
        assert_eq!(user["user_account_type"], "employee");
        assert_eq!(user["user_archive"], false);
        assert_eq!(user["optimization_inclusion"], "include for all optimizations");
        for field in ["user_personal_email", "user_department_id", "reporting_manager_id",
            "user_designation", "primary_source"] {
            assert!(user[field].is_null(), "{field} should be null: {user}");
        }
        assert_eq!(user["user_custom_fields"], json!([]));
    }

    async fn create_user_sets_every_field_given(app) {
        let manager = app.user("grace@example.com", "Grace Hopper").await;
        let body = app.every_optional_user_field(&manager).await;
        let user = create(&app, "ada@example.com", "Ada Lovelace", body.clone()).await;
        for (key, value) in body.as_object().expect("object") {
            assert_eq!(&user[key], value, "{key}");
        }
    }

    async fn create_user_accepts_account_type_and_user_account_type(app) {
        let user = create(&app, "svc@example.com", "Backup job", json!({"account_type": "service"})).await;
        assert_eq!(user["user_account_type"], "service");
        let user = create(&app, "team@example.com", "Team list", json!({"user_account_type": "group"})).await;
        assert_eq!(user["user_account_type"], "group");
        let (status, body) = app.post("/v2/add-user",
            json!({"user_name": "Bot", "user_email": "bot@example.com", "account_type": "robot"})).await;
        assert_invalid(status, &body, &["account_type"]);
    }

    async fn create_user_resolves_reporting_manager_email_to_the_managers_id(app) {
        let manager = app.user("grace@example.com", "Grace Hopper").await;
        let user = create(&app, "ada@example.com", "Ada Lovelace",
            json!({"reporting_manager_email": "Grace@Example.com"})).await;
        assert_eq!(user["reporting_manager_id"], manager.as_str());
        assert!(user.get("reporting_manager_email").is_none(), "the answer names the manager by id: {user}");
    }

    async fn create_user_rejects_a_reporting_manager_email_no_user_has(app) {
        let (status, body) = app.post("/v2/add-user", json!({
            "user_name": "Ada Lovelace", "user_email": "ada@example.com",
            "reporting_manager_email": "nobody@example.com",
        })).await;
        assert_invalid(status, &body, &["reporting_manager_email"]);
        let (status, body) = app.post("/v2/add-user", json!({
            "user_name": "Ada Lovelace", "user_email": "ada@example.com",
            "reporting_manager_email": "not-an-email",
        })).await;
        assert_invalid(status, &body, &["reporting_manager_email"]);
        let (_, page) = app.post("/v2/users", json!({})).await;
        assert_eq!(page["count"], 0, "nothing was created");
    }

    async fn create_user_rejects_a_reporting_manager_email_of_another_tenant(app) {
        as_other(&app, Method::POST, "/v2/add-user",
            Some(json!({"user_name": "Their Boss", "user_email": "boss@other.example"}))).await;
        let (status, body) = app.post("/v2/add-user", json!({
            "user_name": "Ada Lovelace", "user_email": "ada@example.com",
            "reporting_manager_email": "boss@other.example",
        })).await;
        assert_invalid(status, &body, &["reporting_manager_email"]);
    }

    async fn create_user_rejects_both_reporting_manager_id_and_email(app) {
        let manager = app.user("grace@example.com", "Grace Hopper").await;
        let (status, body) = app.post("/v2/add-user", json!({
            "user_name": "Ada Lovelace", "user_email": "ada@example.com",
            "reporting_manager_id": manager, "reporting_manager_email": "grace@example.com",
        })).await;
        assert_invalid(status, &body, &["reporting_manager_email"]);
        let (_, page) = app.post("/v2/users", json!({})).await;
        assert_eq!(page["count"], 1, "nothing was created");
    }

    async fn create_user_rejects_a_reporting_manager_id_that_does_not_exist(app) {
        let (status, body) = app.post("/v2/add-user", json!({
            "user_name": "Ada Lovelace", "user_email": "ada@example.com", "reporting_manager_id": MISSING_ID,
        })).await;
        assert_invalid(status, &body, &["reporting_manager_id"]);
    }

    async fn create_user_rejects_an_email_another_user_has_regardless_of_case(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        for email in ["ada@example.com", "ADA@Example.COM"] {
            let (status, body) = app.post("/v2/add-user",
                json!({"user_name": "Another Ada", "user_email": email})).await;
            assert_eq!(status, StatusCode::CONFLICT, "{body}");
            assert_eq!(error_params(&body), ["user_email"]);
            assert_eq!(body["code"], "CONFLICT");
        }
        let (_, page) = app.post("/v2/users", json!({})).await;
        assert_eq!(page["count"], 1);
    }

    async fn create_user_accepts_an_email_another_tenant_has(app) {
        let (status, _) = as_other(&app, Method::POST, "/v2/add-user",
            Some(json!({"user_name": "Their Ada", "user_email": "ada@example.com"}))).await;
        assert_eq!(status, StatusCode::CREATED);
        create(&app, "ada@example.com", "Ada Lovelace", json!({})).await;
    }

    async fn create_user_accepts_onboarding_data(app) {
        let user = create(&app, "ada@example.com", "Ada Lovelace", json!({"onboardingData": {
            "assigned_to": "grace@example.com", "date": "2024-05-01", "time": "12:00 AM", "timezone_id": "Asia/Kolkata",
        }})).await;
        assert_eq!(user["user_name"], "Ada Lovelace");
        let (status, body) = app.post("/v2/add-user",
            json!({"user_name": "Grace Hopper", "user_email": "grace@example.com", "onboardingData": "soon"})).await;
        assert_invalid(status, &body, &["onboardingData"]);
    }

    async fn create_user_rejects_unknown_fields(app) {
        let (status, body) = app.post("/v2/add-user", json!({
            "user_name": "Ada Lovelace", "user_email": "ada@example.com", "user_stauts": "active", "email": "a@b.co",
        })).await;
        assert_invalid(status, &body, &["user_stauts", "email"]);
        let (_, page) = app.post("/v2/users", json!({})).await;
        assert_eq!(page["count"], 0, "nothing was created");
    }

    async fn create_user_rejects_an_invalid_department_id(app) {
        for department in ["123", MISSING_ID] {
            let (status, body) = app.post("/v2/add-user", json!({
                "user_name": "Ada Lovelace", "user_email": "ada@example.com", "user_department_id": department,
            })).await;
            assert_invalid(status, &body, &["user_department_id"]);
        }
    }

    async fn create_user_rejects_a_custom_field_value_that_does_not_fit(app) {
        let field = app.custom_field("Location", "select", &["India", "France"]).await;
        let (status, body) = app.post("/v2/add-user", json!({
            "user_name": "Ada Lovelace", "user_email": "ada@example.com",
            "user_custom_fields": [{"field_id": field, "field_value": "Spain"}],
        })).await;
        assert_invalid(status, &body, &["user_custom_fields[0].field_value"]);
        let (status, body) = app.post("/v2/add-user", json!({
            "user_name": "Ada Lovelace", "user_email": "ada@example.com",
            "user_custom_fields": [{"field_id": MISSING_ID, "field_value": "India"}],
        })).await;
        assert_invalid(status, &body, &["user_custom_fields[0].field_id"]);
    }

    async fn create_user_reports_every_failing_field_at_once(app) {
        let field = app.custom_field("Floor", "number", &[]).await;
        let (status, body) = app.post("/v2/add-user", json!({
            "user_name": "Ada Lovelace", "user_email": "ada@example.com",
            "user_status": "gone", "user_department_id": MISSING_ID,
            "reporting_manager_email": "nobody@example.com",
            "user_custom_fields": [{"field_id": field, "field_value": "third"}],
            "typo": 1,
        })).await;
        assert_invalid(status, &body, &["user_status", "user_department_id", "reporting_manager_email",
            "user_custom_fields[0].field_value", "typo"]);
    }

    async fn create_user_with_a_read_only_key_is_forbidden(app) {
        let (status, body) = as_reader(&app, Method::POST, "/v2/add-user",
            Some(json!({"user_name": "Ada Lovelace", "user_email": "ada@example.com"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["code"], "FORBIDDEN");
        let (_, page) = app.post("/v2/users", json!({})).await;
        assert_eq!(page["count"], 0, "nothing was created");
    }

    async fn create_user_without_an_api_key_is_unauthorized(app) {
        for key in [None, Some("rst_wrong")] {
            let mut request = app.anonymous(Method::POST, "/v2/add-user")
                .json(&json!({"user_name": "Ada Lovelace", "user_email": "ada@example.com"}));
            if let Some(key) = key {
                request = request.header("api-key", key);
            }
            let (status, body) = read(request.send().await.expect("send")).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
            assert_eq!(body["code"], "UNAUTHORIZED");
        }
        let (_, page) = app.post("/v2/users", json!({})).await;
        assert_eq!(page["count"], 0, "nothing was created");
    }

    async fn create_user_is_audited(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, audit) = app.get("/v2/audit/list").await;
        assert_eq!(status, StatusCode::OK);
        let event = &audit["items"][0];
        assert_eq!(event["action"], "user.create");
        assert_eq!(event["entity_id"], id.as_str());
    }

    // ---- GET /v2/user/{userId} ----

    async fn get_user_answers_the_user_with_its_version_as_etag(app) {
        let created = create(&app, "ada@example.com", "Ada Lovelace", json!({"user_designation": "Countess"})).await;
        let id = id_of(&created, "user_id");
        app.patch(&format!("/v2/user/{id}"), json!({"user_status": "inactive"})).await;
        let response = app.request(Method::GET, &format!("/v2/user/{id}")).send().await.expect("send");
        let etag = response.headers().get("etag").expect("etag").to_str().expect("ascii").to_owned();
        let (status, user) = read(response).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(user["user_id"], id.as_str());
        assert_eq!(user["user_designation"], "Countess");
        assert_eq!(user["user_status"], "inactive");
        assert_eq!(user["version"], created["version"].as_i64().expect("version") + 1);
        assert_eq!(etag, format!("\"{}\"", user["version"]));
    }

    async fn get_user_rejects_a_user_id_that_is_not_an_object_id(app) {
        for id in ["not-an-id", "5f1d7a2b9c8e4d3f2a1b0c9g", "5f1d7a2b9c8e4d3f2a1b0c9"] {
            let (status, body) = app.get(&format!("/v2/user/{id}")).await;
            assert_invalid(status, &body, &["userId"]);
            assert_eq!(body["errors"][0]["location"], "params");
        }
    }

    async fn get_user_that_does_not_exist_is_not_found(app) {
        let (status, body) = app.get(&format!("/v2/user/{MISSING_ID}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["code"], "NOT_FOUND");
    }

    async fn get_user_of_another_tenant_is_not_found_and_leaks_nothing(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = as_other(&app, Method::GET, &format!("/v2/user/{id}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["code"], "NOT_FOUND");
        let text = body.to_string();
        assert!(!text.contains("ada@example.com") && !text.contains("Lovelace"), "leaks the user: {text}");
        let (_, missing) = as_other(&app, Method::GET, &format!("/v2/user/{MISSING_ID}"), None).await;
        assert_eq!(body, missing, "another tenant's user looks exactly like a missing one");
    }

    async fn get_user_with_a_read_only_key_is_allowed(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, user) = as_reader(&app, Method::GET, &format!("/v2/user/{id}"), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(user["user_email"], "ada@example.com");
    }

    async fn get_user_without_an_api_key_is_unauthorized(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = read(app.anonymous(Method::GET, &format!("/v2/user/{id}")).send().await.expect("send")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(!body.to_string().contains("ada@example.com"));
    }

    // ---- DELETE /v2/user/{userId} ----

    async fn delete_user_answers_204_and_the_user_is_gone(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let response = app.request(Method::DELETE, &format!("/v2/user/{id}")).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        assert_eq!(response.text().await.expect("body"), "");
        let (status, _) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&format!("/v2/user/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "a second delete finds nothing");
        let (_, page) = app.post("/v2/users", json!({})).await;
        assert_eq!(page["count"], 0);
    }

    async fn delete_user_frees_the_email(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        app.delete(&format!("/v2/user/{id}")).await;
        create(&app, "ADA@example.com", "Ada Lovelace", json!({})).await;
    }

    async fn delete_user_with_custom_values_succeeds(app) {
        let field = app.custom_field("Location", "select", &["India", "France"]).await;
        let user = create(&app, "ada@example.com", "Ada Lovelace",
            json!({"user_custom_fields": [{"field_id": field, "field_value": "India"}]})).await;
        let (status, body) = app.delete(&format!("/v2/user/{}", id_of(&user, "user_id"))).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let matches = filtered(&app, json!({"field_id": "custom_fields",
            "field_values": {"custom_field_id": field, "custom_field_values": ["India"]}})).await;
        assert!(matches.is_empty());
    }

    async fn delete_user_clears_the_reporting_manager_of_their_reports_and_bumps_their_version(app) {
        let manager = app.user("grace@example.com", "Grace Hopper").await;
        let report = create(&app, "ada@example.com", "Ada Lovelace", json!({"reporting_manager_id": manager})).await;
        let other = create(&app, "alan@example.com", "Alan Turing", json!({"reporting_manager_id": manager})).await;
        let bystander = create(&app, "kay@example.com", "Kay McNulty", json!({})).await;
        let (status, _) = app.delete(&format!("/v2/user/{manager}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        for before in [&report, &other] {
            let id = id_of(before, "user_id");
            let response = app.request(Method::GET, &format!("/v2/user/{id}")).send().await.expect("send");
            let etag = response.headers().get("etag").expect("etag").to_str().expect("ascii").to_owned();
            let (status, after) = read(response).await;
            assert_eq!(status, StatusCode::OK);
            assert!(after["reporting_manager_id"].is_null(), "{after}");
            assert_eq!(after["version"], before["version"].as_i64().expect("version") + 1);
            assert_eq!(etag, format!("\"{}\"", after["version"]));
            assert_eq!(after["user_name"], before["user_name"]);
        }
        let (_, untouched) = app.get(&format!("/v2/user/{}", id_of(&bystander, "user_id"))).await;
        assert_eq!(untouched, bystander, "a user who did not report to them is untouched");
    }

    async fn delete_user_rejects_a_user_id_that_is_not_an_object_id(app) {
        let (status, body) = app.delete("/v2/user/not-an-id").await;
        assert_invalid(status, &body, &["userId"]);
    }

    async fn delete_user_of_another_tenant_is_not_found_and_untouched(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = as_other(&app, Method::DELETE, &format!("/v2/user/{id}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!body.to_string().contains("ada@example.com"));
        let (status, _) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(status, StatusCode::OK);
    }

    async fn delete_user_with_a_read_only_key_is_forbidden(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = as_reader(&app, Method::DELETE, &format!("/v2/user/{id}"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["code"], "FORBIDDEN");
        let (status, _) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(status, StatusCode::OK);
    }

    async fn delete_user_is_audited(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        app.delete(&format!("/v2/user/{id}")).await;
        let (_, audit) = app.get("/v2/audit/list").await;
        let event = &audit["items"][0];
        assert_eq!(event["action"], "user.delete");
        assert_eq!(event["entity_id"], id.as_str());
    }

    // ---- POST /v2/users ----

    async fn list_users_answers_count_page_page_size_and_items(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let page = list(&app, json!({})).await;
        let keys: Vec<&String> = page.as_object().expect("object").keys().collect();
        assert_eq!(keys.len(), 4, "{page}");
        assert_eq!(page["count"], 1);
        assert_eq!(page["page"], 1);
        assert_eq!(page["page_size"], 50);
        let (_, user) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(page["items"], json!([user]), "items are users as a read returns them");
    }

    async fn list_users_defaults_to_page_1_of_50(app) {
        for n in 0..52 {
            app.user(&format!("user{n:02}@example.com"), &format!("User {n:02}")).await;
        }
        let page = list(&app, json!({})).await;
        assert_eq!(page["page"], 1);
        assert_eq!(page["page_size"], 50);
        assert_eq!(page["count"], 52);
        assert_eq!(emails(&page).len(), 50);
        let second = list(&app, json!({"page": 2})).await;
        assert_eq!(second["page_size"], 50);
        assert_eq!(emails(&second).len(), 2);
    }

    async fn list_users_caps_page_size_at_1000(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let page = list(&app, json!({"page_size": 5000})).await;
        assert_eq!(page["page_size"], 1000);
        assert_eq!(page["count"], 1);
        let page = list(&app, json!({"page_size": 1000})).await;
        assert_eq!(page["page_size"], 1000);
    }

    async fn list_users_rejects_a_page_or_page_size_that_is_not_a_positive_integer(app) {
        let (status, body) = app.post("/v2/users", json!({"page": 0, "page_size": -1})).await;
        assert_invalid(status, &body, &["page", "page_size"]);
        let (status, body) = app.post("/v2/users", json!({"page": "2"})).await;
        assert_invalid(status, &body, &["page"]);
    }

    async fn list_users_pages_without_overlap(app) {
        let mut all = Vec::new();
        for n in 0..7 {
            let email = format!("user{n}@example.com");
            app.user(&email, &format!("User {n}")).await;
            all.push(email);
        }
        let mut seen = Vec::new();
        for (number, size) in [(1, 3), (2, 3), (3, 1)] {
            let page = list(&app, json!({"page": number, "page_size": 3})).await;
            assert_eq!(page["count"], 7, "page {number}");
            assert_eq!(page["page"], number);
            assert_eq!(page["page_size"], 3);
            let items = emails(&page);
            assert_eq!(items.len(), size, "page {number}: {page}");
            for email in items {
                assert!(!seen.contains(&email), "{email} is on two pages");
                seen.push(email);
            }
        }
        seen.sort();
        assert_eq!(seen, all);
        let beyond = list(&app, json!({"page": 4, "page_size": 3})).await;
        assert_eq!(beyond["count"], 7);
        assert_eq!(beyond["items"], json!([]));
    }

    async fn list_users_pages_in_the_sort_order_given(app) {
        for name in ["Eve", "Bob", "Dan", "Ann", "Cid"] {
            app.user(&format!("{}@example.com", name.to_lowercase()), name).await;
        }
        let mut order = Vec::new();
        for number in 1..=3 {
            let page = list(&app, json!({"page": number, "page_size": 2, "sort_by": [{"user_name": -1}]})).await;
            order.extend(emails(&page));
        }
        assert_eq!(order, strings(&["eve@example.com", "dan@example.com", "cid@example.com", "bob@example.com", "ann@example.com"]));
    }

    async fn list_users_filters_by_user_status(app) {
        create(&app, "ada@example.com", "Ada", json!({})).await;
        create(&app, "bob@example.com", "Bob", json!({"user_status": "inactive"})).await;
        create(&app, "cid@example.com", "Cid", json!({"user_status": "suspended"})).await;
        let matches = filtered(&app, json!({"field_id": "user_status", "field_values": ["inactive"]})).await;
        assert_eq!(matches, strings(&["bob@example.com"]));
        let matches = filtered(&app, json!({"field_id": "user_status", "field_values": ["active", "suspended"]})).await;
        assert_eq!(matches, strings(&["ada@example.com", "cid@example.com"]));
        let page = list(&app, json!({"filter_by": [{"field_id": "user_status", "field_values": ["inactive"]}]})).await;
        assert_eq!(page["count"], 1, "the count is of the matches");
    }

    async fn list_users_rejects_a_filter_value_outside_the_enum(app) {
        let (status, body) = app.post("/v2/users",
            json!({"filter_by": [{"field_id": "user_status", "field_values": ["deleted"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }

    async fn list_users_filters_by_user_account_type(app) {
        create(&app, "ada@example.com", "Ada", json!({})).await;
        create(&app, "svc@example.com", "Backup", json!({"account_type": "service"})).await;
        create(&app, "ext@example.com", "Vendor", json!({"account_type": "external"})).await;
        let matches = filtered(&app, json!({"field_id": "user_account_type", "field_values": ["service", "external"]})).await;
        assert_eq!(matches, strings(&["ext@example.com", "svc@example.com"]));
        let matches = filtered(&app, json!({"field_id": "user_account_type", "field_values": ["employee"]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
    }

    async fn list_users_filters_by_user_department_id(app) {
        let engineering = app.department("Engineering").await;
        let sales = app.department("Sales").await;
        create(&app, "ada@example.com", "Ada", json!({"user_department_id": engineering})).await;
        create(&app, "bob@example.com", "Bob", json!({"user_department_id": sales})).await;
        create(&app, "cid@example.com", "Cid", json!({})).await;
        let matches = filtered(&app, json!({"field_id": "user_department_id", "field_values": [engineering]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, json!({"field_id": "user_department_id", "field_values": [engineering, sales]})).await;
        assert_eq!(matches, strings(&["ada@example.com", "bob@example.com"]));
        let (status, body) = app.post("/v2/users",
            json!({"filter_by": [{"field_id": "user_department_id", "field_values": ["nope"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }

    async fn list_users_filters_by_user_designation(app) {
        create(&app, "ada@example.com", "Ada", json!({"user_designation": "Engineer"})).await;
        create(&app, "bob@example.com", "Bob", json!({"user_designation": "Manager"})).await;
        create(&app, "cid@example.com", "Cid", json!({})).await;
        let matches = filtered(&app, json!({"field_id": "user_designation", "field_values": ["Engineer"]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, json!({"field_id": "user_designation", "field_values": ["Engineer", "Manager"]})).await;
        assert_eq!(matches, strings(&["ada@example.com", "bob@example.com"]));
    }

    async fn list_users_filters_by_a_user_designation_with_accented_letters(app) {
        create(&app, "ada@example.com", "Ada", json!({"user_designation": "Élève"})).await;
        create(&app, "bob@example.com", "Bob", json!({"user_designation": "Ingénieur"})).await;
        for value in ["Élève", "élève", "ÉLÈVE"] {
            let matches = filtered(&app, json!({"field_id": "user_designation", "field_values": [value]})).await;
            assert_eq!(matches, strings(&["ada@example.com"]), "{value}");
        }
        let matches = filtered(&app, json!({"field_id": "user_designation", "field_values": ["Élève"], "negative": true})).await;
        assert_eq!(matches, strings(&["bob@example.com"]));
    }

    async fn list_users_filters_by_user_archive(app) {
        create(&app, "ada@example.com", "Ada", json!({"user_archive": true})).await;
        create(&app, "bob@example.com", "Bob", json!({})).await;
        let matches = filtered(&app, json!({"field_id": "user_archive", "field_values": [true]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, json!({"field_id": "user_archive", "field_values": [false]})).await;
        assert_eq!(matches, strings(&["bob@example.com"]));
    }

    async fn list_users_filters_by_optimization_inclusion_string_or_zluri_label(app) {
        create(&app, "ada@example.com", "Ada", json!({"optimization_inclusion": "exclude for unused"})).await;
        create(&app, "bob@example.com", "Bob", json!({"optimization_inclusion": "exclude for all optimizations"})).await;
        create(&app, "cid@example.com", "Cid", json!({})).await;
        for value in ["exclude for unused", "Excluded for Unused"] {
            let matches = filtered(&app, json!({"field_id": "optimization_inclusion", "field_values": [value]})).await;
            assert_eq!(matches, strings(&["ada@example.com"]), "{value}");
        }
        for value in ["exclude for all optimizations", "Excluded for all Optimizations"] {
            let matches = filtered(&app, json!({"field_id": "optimization_inclusion", "field_values": [value]})).await;
            assert_eq!(matches, strings(&["bob@example.com"]), "{value}");
        }
        let matches = filtered(&app, json!({"field_id": "optimization_inclusion",
            "field_values": ["Included for all Optimizations"]})).await;
        assert_eq!(matches, strings(&["cid@example.com"]));
        let (status, body) = app.post("/v2/users",
            json!({"filter_by": [{"field_id": "optimization_inclusion", "field_values": ["sometimes"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }

    async fn list_users_filters_by_user_reporting_manager_id(app) {
        let grace = app.user("grace@example.com", "Grace").await;
        let alan = app.user("alan@example.com", "Alan").await;
        create(&app, "ada@example.com", "Ada", json!({"reporting_manager_id": grace})).await;
        create(&app, "bob@example.com", "Bob", json!({"reporting_manager_id": alan})).await;
        let matches = filtered(&app, json!({"field_id": "user_reporting_manager_id", "field_values": [grace]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
    }

    async fn list_users_filters_by_user_email_regardless_of_case(app) {
        app.user("ada@example.com", "Ada").await;
        app.user("bob@example.com", "Bob").await;
        app.user("cid@example.com", "Cid").await;
        let matches = filtered(&app, json!({"field_id": "user_email",
            "field_values": ["ADA@example.com", "cid@example.com", "nobody@example.com"]})).await;
        assert_eq!(matches, strings(&["ada@example.com", "cid@example.com"]));
    }

    async fn list_users_filters_by_user_id(app) {
        let ada = app.user("ada@example.com", "Ada").await;
        let bob = app.user("bob@example.com", "Bob").await;
        app.user("cid@example.com", "Cid").await;
        let matches = filtered(&app, json!({"field_id": "user_id", "field_values": [ada, bob, MISSING_ID]})).await;
        assert_eq!(matches, strings(&["ada@example.com", "bob@example.com"]));
        let (status, body) = app.post("/v2/users",
            json!({"filter_by": [{"field_id": "user_id", "field_values": ["not-an-id"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }

    async fn list_users_filters_by_custom_fields(app) {
        let location = app.custom_field("Location", "select", &["India", "France", "Spain"]).await;
        let nickname = app.custom_field("Nickname", "text", &[]).await;
        create(&app, "ada@example.com", "Ada", json!({"user_custom_fields": [
            {"field_id": location, "field_value": "India"}, {"field_id": nickname, "field_value": "France"}]})).await;
        create(&app, "bob@example.com", "Bob",
            json!({"user_custom_fields": [{"field_id": location, "field_value": "France"}]})).await;
        create(&app, "cid@example.com", "Cid", json!({})).await;
        let by = |values: Value| json!({"field_id": "custom_fields",
            "field_values": {"custom_field_id": location, "custom_field_values": values}});
        assert_eq!(filtered(&app, by(json!(["India"]))).await, strings(&["ada@example.com"]));
        assert_eq!(filtered(&app, by(json!(["France"]))).await, strings(&["bob@example.com"]),
            "only the named field's values count");
        assert_eq!(filtered(&app, by(json!(["India", "France"]))).await, strings(&["ada@example.com", "bob@example.com"]));
        assert_eq!(filtered(&app, by(json!(["Spain"]))).await, Vec::<String>::new());
    }

    async fn list_users_filters_a_number_custom_field_however_the_number_was_sent(app) {
        let floor = app.custom_field("Floor", "number", &[]).await;
        create(&app, "ada@example.com", "Ada", json!({"user_custom_fields": [{"field_id": floor, "field_value": 42}]})).await;
        create(&app, "bob@example.com", "Bob", json!({"user_custom_fields": [{"field_id": floor, "field_value": "42"}]})).await;
        create(&app, "cid@example.com", "Cid", json!({"user_custom_fields": [{"field_id": floor, "field_value": 42.0}]})).await;
        create(&app, "dan@example.com", "Dan", json!({"user_custom_fields": [{"field_id": floor, "field_value": 2.5}]})).await;
        let everyone_on_42 = strings(&["ada@example.com", "bob@example.com", "cid@example.com"]);
        for values in [json!([42]), json!(["42"]), json!([42.0])] {
            let matches = filtered(&app, json!({"field_id": "custom_fields",
                "field_values": {"custom_field_id": floor, "custom_field_values": values}})).await;
            assert_eq!(matches, everyone_on_42, "{values}");
        }
        let matches = filtered(&app, json!({"field_id": "custom_fields",
            "field_values": {"custom_field_id": floor, "custom_field_values": [2.5]}})).await;
        assert_eq!(matches, strings(&["dan@example.com"]));
    }

    async fn list_users_filters_a_bool_custom_field_by_boolean_or_text(app) {
        let remote = app.custom_field("Remote", "bool", &[]).await;
        create(&app, "ada@example.com", "Ada", json!({"user_custom_fields": [{"field_id": remote, "field_value": true}]})).await;
        create(&app, "bob@example.com", "Bob", json!({"user_custom_fields": [{"field_id": remote, "field_value": "false"}]})).await;
        for values in [json!([true]), json!(["true"])] {
            let matches = filtered(&app, json!({"field_id": "custom_fields",
                "field_values": {"custom_field_id": remote, "custom_field_values": values}})).await;
            assert_eq!(matches, strings(&["ada@example.com"]), "{values}");
        }
    }

    async fn list_users_rejects_a_malformed_custom_fields_filter(app) {
        for values in [json!(["India"]), json!({"custom_field_values": ["India"]}),
            json!({"custom_field_id": "nope", "custom_field_values": ["India"]}),
            json!({"custom_field_id": MISSING_ID})] {
            let (status, body) = app.post("/v2/users",
                json!({"filter_by": [{"field_id": "custom_fields", "field_values": values}]})).await;
            assert_invalid(status, &body, &["filter_by[0].field_values"]);
        }
    }

    async fn list_users_negative_inverts_a_filter_and_includes_users_without_a_value(app) {
        let engineering = app.department("Engineering").await;
        let sales = app.department("Sales").await;
        let location = app.custom_field("Location", "select", &["India", "France"]).await;
        create(&app, "ada@example.com", "Ada", json!({"user_department_id": engineering, "user_designation": "Engineer",
            "user_custom_fields": [{"field_id": location, "field_value": "India"}]})).await;
        create(&app, "bob@example.com", "Bob", json!({"user_department_id": sales, "user_designation": "Manager",
            "user_custom_fields": [{"field_id": location, "field_value": "France"}]})).await;
        create(&app, "cid@example.com", "Cid", json!({"user_status": "inactive"})).await;
        let matches = filtered(&app, json!({"field_id": "user_department_id", "field_values": [engineering], "negative": true})).await;
        assert_eq!(matches, strings(&["bob@example.com", "cid@example.com"]));
        let matches = filtered(&app, json!({"field_id": "user_designation", "field_values": ["Engineer"], "negative": true})).await;
        assert_eq!(matches, strings(&["bob@example.com", "cid@example.com"]));
        let matches = filtered(&app, json!({"field_id": "custom_fields", "negative": true,
            "field_values": {"custom_field_id": location, "custom_field_values": ["India"]}})).await;
        assert_eq!(matches, strings(&["bob@example.com", "cid@example.com"]));
        let matches = filtered(&app, json!({"field_id": "user_status", "field_values": ["active"], "negative": true})).await;
        assert_eq!(matches, strings(&["cid@example.com"]));
        let matches = filtered(&app, json!({"field_id": "user_status", "field_values": ["active"], "negative": false})).await;
        assert_eq!(matches, strings(&["ada@example.com", "bob@example.com"]));
    }

    async fn list_users_combines_filters_with_and(app) {
        let engineering = app.department("Engineering").await;
        create(&app, "ada@example.com", "Ada", json!({"user_department_id": engineering})).await;
        create(&app, "bob@example.com", "Bob", json!({"user_department_id": engineering, "user_status": "inactive"})).await;
        create(&app, "cid@example.com", "Cid", json!({"user_status": "inactive"})).await;
        let page = list(&app, json!({"filter_by": [
            {"field_id": "user_department_id", "field_values": [engineering]},
            {"field_id": "user_status", "field_values": ["inactive"]},
        ]})).await;
        assert_eq!(email_set(&page), strings(&["bob@example.com"]));
        assert_eq!(page["count"], 1);
        let page = list(&app, json!({"filter_by": [
            {"field_id": "user_department_id", "field_values": [engineering]},
            {"field_id": "user_status", "field_values": ["inactive"], "negative": true},
        ]})).await;
        assert_eq!(email_set(&page), strings(&["ada@example.com"]));
    }

    async fn list_users_sorts_by_user_name_ascending_and_descending(app) {
        for name in ["Carol", "Alice", "Bob"] {
            app.user(&format!("{}@example.com", name.to_lowercase()), name).await;
        }
        let page = list(&app, json!({"sort_by": [{"user_name": 1}]})).await;
        assert_eq!(emails(&page), strings(&["alice@example.com", "bob@example.com", "carol@example.com"]));
        let page = list(&app, json!({"sort_by": [{"user_name": -1}]})).await;
        assert_eq!(emails(&page), strings(&["carol@example.com", "bob@example.com", "alice@example.com"]));
    }

    async fn list_users_sorts_by_several_keys_in_the_order_given(app) {
        create(&app, "b1@example.com", "Bob", json!({"user_status": "inactive"})).await;
        create(&app, "a1@example.com", "Alice", json!({"user_status": "inactive"})).await;
        create(&app, "c1@example.com", "Carol", json!({})).await;
        let page = list(&app, json!({"sort_by": [{"user_status": 1}, {"user_name": -1}]})).await;
        assert_eq!(emails(&page), strings(&["c1@example.com", "b1@example.com", "a1@example.com"]));
    }

    async fn list_users_rejects_a_bad_sort(app) {
        for sort in [json!({"user_name": 2}), json!({"user_nmae": 1}), json!("user_name"), json!({"user_name": "asc"})] {
            let (status, body) = app.post("/v2/users", json!({"sort_by": [sort]})).await;
            assert_invalid(status, &body, &["sort_by[0]"]);
        }
    }

    async fn list_users_search_query_matches_name_or_email_case_insensitively(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        app.user("grace@navy.example", "Grace Hopper").await;
        app.user("alan@example.com", "Alan Turing").await;
        let page = list(&app, json!({"search_query": "LOVE"})).await;
        assert_eq!(email_set(&page), strings(&["ada@example.com"]), "by name");
        let page = list(&app, json!({"search_query": "NaVy"})).await;
        assert_eq!(email_set(&page), strings(&["grace@navy.example"]), "by email");
        assert_eq!(page["count"], 1);
        let page = list(&app, json!({"search_query": "nobody"})).await;
        assert_eq!(page["count"], 0);
    }

    async fn list_users_search_query_ors_comma_separated_terms(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        app.user("grace@navy.example", "Grace Hopper").await;
        app.user("alan@example.com", "Alan Turing").await;
        let page = list(&app, json!({"search_query": "lovelace, TURING"})).await;
        assert_eq!(email_set(&page), strings(&["ada@example.com", "alan@example.com"]));
        assert_eq!(page["count"], 2);
        let page = list(&app, json!({"search_query": "hopper,,nobody, "})).await;
        assert_eq!(email_set(&page), strings(&["grace@navy.example"]));
    }

    async fn list_users_search_query_finds_names_with_accented_letters(app) {
        app.user("emile@example.com", "Émile Zola").await;
        app.user("lukasz@example.com", "łukasz Nowak").await;
        app.user("ada@example.com", "Ada Lovelace").await;
        for term in ["Émile", "émile", "ÉMILE Z", "ZOLA"] {
            let page = list(&app, json!({"search_query": term})).await;
            assert_eq!(email_set(&page), strings(&["emile@example.com"]), "{term}");
        }
        for term in ["łukasz", "Łukasz"] {
            let page = list(&app, json!({"search_query": term})).await;
            assert_eq!(email_set(&page), strings(&["lukasz@example.com"]), "{term}");
        }
    }

    async fn list_users_search_query_takes_wildcards_literally(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        app.user("under_score@example.com", "Under Score").await;
        let page = list(&app, json!({"search_query": "%"})).await;
        assert_eq!(page["count"], 0, "{page}");
        let page = list(&app, json!({"search_query": "_"})).await;
        assert_eq!(email_set(&page), strings(&["under_score@example.com"]));
    }

    async fn list_users_search_query_combines_with_filters(app) {
        create(&app, "ada@example.com", "Ada Lovelace", json!({})).await;
        create(&app, "adam@example.com", "Adam Smith", json!({"user_status": "inactive"})).await;
        let page = list(&app, json!({"search_query": "ada",
            "filter_by": [{"field_id": "user_status", "field_values": ["inactive"]}]})).await;
        assert_eq!(email_set(&page), strings(&["adam@example.com"]));
    }

    async fn list_users_rejects_an_unknown_filter_field(app) {
        let (status, body) = app.post("/v2/users",
            json!({"filter_by": [{"field_id": "user_shoe_size", "field_values": ["42"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }

    async fn list_users_rejects_a_filter_without_field_id_or_field_values(app) {
        let (status, body) = app.post("/v2/users", json!({"filter_by": [
            {"field_values": ["active"]},
            {"field_id": "user_status"},
        ]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_id", "filter_by[1].field_values"]);
    }

    async fn list_users_rejects_unknown_fields(app) {
        let (status, body) = app.post("/v2/users", json!({"pgae": 2, "filter_by": [
            {"field_id": "user_status", "field_values": ["active"], "negativ": true}]})).await;
        assert_invalid(status, &body, &["pgae", "filter_by[0].negativ"]);
    }

    async fn list_users_never_includes_another_tenants_users(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, _) = as_other(&app, Method::POST, "/v2/add-user",
            Some(json!({"user_name": "Ada Other", "user_email": "ada@other.example"}))).await;
        assert_eq!(status, StatusCode::CREATED);
        let page = list(&app, json!({})).await;
        assert_eq!(page["count"], 1);
        assert_eq!(emails(&page), strings(&["ada@example.com"]));
        let page = list(&app, json!({"search_query": "other"})).await;
        assert_eq!(page["count"], 0);
        let page = list(&app, json!({"filter_by": [{"field_id": "user_email", "field_values": ["ada@other.example"]}]})).await;
        assert_eq!(page["count"], 0);
        let (_, theirs) = as_other(&app, Method::POST, "/v2/users", Some(json!({}))).await;
        assert_eq!(emails(&theirs), strings(&["ada@other.example"]));
    }

    async fn list_users_with_a_read_only_key_is_allowed(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, page) = as_reader(&app, Method::POST, "/v2/users", Some(json!({}))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["count"], 1);
    }

    async fn list_users_without_an_api_key_is_unauthorized(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let response = app.anonymous(Method::POST, "/v2/users").json(&json!({})).send().await.expect("send");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(!body.to_string().contains("ada@example.com"));
    }

    // ---- POST /v2/userIds ----

    async fn user_ids_returns_the_known_emails_regardless_of_case_leaving_unknown_out(app) {
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let grace = app.user("Grace@Example.com", "Grace Hopper").await;
        app.user("alan@example.com", "Alan Turing").await;
        let (status, body) = app.post("/v2/userIds",
            json!({"emails": ["ADA@example.com", "grace@example.com", "nobody@example.com"]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let mut found = body.as_array().unwrap_or_else(|| panic!("not an array: {body}")).clone();
        found.sort_by_key(|user| id_of(user, "user_name"));
        assert_eq!(found.len(), 2, "{body}");
        let org_id = id_of(&found[0], "org_id");
        assert_eq!(org_id.len(), 24, "an ObjectId: {org_id}");
        assert_eq!(found[0], json!({"user_id": ada, "org_id": org_id, "user_name": "Ada Lovelace",
            "user_email": "ada@example.com", "alternate_emails": []}));
        assert_eq!(found[1], json!({"user_id": grace, "org_id": org_id, "user_name": "Grace Hopper",
            "user_email": "Grace@Example.com", "alternate_emails": []}));
    }

    async fn user_ids_answers_an_empty_array_when_no_email_is_known(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = app.post("/v2/userIds", json!({"emails": ["nobody@example.com"]})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!([]));
        let (status, body) = app.post("/v2/userIds", json!({"emails": []})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!([]));
    }

    async fn user_ids_never_finds_another_tenants_users(app) {
        as_other(&app, Method::POST, "/v2/add-user",
            Some(json!({"user_name": "Their Ada", "user_email": "ada@other.example"}))).await;
        let (status, body) = app.post("/v2/userIds", json!({"emails": ["ada@other.example"]})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!([]));
    }

    async fn user_ids_requires_emails(app) {
        let (status, body) = app.post("/v2/userIds", json!({})).await;
        assert_invalid(status, &body, &["emails"]);
        let (status, body) = app.post("/v2/userIds", json!({"emails": "ada@example.com"})).await;
        assert_invalid(status, &body, &["emails"]);
        let (status, body) = app.post("/v2/userIds", json!({"emails": ["ada@example.com", 7]})).await;
        assert_invalid(status, &body, &["emails[1]"]);
    }
}

on_both_backends! {
    async fn list_users_rejects_a_page_size_of_zero(app) {
        let (status, body) = app.post("/v2/users", json!({"page_size": 0})).await;
        assert_invalid(status, &body, &["page_size"]);
    }

    async fn create_user_rejects_both_account_type_spellings_at_once(app) {
        let (status, body) = app.post("/v2/add-user", json!({
            "user_name": "Ada", "user_email": "ada@example.com",
            "account_type": "service", "user_account_type": "employee",
        })).await;
        assert_invalid(status, &body, &["account_type"]);
    }
}
