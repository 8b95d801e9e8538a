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

/// A role of the tenant, made through the native API.
async fn role(app: &TestApp, role_name: &str, permissions: &[&str]) -> String {
    let (status, role) = app
        .post(
            "/v2/add-role",
            json!({"role_name": role_name, "permissions": permissions}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "create role: {role}");
    role["role_id"].as_str().expect("role_id").to_owned()
}

async fn create_user(app: &TestApp, body: Value) -> (StatusCode, Value) {
    call(app, Method::POST, "/occm/api/users", Some(body)).await
}

on_both_backends! {
    async fn create_user_makes_a_user_with_every_field_and_the_role(app) {
        let admin = role(&app, "Admin", &["user_management"]).await;
        let (status, body) = create_user(&app, json!({
            "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com",
            "roleId": admin, "tenantId": app.tenant_slug, "password": "s3cret-pass",
            "accessKey": "AKIA123", "secretKey": "aws-secret", "s3Bucket": "backups",
            "azureCredentials": {"subscriptionId": "sub-1", "tenantId": "aad-1",
                "applicationId": "app-1", "applicationKey": "azure-secret"},
            "isLdap": true, "ldapUserName": "CORP\\ada", "notificationsOptIn": true,
        })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["firstName"], "Ada");
        assert_eq!(body["lastName"], "Lovelace");
        assert_eq!(body["email"], "ada@example.com");
        assert_eq!(body["roleId"], admin.as_str());
        assert_eq!(body["tenantId"], app.tenant_slug.as_str());
        assert_eq!(body["isLdap"], true);
        assert_eq!(body["ldapUserName"], "CORP\\ada");
        assert_eq!(body["notificationsOptIn"], true);
        assert_eq!(body["permissions"], json!(["user_management"]));
        assert_eq!(body["azureCredentials"], json!({
            "subscriptionId": "sub-1", "tenantId": "aad-1", "applicationId": "app-1",
        }));
        let text = body.to_string();
        for secret in ["s3cret-pass", "aws-secret", "azure-secret", "applicationKey", "secretKey"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        let id = body["publicId"].as_str().expect("publicId");
        let (_, native) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(native["user_name"], "Ada Lovelace", "{native}");
        assert_eq!(native["user_role_ids"], json!([admin]), "{native}");
        let (_, again) = get_user(&app, id).await;
        assert_eq!(again, body);
    }

    async fn create_user_without_names_is_named_by_the_email(app) {
        let admin = role(&app, "Admin", &[]).await;
        let (status, body) = create_user(&app, json!({
            "email": "grace@example.com", "roleId": admin, "isLdap": false,
        })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["firstName"], "grace");
        assert!(body.get("azureCredentials").is_none(), "{body}");
        assert!(body.get("cloudSyncLicenseInformation").is_none(), "{body}");
    }

    async fn create_user_requires_email_role_id_and_is_ldap_and_writes_nothing(app) {
        let (status, body) = create_user(&app, json!({"firstName": "Ada"})).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["email", "roleId", "isLdap"]);
        let (status, body) = create_user(&app, json!({
            "email": "not-an-email", "roleId": "nope", "isLdap": "yes", "notificationsOptIn": 1,
        })).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST,
            &["email", "roleId", "isLdap", "notificationsOptIn"]);
        let (_, list) = call(&app, Method::GET, "/occm/api/users", None).await;
        assert_eq!(list, json!([]));
    }

    async fn create_user_role_id_must_exist_in_the_tenant(app) {
        let missing = "5f1d7a2b9c8e4d3f2a1b0c9e";
        let (status, body) = create_user(&app, json!({
            "email": "ada@example.com", "roleId": missing, "isLdap": false,
        })).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["roleId", missing]);
        let (_, others) = crate::support::as_other(&app, Method::POST, "/v2/add-role",
            Some(json!({"role_name": "Theirs"}))).await;
        let theirs = others["role_id"].as_str().expect("role_id");
        let (status, body) = create_user(&app, json!({
            "email": "ada@example.com", "roleId": theirs, "isLdap": false,
        })).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["roleId"]);
        let (_, list) = call(&app, Method::GET, "/occm/api/users", None).await;
        assert_eq!(list, json!([]));
    }

    async fn create_user_tenant_id_must_be_the_callers_tenant(app) {
        let admin = role(&app, "Admin", &[]).await;
        let (status, body) = create_user(&app, json!({
            "email": "ada@example.com", "roleId": admin, "isLdap": false, "tenantId": "someone-else",
        })).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["tenantId"]);
    }

    async fn create_user_email_must_stay_unique(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let admin = role(&app, "Admin", &[]).await;
        let (status, body) = create_user(&app, json!({
            "email": "ADA@example.com", "roleId": admin, "isLdap": false,
        })).await;
        assert_message(status, &body, StatusCode::CONFLICT, &["email"]);
    }

    async fn azure_credentials_and_cloud_sync_licenses_are_returned_where_set_and_null_clears(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, &id, json!({
            "azureCredentials": {"subscriptionId": "sub-1", "applicationKey": "k"},
            "cloudSyncLicenseInformation": {"cloudSyncLicenseTypes": ["BYOL"],
                "licenseExpirationDate": 1_893_456_000_000_i64},
        })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["azureCredentials"], json!({
            "subscriptionId": "sub-1", "tenantId": null, "applicationId": null,
        }));
        assert_eq!(body["cloudSyncLicenseInformation"], json!({
            "cloudSyncLicenseTypes": ["BYOL"], "licenseExpirationDate": 1_893_456_000_000_i64,
        }));
        let (_, audit) = app.get("/v2/audit-log").await;
        assert!(!audit.to_string().contains("argon2"), "a secret hash reached the audit log");
        let (_, body) = put_user(&app, &id, json!({"azureCredentials": null})).await;
        assert!(body.get("azureCredentials").is_none(), "{body}");
        assert!(body.get("cloudSyncLicenseInformation").is_some(), "{body}");
        let (status, body) = put_user(&app, &id, json!({
            "cloudSyncLicenseInformation": {"cloudSyncLicenseTypes": "BYOL"},
        })).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST,
            &["cloudSyncLicenseInformation.cloudSyncLicenseTypes"]);
    }

    async fn add_user_creates_a_user_with_the_role(app) {
        let viewer = role(&app, "Viewer", &["dashboard_management"]).await;
        let (status, body) = call(&app, Method::POST, "/occm/api/users/add-user", Some(json!({
            "email": "new@example.com", "roleId": viewer, "tenantId": app.tenant_slug,
        }))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["email"], "new@example.com");
        assert_eq!(body["roleId"], viewer.as_str());
        assert_eq!(body["permissions"], json!(["dashboard_management"]));
    }

    async fn add_user_gives_an_existing_user_the_role(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let viewer = role(&app, "Viewer", &[]).await;
        let (status, body) = call(&app, Method::POST, "/occm/api/users/add-user", Some(json!({
            "email": "Ada@Example.com", "roleId": viewer,
        }))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["publicId"], id.as_str());
        assert_eq!(body["roleId"], viewer.as_str());
        assert_eq!(body["firstName"], "Ada");
    }

    async fn add_user_requires_an_existing_role_and_writes_nothing(app) {
        let (status, body) = call(&app, Method::POST, "/occm/api/users/add-user", Some(json!({
            "email": "new@example.com", "roleId": "5f1d7a2b9c8e4d3f2a1b0c9e",
        }))).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["roleId"]);
        let (status, body) = call(&app, Method::POST, "/occm/api/users/add-user",
            Some(json!({"email": "new@example.com"}))).await;
        assert_message(status, &body, StatusCode::BAD_REQUEST, &["roleId"]);
        let (_, list) = call(&app, Method::GET, "/occm/api/users", None).await;
        assert_eq!(list, json!([]));
    }

    async fn remove_user_takes_roles_and_working_environments_and_deactivates(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let admin = role(&app, "Admin", &["user_management"]).await;
        app.patch(&format!("/v2/user/{id}"), json!({"user_role_ids": [admin]})).await;
        let zoom = app.application("Zoom").await;
        let license = app.license(&zoom, "Pro", Some(5), 10.0, "USD").await;
        app.app_user(&zoom, "ada@example.com", json!({"assign_licenses": [license]})).await;
        let (status, _) = call(&app, Method::DELETE, &format!("/occm/api/users/{id}/remove-user"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, body) = get_user(&app, &id).await;
        assert_eq!(status, StatusCode::OK, "the user stays in the directory: {body}");
        assert_eq!(body["roleId"], Value::Null);
        assert_eq!(body["assignedWorkingEnvironments"], json!([]));
        assert_eq!(body["permissions"], json!([]));
        let (_, native) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(native["user_status"], "inactive", "{native}");
        let (_, zoom_user) = app.get(&format!("/v2/application/{zoom}/user/{id}")).await;
        assert_eq!(zoom_user["licenses"], json!([]), "the seat is freed: {zoom_user}");
    }

    async fn remove_user_of_an_unknown_user_is_not_found(app) {
        let (status, body) = call(&app, Method::DELETE,
            "/occm/api/users/5f1d7a2b9c8e4d3f2a1b0c9e/remove-user", None).await;
        assert_message(status, &body, StatusCode::NOT_FOUND, &[]);
    }

    async fn current_user_is_the_user_the_key_is_bound_to(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let bound = app.key_for_user("ada@example.com").await;
        let (status, body) = read(app.anonymous(Method::GET, "/occm/api/auth/current-user")
            .header("Authorization", format!("Bearer {bound}")).send().await.expect("send")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["publicId"], id.as_str());
        assert_eq!(body["email"], "ada@example.com");
    }

    async fn current_user_of_a_key_bound_to_no_one_is_not_found(app) {
        let (status, body) = call(&app, Method::GET, "/occm/api/auth/current-user", None).await;
        assert_message(status, &body, StatusCode::NOT_FOUND, &["user"]);
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let bound = app.key_for_user(&id).await;
        app.delete(&format!("/v2/user/{id}")).await;
        let (status, body) = read(app.anonymous(Method::GET, "/occm/api/auth/current-user")
            .header("Authorization", format!("Bearer {bound}")).send().await.expect("send")).await;
        assert_message(status, &body, StatusCode::NOT_FOUND, &["user"]);
    }

    async fn list_users_carries_each_users_working_environments(app) {
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let bob = app.user("bob@example.com", "Bob Smith").await;
        let zoom = app.application("Zoom").await;
        app.app_user(&zoom, "bob@example.com", json!({})).await;
        let (_, list) = call(&app, Method::GET, "/occm/api/users", None).await;
        let of = |id: &str| list.as_array().expect("array").iter()
            .find(|user| user["publicId"] == id).cloned().expect("listed");
        assert_eq!(of(&ada)["assignedWorkingEnvironments"], json!([]));
        assert_eq!(of(&bob)["assignedWorkingEnvironments"], json!([zoom]));
    }
}
