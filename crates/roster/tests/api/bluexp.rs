//! The BlueXP dialect at `/occm/api` (seed 002 "Update an existing user", seed-apis.md §2): the
//! user model, the seed's partial update and its rules, and that it shares one directory with the
//! native API.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{read, TestApp};

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = app
        .anonymous(method, path)
        .header("Authorization", format!("Bearer {}", app.key))
        .header("x-agent-id", "connector-1clients");
    if let Some(body) = body {
        request = request.json(&body);
    }
    read(request.send().await.expect("send")).await
}

async fn put_user(app: &TestApp, id: &str, body: Value) -> (StatusCode, Value) {
    call(
        app,
        Method::PUT,
        &format!("/occm/api/users/{id}"),
        Some(body),
    )
    .await
}

async fn get_user(app: &TestApp, id: &str) -> (StatusCode, Value) {
    call(app, Method::GET, &format!("/occm/api/users/{id}"), None).await
}

#[track_caller]
fn assert_message(status: StatusCode, body: &Value, expected: StatusCode, mentions: &[&str]) {
    assert_eq!(status, expected, "{body}");
    let message = body["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no message in {body}"));
    for text in mentions {
        assert!(message.contains(text), "{text:?} not in {message:?}");
    }
}

on_both_backends! {
    async fn update_user_first_and_last_name_set_the_display_name(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, &id, json!({"firstName": "Augusta", "lastName": "King"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["firstName"], "Augusta");
        assert_eq!(body["lastName"], "King");
        let (_, native) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(native["user_name"], "Augusta King");
    }

    async fn update_user_last_name_alone_keeps_the_first_name(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (_, body) = put_user(&app, &id, json!({"lastName": "Byron"})).await;
        assert_eq!(body["firstName"], "Ada");
        let (_, native) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(native["user_name"], "Ada Byron");
    }

    async fn a_native_display_name_reads_back_as_first_and_last_name(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        app.patch(&format!("/v2/user/{id}"), json!({"user_name": "Grace Brewster Hopper"})).await;
        let (_, body) = get_user(&app, &id).await;
        assert_eq!(body["firstName"], "Grace");
        assert_eq!(body["lastName"], "Brewster Hopper");
    }

    async fn update_user_leaves_absent_fields_untouched(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        put_user(&app, &id, json!({"ldapUserName": "ADA\\lovelace", "notificationsOptIn": true})).await;
        let (status, body) = put_user(&app, &id, json!({"email": "countess@example.com"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["email"], "countess@example.com");
        assert_eq!(body["ldapUserName"], "ADA\\lovelace");
        assert_eq!(body["notificationsOptIn"], true);
        assert_eq!(body["firstName"], "Ada");
    }

    async fn update_user_with_an_empty_body_changes_nothing(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (_, before) = app.get(&format!("/v2/user/{id}")).await;
        let (status, _) = put_user(&app, &id, json!({})).await;
        assert_eq!(status, StatusCode::OK);
        let (_, after) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(before, after);
    }

    async fn update_user_ldap_user_name_null_clears_it(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        put_user(&app, &id, json!({"ldapUserName": "ada"})).await;
        let (_, body) = put_user(&app, &id, json!({"ldapUserName": null})).await;
        assert_eq!(body["ldapUserName"], Value::Null);
    }

    async fn update_user_email_must_be_a_valid_email(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, &id, json!({"email": "not an email"})).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["email"]);
    }

    async fn update_user_email_must_stay_unique(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        app.user("grace@example.com", "Grace Hopper").await;
        let (status, body) = put_user(&app, &id, json!({"email": "Grace@Example.com"})).await;
        assert_message(status, &body, StatusCode::CONFLICT, &["email"]);
    }

    async fn update_user_notifications_opt_in_must_be_a_boolean(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, &id, json!({"notificationsOptIn": "yes"})).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["notificationsOptIn"]);
    }

    async fn update_user_rejects_wrong_types_naming_every_field_and_writes_nothing(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, &id, json!({
            "firstName": 7, "lastName": "", "email": false, "ldapUserName": [], "notificationsOptIn": 1,
        })).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST,
            &["firstName", "lastName", "email", "ldapUserName", "notificationsOptIn"]);
        let (_, user) = get_user(&app, &id).await;
        assert_eq!(user["firstName"], "Ada");
        assert_eq!(user["email"], "ada@example.com");
    }

    async fn update_user_rejects_malformed_json_with_a_message(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = read(app.anonymous(Method::PUT, &format!("/occm/api/users/{id}"))
            .header("Authorization", format!("Bearer {}", app.key))
            .header("content-type", "application/json")
            .body("{\"firstName\": ")
            .send().await.expect("send")).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["JSON"]);
    }

    async fn update_user_ignores_unknown_fields(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, &id, json!({"firstName": "Augusta", "roleId": "x"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["firstName"], "Augusta");
    }

    async fn update_user_of_an_unknown_or_other_tenants_user_is_not_found(app) {
        let (status, body) = put_user(&app, "5f1d7a2b9c8e4d3f2a1b0c9e", json!({"firstName": "X"})).await;
        assert_message(status, &body, StatusCode::NOT_FOUND, &["user"]);
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = read(app.anonymous(Method::PUT, &format!("/occm/api/users/{id}"))
            .header("Authorization", format!("Bearer {}", app.other_key))
            .json(&json!({"firstName": "X"})).send().await.expect("send")).await;
        assert_message(status, &body, StatusCode::NOT_FOUND, &[]);
        let (status, body) = put_user(&app, "nope", json!({})).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["userId"]);
    }

    async fn update_user_is_audited(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        put_user(&app, &id, json!({"firstName": "Augusta"})).await;
        let (_, audit) = app.get("/v2/audit/list?page_size=100").await;
        assert!(audit.to_string().contains("user.update"), "{audit}");
    }

    async fn the_user_model_carries_every_field_of_the_seed(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let used = app.application("Slack").await;
        let dropped = app.application("Zoom").await;
        let owned = app.application("GitHub").await;
        app.app_user(&used, "ada@example.com", json!({})).await;
        app.app_user(&dropped, "ada@example.com", json!({"user_app_status": "inactive"})).await;
        app.patch(&format!("/v2/application/{owned}"), json!({"app_owner_id": id})).await;
        let (status, role) = app.post("/v2/add-role", json!({"role_name": "Admins", "permissions": ["user_management"]})).await;
        assert_eq!(status, StatusCode::CREATED, "{role}");
        let role_id = role["role_id"].as_str().expect("role_id").to_owned();
        app.patch(&format!("/v2/user/{id}"), json!({"user_role_ids": [role_id], "user_permissions": ["ingestion"]})).await;
        let (status, body) = get_user(&app, &id).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["publicId"], id.as_str());
        assert_eq!(body["assignedWorkingEnvironments"], json!([used]));
        assert_eq!(body["createdWorkingEnvironments"], json!([
            {"publicId": owned, "name": "GitHub", "workingEnvironmentType": "application"}
        ]));
        assert_eq!(body["roleId"], role_id.as_str());
        assert_eq!(body["tenantId"], "acme");
        assert_eq!(body["permissions"], json!(["ingestion", "user_management"]));
        assert_eq!(body["isLdap"], false);
        assert_eq!(body["notificationsOptIn"], false);
    }

    async fn list_users_answers_every_user(app) {
        app.user("b@example.com", "B").await;
        app.user("a@example.com", "A").await;
        let (status, body) = call(&app, Method::GET, "/occm/api/users", None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let emails: Vec<&str> = body.as_array().expect("array").iter()
            .map(|user| user["email"].as_str().expect("email")).collect();
        assert_eq!(emails, ["a@example.com", "b@example.com"]);
    }

    async fn delete_user_removes_the_user(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, _) = call(&app, Method::DELETE, &format!("/occm/api/users/{id}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(get_user(&app, &id).await.0, StatusCode::NOT_FOUND);
    }

    async fn a_missing_bearer_token_is_unauthorized_and_a_read_key_cannot_write(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = read(app.anonymous(Method::GET, "/occm/api/users").send().await.expect("send")).await;
        assert_message(status, &body, StatusCode::UNAUTHORIZED, &["Bearer"]);
        let (status, body) = read(app.anonymous(Method::PUT, &format!("/occm/api/users/{id}"))
            .header("Authorization", format!("Bearer {}", app.read_key))
            .json(&json!({"firstName": "X"})).send().await.expect("send")).await;
        assert_message(status, &body, StatusCode::FORBIDDEN, &[]);
    }

    async fn unknown_routes_under_occm_api_answer_with_a_message(app) {
        let (status, body) = call(&app, Method::GET, "/occm/api/nothing", None).await;
        assert_message(status, &body, StatusCode::NOT_FOUND, &[]);
    }

    async fn grant_creates_or_reactivates_application_users_and_revoke_deactivates_them(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let slack = app.application("Slack").await;
        let zoom = app.application("Zoom").await;
        let license = app.license(&zoom, "Pro", Some(5), 10.0, "USD").await;
        app.app_user(&zoom, "ada@example.com", json!({"assign_licenses": [license]})).await;
        let path = format!("/occm/api/users/{id}/working-environments-grant-revoke");
        let (status, body) = call(&app, Method::POST, &path, Some(json!({
            "addWorkingEnvironments": [slack], "removeWorkingEnvironments": [zoom],
        }))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["assignedWorkingEnvironments"], json!([slack]));
        let (_, zoom_user) = app.get(&format!("/v2/application/{zoom}/user/{id}")).await;
        assert_eq!(zoom_user["user_app_status"], "inactive", "{zoom_user}");
        assert_eq!(zoom_user["licenses"], json!([]), "revoking frees the seat: {zoom_user}");
        let (_, body) = call(&app, Method::POST, &path, Some(json!({
            "addWorkingEnvironments": [zoom], "removeWorkingEnvironments": [],
        }))).await;
        let mut assigned: Vec<String> = body["assignedWorkingEnvironments"].as_array().expect("array")
            .iter().map(|id| id.as_str().expect("id").to_owned()).collect();
        assigned.sort();
        let mut expected = vec![slack.clone(), zoom.clone()];
        expected.sort();
        assert_eq!(assigned, expected);
    }

    async fn grant_revoke_with_unknown_applications_writes_nothing(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let slack = app.application("Slack").await;
        let path = format!("/occm/api/users/{id}/working-environments-grant-revoke");
        let missing = "5f1d7a2b9c8e4d3f2a1b0c9e";
        let (status, body) = call(&app, Method::POST, &path, Some(json!({
            "addWorkingEnvironments": [slack, missing], "removeWorkingEnvironments": ["nope"],
        }))).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["removeWorkingEnvironments[0]"]);
        let (status, body) = call(&app, Method::POST, &path, Some(json!({
            "addWorkingEnvironments": [slack, missing], "removeWorkingEnvironments": [],
        }))).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["addWorkingEnvironments", missing]);
        assert_eq!(get_user(&app, &id).await.1["assignedWorkingEnvironments"], json!([]));
    }

    async fn reset_password_stores_the_password_and_never_returns_it(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let path = format!("/occm/api/users/{id}/reset-password");
        let (status, _) = call(&app, Method::PUT, &path, Some(json!({"password": "s3cret horse"}))).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, user) = get_user(&app, &id).await;
        assert!(!user.to_string().contains("s3cret"), "{user}");
        let (_, audit) = app.get("/v2/audit/list?page_size=100").await;
        assert!(!audit.to_string().contains("s3cret"), "{audit}");
        let (status, body) = call(&app, Method::PUT, &path, Some(json!({"password": ""}))).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["password"]);
    }
}
