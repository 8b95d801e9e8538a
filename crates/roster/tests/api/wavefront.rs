//! The Wavefront dialect at `/api/v2` (seed 003 "Update User", seed-apis.md §3): the 15 user
//! operations, user groups and roles, their envelopes and errors, and that they share one directory
//! with the native API.

use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{id_of, read, TestApp};

/// A Wavefront request with the tenant's write key in `X-AUTH-TOKEN`, as the generated clients send it.
fn wf(app: &TestApp, method: Method, path: &str) -> RequestBuilder {
    app.anonymous(method, path).header("X-AUTH-TOKEN", &app.key)
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = wf(app, method, path);
    if let Some(body) = body {
        request = request.json(&body);
    }
    read(request.send().await.expect("send")).await
}

async fn put_user(app: &TestApp, email: &str, body: Value) -> (StatusCode, Value) {
    call(app, Method::PUT, &user_path(email), Some(body)).await
}

async fn get_user(app: &TestApp, email: &str) -> (StatusCode, Value) {
    call(app, Method::GET, &user_path(email), None).await
}

/// `/api/v2/user/{id}` with the email percent-encoded, as the Python client does (`safe=''`).
fn user_path(email: &str) -> String {
    format!("/api/v2/user/{}", email.replace('@', "%40"))
}

async fn create_role(app: &TestApp, name: &str, permissions: &[&str]) -> String {
    let (status, body) = call(
        app,
        Method::POST,
        "/api/v2/role",
        Some(json!({"name": name, "permissions": permissions})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id_of(&body["response"], "id")
}

async fn create_group(app: &TestApp, name: &str, role_ids: &[&str]) -> String {
    let (status, body) = call(
        app,
        Method::POST,
        "/api/v2/usergroup",
        Some(json!({"name": name, "roleIDs": role_ids})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id_of(&body["response"], "id")
}

async fn system_group(app: &TestApp, name: &str) -> String {
    let (_, body) = call(app, Method::GET, "/api/v2/usergroup?limit=1000", None).await;
    let items = body["response"]["items"].as_array().expect("items");
    let group = items
        .iter()
        .find(|group| group["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {body}"));
    id_of(group, "id")
}

fn group_names(user: &Value) -> Vec<String> {
    user["userGroups"]
        .as_array()
        .expect("userGroups")
        .iter()
        .map(|group| group["name"].as_str().expect("name").to_owned())
        .collect()
}

#[track_caller]
fn assert_error(status: StatusCode, body: &Value, expected: StatusCode, mentions: &[&str]) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["status"]["result"], "ERROR", "{body}");
    assert_eq!(body["status"]["code"], expected.as_u16(), "{body}");
    let message = body["status"]["message"].as_str().expect("message");
    for text in mentions {
        assert!(message.contains(text), "{text:?} not in {message:?}");
    }
}

#[track_caller]
fn assert_ok_container(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"]["result"], "OK", "{body}");
    assert_eq!(body["status"]["code"], 200, "{body}");
}

on_both_backends! {
    async fn update_user_sets_permissions_groups_and_roles_and_answers_a_bare_user_model(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let role = create_role(&app, "Auditors", &["alerts_management"]).await;
        let group = create_group(&app, "Engineering", &[]).await;
        let (status, body) = put_user(&app, "ada@example.com", json!({
            "identifier": "ada@example.com",
            "groups": ["user_management", "dashboard_management"],
            "userGroups": [group],
            "roles": [role],
        })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["identifier"], "ada@example.com");
        assert_eq!(body["customer"], "acme");
        assert_eq!(body["groups"], json!(["dashboard_management", "user_management"]));
        assert_eq!(group_names(&body), ["Everyone", "Engineering"]);
        assert_eq!(body["roles"][0]["id"], role.as_str());
        assert_eq!(body["roles"][0]["permissions"], json!(["alerts_management"]));
        assert!(body.get("status").is_none(), "a bare UserModel, not a container: {body}");
    }

    async fn update_user_leaves_absent_fields_untouched(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        put_user(&app, "ada@example.com", json!({"groups": ["ingestion"], "ssoId": "ada-sso"})).await;
        let (status, body) = put_user(&app, "ada@example.com", json!({"ssoId": "ada-2"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["groups"], json!(["ingestion"]));
        assert_eq!(body["ssoId"], "ada-2");
    }

    async fn update_user_with_null_sso_id_clears_it(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        put_user(&app, "ada@example.com", json!({"ssoId": "ada-sso"})).await;
        let (_, body) = put_user(&app, "ada@example.com", json!({"ssoId": null})).await;
        assert_eq!(body["ssoId"], Value::Null);
    }

    async fn update_user_identifier_in_the_path_is_the_percent_decoded_email(app) {
        app.user("ada.lovelace+test@example.com", "Ada Lovelace").await;
        let path = "/api/v2/user/ada.lovelace%2Btest%40example.com";
        let (status, body) = call(&app, Method::PUT, path, Some(json!({"groups": ["ingestion"]}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["identifier"], "ada.lovelace+test@example.com");
    }

    async fn update_user_identifier_changes_the_email(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({"identifier": "countess@example.com"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["identifier"], "countess@example.com");
        assert_eq!(get_user(&app, "ada@example.com").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_user(&app, "countess@example.com").await.0, StatusCode::OK);
    }

    async fn update_user_identifier_taken_by_another_user_is_a_conflict(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        app.user("grace@example.com", "Grace Hopper").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({"identifier": "GRACE@example.com"})).await;
        assert_error(status, &body, StatusCode::CONFLICT, &["identifier"]);
    }

    async fn update_user_rejects_an_identifier_that_is_not_an_email(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({"identifier": "not-an-email"})).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["identifier"]);
    }

    async fn update_user_refuses_another_customer_and_writes_nothing(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({
            "customer": "other", "groups": ["ingestion"],
        })).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["customer"]);
        assert_eq!(get_user(&app, "ada@example.com").await.1["groups"], json!([]));
    }

    async fn update_user_accepts_its_own_customer(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({"customer": "acme"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    async fn update_user_rejects_unknown_permissions_naming_them_and_writes_nothing(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({
            "groups": ["ingestion", "world_domination"], "ssoId": "x",
        })).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["groups[1]", "world_domination", "user_management"]);
        let (_, user) = get_user(&app, "ada@example.com").await;
        assert_eq!(user["groups"], json!([]));
        assert_eq!(user["ssoId"], Value::Null);
    }

    async fn update_user_rejects_unknown_user_groups_and_roles_naming_them(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let missing_group = "5f0c6b2e9d1e8a0012345678";
        let missing_role = "5f0c6b2e9d1e8a0087654321";
        let (status, body) = put_user(&app, "ada@example.com", json!({
            "userGroups": [missing_group], "roles": [missing_role], "groups": ["ingestion"],
        })).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &[missing_group, missing_role, "userGroups", "roles"]);
        assert_eq!(get_user(&app, "ada@example.com").await.1["groups"], json!([]));
    }

    async fn update_user_rejects_ids_that_are_not_object_ids(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({"userGroups": ["nope"], "roles": [7]})).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["userGroups[0]", "roles[0]"]);
    }

    async fn update_user_rejects_another_tenants_group(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (_, other) = read(
            app.anonymous(Method::POST, "/api/v2/usergroup")
                .header("X-AUTH-TOKEN", &app.other_key)
                .json(&json!({"name": "Theirs", "roleIDs": []}))
                .send().await.expect("send"),
        ).await;
        let theirs = id_of(&other["response"], "id");
        let (status, body) = put_user(&app, "ada@example.com", json!({"userGroups": [theirs]})).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &[theirs.as_str()]);
    }

    async fn update_user_of_an_unknown_user_is_not_found(app) {
        let (status, body) = put_user(&app, "nobody@example.com", json!({"groups": []})).await;
        assert_error(status, &body, StatusCode::NOT_FOUND, &["user"]);
    }

    async fn update_user_of_another_tenant_is_not_found(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = read(
            app.anonymous(Method::PUT, &user_path("ada@example.com"))
                .header("X-AUTH-TOKEN", &app.other_key)
                .json(&json!({"groups": ["ingestion"]}))
                .send().await.expect("send"),
        ).await;
        assert_error(status, &body, StatusCode::NOT_FOUND, &[]);
    }

    async fn update_user_stores_the_credential_and_never_returns_it(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({"credential": "correct horse battery"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(!body.to_string().contains("correct horse"), "{body}");
        let (status, audit) = app.get("/v2/audit/list?page_size=100").await;
        assert_eq!(status, StatusCode::OK, "{audit}");
        assert!(audit.to_string().contains("user.update"), "{audit}");
        assert!(!audit.to_string().contains("correct horse"), "{audit}");
        assert!(!audit.to_string().contains("argon2"), "{audit}");
    }

    async fn update_user_rejects_an_empty_credential(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({"credential": ""})).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["credential"]);
    }

    async fn update_user_accepts_everyone_in_user_groups_and_keeps_the_user_in_it(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let everyone = system_group(&app, "Everyone").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({"userGroups": [everyone]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(group_names(&body), ["Everyone"]);
        let (_, body) = put_user(&app, "ada@example.com", json!({"userGroups": []})).await;
        assert_eq!(group_names(&body), ["Everyone"]);
    }

    async fn update_user_refuses_service_accounts_for_a_person(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let service = system_group(&app, "Service Accounts").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({"userGroups": [service]})).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["userGroups", "Service Accounts"]);
    }

    async fn update_user_ignores_unknown_fields(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = put_user(&app, "ada@example.com", json!({"groups": ["ingestion"], "ingestionPolicy": "x"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["groups"], json!(["ingestion"]));
    }

    async fn update_user_rejects_malformed_json_in_the_wavefront_envelope(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = read(
            wf(&app, Method::PUT, &user_path("ada@example.com"))
                .header("content-type", "application/json")
                .body("{\"groups\": [")
                .send().await.expect("send"),
        ).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["JSON"]);
    }

    async fn concurrent_grants_of_different_permissions_both_land(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let grant = |permission: &'static str| {
            wf(&app, Method::POST, &format!("{}/grant", user_path("ada@example.com")))
                .form(&[("group", permission)])
                .send()
        };
        let (a, b) = tokio::join!(grant("ingestion"), grant("alerts_management"));
        assert!(a.expect("send").status().is_success());
        assert!(b.expect("send").status().is_success());
        let (_, body) = get_user(&app, "ada@example.com").await;
        assert_eq!(body["groups"], json!(["alerts_management", "ingestion"]));
    }

    async fn user_model_always_carries_identifier_customer_groups_and_user_groups(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = get_user(&app, "ada@example.com").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        for key in ["identifier", "customer", "groups", "userGroups", "roles"] {
            assert!(!body[key].is_null(), "{key} missing in {body}");
        }
        assert_eq!(body["lastSuccessfulLogin"], Value::Null);
        let everyone = &body["userGroups"][0];
        assert_eq!(everyone["name"], "Everyone");
        assert_eq!(everyone["properties"], json!({"nameEditable": false, "usersEditable": false, "rolesEditable": true}));
        assert_eq!(everyone["customer"], "acme");
    }

    async fn service_accounts_follow_the_account_type(app) {
        let id = app.user("bot@example.com", "Build Bot").await;
        assert_eq!(group_names(&get_user(&app, "bot@example.com").await.1), ["Everyone"]);
        app.patch(&format!("/v2/user/{id}"), json!({"user_account_type": "service"})).await;
        assert_eq!(group_names(&get_user(&app, "bot@example.com").await.1), ["Everyone", "Service Accounts"]);
    }

    async fn create_user_answers_the_user_model(app) {
        let group = create_group(&app, "Engineering", &[]).await;
        let (status, body) = call(&app, Method::POST, "/api/v2/user?sendEmail=true", Some(json!({
            "emailAddress": "new@example.com", "groups": ["ingestion"], "userGroups": [group], "roles": [],
        }))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["identifier"], "new@example.com");
        assert_eq!(body["groups"], json!(["ingestion"]));
        assert_eq!(group_names(&body), ["Everyone", "Engineering"]);
        let (_, native) = app.post("/v2/users", json!({"search_query": "new@example.com"})).await;
        assert_eq!(native["items"][0]["user_name"], "new");
    }

    async fn create_user_accepts_send_email_in_any_spelling(app) {
        for (index, flag) in ["true", "False", "TRUE", "0"].iter().enumerate() {
            let path = format!("/api/v2/user?sendEmail={flag}");
            let body = json!({"emailAddress": format!("u{index}@example.com"), "groups": [], "userGroups": []});
            let (status, body) = call(&app, Method::POST, &path, Some(body)).await;
            assert_eq!(status, StatusCode::OK, "{flag}: {body}");
        }
    }

    async fn a_bad_query_parameter_is_refused_in_the_wavefront_envelope(app) {
        let (status, body) = call(&app, Method::GET, "/api/v2/usergroup?limit=ten", None).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["limit"]);
        let (status, body) = call(&app, Method::GET, "/api/v2/role?offset=-1", None).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["offset"]);
    }

    async fn create_user_with_a_taken_email_is_a_conflict(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = call(&app, Method::POST, "/api/v2/user", Some(json!({
            "emailAddress": "ADA@example.com", "groups": [], "userGroups": [],
        }))).await;
        assert_error(status, &body, StatusCode::CONFLICT, &["emailAddress"]);
    }

    async fn create_user_rejects_a_bad_email_and_unknown_permissions(app) {
        let (status, body) = call(&app, Method::POST, "/api/v2/user", Some(json!({
            "emailAddress": "nope", "groups": ["nope"], "userGroups": [],
        }))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["emailAddress", "groups[0]"]);
    }

    async fn invite_users_creates_all_or_none_and_answers_the_first(app) {
        let (status, body) = call(&app, Method::POST, "/api/v2/user/invite", Some(json!([
            {"emailAddress": "one@example.com", "groups": [], "userGroups": []},
            {"emailAddress": "two@example.com", "groups": ["ingestion"], "userGroups": []},
        ]))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["identifier"], "one@example.com");
        assert_eq!(get_user(&app, "two@example.com").await.1["groups"], json!(["ingestion"]));

        let (status, body) = call(&app, Method::POST, "/api/v2/user/invite", Some(json!([
            {"emailAddress": "three@example.com", "groups": [], "userGroups": []},
            {"emailAddress": "one@example.com", "groups": [], "userGroups": []},
        ]))).await;
        assert_error(status, &body, StatusCode::CONFLICT, &["[1]"]);
        assert_eq!(get_user(&app, "three@example.com").await.0, StatusCode::NOT_FOUND);
    }

    async fn get_all_users_answers_a_bare_array_of_every_user(app) {
        app.user("b@example.com", "B").await;
        app.user("a@example.com", "A").await;
        let (status, body) = call(&app, Method::GET, "/api/v2/user", None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let identifiers: Vec<&str> = body.as_array().expect("array").iter()
            .map(|user| user["identifier"].as_str().expect("identifier")).collect();
        assert_eq!(identifiers, ["a@example.com", "b@example.com"]);
    }

    async fn get_user_business_functions_answers_the_user_model(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let path = format!("{}/businessFunctions", user_path("ada@example.com"));
        let (status, body) = call(&app, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["identifier"], "ada@example.com");
    }

    async fn delete_user_removes_the_user(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, _) = call(&app, Method::DELETE, &user_path("ada@example.com"), None).await;
        assert!(status.is_success());
        assert_eq!(get_user(&app, "ada@example.com").await.0, StatusCode::NOT_FOUND);
        let (status, body) = call(&app, Method::DELETE, &user_path("ada@example.com"), None).await;
        assert_error(status, &body, StatusCode::NOT_FOUND, &[]);
    }

    async fn delete_users_deletes_all_or_none_and_answers_a_container(app) {
        app.user("a@example.com", "A").await;
        app.user("b@example.com", "B").await;
        let (status, body) = call(&app, Method::POST, "/api/v2/user/deleteUsers",
            Some(json!(["a@example.com", "nobody@example.com"]))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["nobody@example.com"]);
        assert_eq!(get_user(&app, "a@example.com").await.0, StatusCode::OK);
        let (status, body) = call(&app, Method::POST, "/api/v2/user/deleteUsers",
            Some(json!(["a@example.com", "b@example.com"]))).await;
        assert_ok_container(status, &body);
        assert_eq!(body["response"], json!(["a@example.com", "b@example.com"]));
        assert_eq!(get_user(&app, "b@example.com").await.0, StatusCode::NOT_FOUND);
    }

    async fn grant_and_revoke_user_permission_take_a_form_field(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let grant = format!("{}/grant", user_path("ada@example.com"));
        let (status, body) = read(wf(&app, Method::POST, &grant).form(&[("group", "ingestion")]).send().await.expect("send")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["groups"], json!(["ingestion"]));
        let revoke = format!("{}/revoke", user_path("ada@example.com"));
        let (_, body) = read(wf(&app, Method::POST, &revoke).form(&[("group", "ingestion")]).send().await.expect("send")).await;
        assert_eq!(body["groups"], json!([]));
        let (status, body) = read(wf(&app, Method::POST, &grant).form(&[("group", "flying")]).send().await.expect("send")).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["group"]);
    }

    async fn grant_and_revoke_permission_for_many_users_change_every_one(app) {
        app.user("a@example.com", "A").await;
        app.user("b@example.com", "B").await;
        let (status, body) = call(&app, Method::POST, "/api/v2/user/grant/alerts_management",
            Some(json!(["a@example.com", "b@example.com"]))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["identifier"], "a@example.com");
        assert_eq!(get_user(&app, "b@example.com").await.1["groups"], json!(["alerts_management"]));
        call(&app, Method::POST, "/api/v2/user/revoke/alerts_management", Some(json!(["b@example.com"]))).await;
        assert_eq!(get_user(&app, "b@example.com").await.1["groups"], json!([]));
        assert_eq!(get_user(&app, "a@example.com").await.1["groups"], json!(["alerts_management"]));
        let (status, body) = call(&app, Method::POST, "/api/v2/user/grant/nope", Some(json!(["a@example.com"]))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["permission"]);
    }

    async fn add_and_remove_user_groups_change_the_membership(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let group = create_group(&app, "Engineering", &[]).await;
        let add = format!("{}/addUserGroups", user_path("ada@example.com"));
        let (status, body) = call(&app, Method::POST, &add, Some(json!([group]))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(group_names(&body), ["Everyone", "Engineering"]);
        let remove = format!("{}/removeUserGroups", user_path("ada@example.com"));
        let (_, body) = call(&app, Method::POST, &remove, Some(json!([group]))).await;
        assert_eq!(group_names(&body), ["Everyone"]);
    }

    async fn no_one_is_removed_from_everyone(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let everyone = system_group(&app, "Everyone").await;
        let remove = format!("{}/removeUserGroups", user_path("ada@example.com"));
        let (status, body) = call(&app, Method::POST, &remove, Some(json!([everyone]))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["Everyone"]);
    }

    async fn validate_users_splits_valid_users_from_invalid_identifiers(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = call(&app, Method::POST, "/api/v2/user/validateUsers",
            Some(json!(["ADA@example.com", "nobody@example.com", "not an email"]))).await;
        assert_ok_container(status, &body);
        assert_eq!(body["response"]["validUsers"][0]["identifier"], "ada@example.com");
        assert_eq!(body["response"]["invalidIdentifiers"], json!(["nobody@example.com", "not an email"]));
    }

    async fn the_token_is_accepted_in_every_documented_header(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let path = user_path("ada@example.com");
        let headers = [
            ("X-AUTH-TOKEN", app.key.clone()),
            ("X-AUTH-TOKEN", format!("Bearer {}", app.key)),
            ("Authorization", format!("Bearer {}", app.key)),
        ];
        for (header, value) in headers {
            let response = app.anonymous(Method::GET, &path).header(header, value).send().await.expect("send");
            assert_eq!(response.status(), StatusCode::OK, "{header}");
        }
    }

    async fn a_missing_or_wrong_token_is_unauthorized(app) {
        let (status, body) = read(app.anonymous(Method::GET, "/api/v2/user").send().await.expect("send")).await;
        assert_error(status, &body, StatusCode::UNAUTHORIZED, &["X-AUTH-TOKEN"]);
        let (status, body) = read(app.anonymous(Method::GET, "/api/v2/user")
            .header("X-AUTH-TOKEN", "rst_wrong").send().await.expect("send")).await;
        assert_error(status, &body, StatusCode::UNAUTHORIZED, &[]);
    }

    async fn a_read_key_cannot_write(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = read(app.anonymous(Method::PUT, &user_path("ada@example.com"))
            .header("X-AUTH-TOKEN", &app.read_key)
            .json(&json!({"groups": ["ingestion"]})).send().await.expect("send")).await;
        assert_error(status, &body, StatusCode::FORBIDDEN, &[]);
    }

    async fn unknown_routes_under_api_v2_answer_in_the_wavefront_envelope(app) {
        let (status, body) = call(&app, Method::GET, "/api/v2/nothing-here", None).await;
        assert_error(status, &body, StatusCode::NOT_FOUND, &[]);
        let (status, body) = call(&app, Method::PATCH, "/api/v2/user", None).await;
        assert_error(status, &body, StatusCode::METHOD_NOT_ALLOWED, &[]);
    }

    async fn user_groups_list_pages_by_offset_and_limit_with_the_system_groups(app) {
        create_group(&app, "Alpha", &[]).await;
        create_group(&app, "Beta", &[]).await;
        let (status, body) = call(&app, Method::GET, "/api/v2/usergroup?offset=0&limit=3", None).await;
        assert_ok_container(status, &body);
        let page = &body["response"];
        let names: Vec<&str> = page["items"].as_array().expect("items").iter()
            .map(|group| group["name"].as_str().expect("name")).collect();
        assert_eq!(names, ["Alpha", "Beta", "Everyone"]);
        assert_eq!(page["totalItems"], 4);
        assert_eq!(page["moreItems"], true);
        assert_eq!(page["offset"], 0);
        assert_eq!(page["limit"], 3);
        let (_, body) = call(&app, Method::GET, "/api/v2/usergroup?offset=3&limit=3", None).await;
        assert_eq!(body["response"]["items"][0]["name"], "Service Accounts");
        assert_eq!(body["response"]["moreItems"], false);
    }

    async fn user_group_create_get_update_and_delete(app) {
        let role = create_role(&app, "Viewers", &["embedded_charts"]).await;
        let (status, body) = call(&app, Method::POST, "/api/v2/usergroup",
            Some(json!({"name": "Ops", "roleIDs": [role], "description": "On call"}))).await;
        assert_ok_container(status, &body);
        let group = &body["response"];
        assert_eq!(group["description"], "On call");
        assert_eq!(group["customer"], "acme");
        assert_eq!(group["roles"][0]["name"], "Viewers");
        assert_eq!(group["userCount"], 0);
        assert_eq!(group["users"], json!([]));
        assert_eq!(group["properties"], json!({"nameEditable": true, "usersEditable": true, "rolesEditable": true}));
        let id = id_of(group, "id");
        let path = format!("/api/v2/usergroup/{id}");
        let (status, body) = call(&app, Method::PUT, &path, Some(json!({"name": "Operations", "roleIDs": []}))).await;
        assert_ok_container(status, &body);
        assert_eq!(body["response"]["name"], "Operations");
        assert_eq!(body["response"]["roles"], json!([]));
        assert_eq!(body["response"]["description"], "On call");
        let (status, body) = call(&app, Method::DELETE, &path, None).await;
        assert_ok_container(status, &body);
        assert_eq!(body["response"]["name"], "Operations");
        let (status, body) = call(&app, Method::GET, &path, None).await;
        assert_error(status, &body, StatusCode::NOT_FOUND, &[]);
    }

    async fn user_group_names_are_unique_regardless_of_case(app) {
        create_group(&app, "Ops", &[]).await;
        let (status, body) = call(&app, Method::POST, "/api/v2/usergroup", Some(json!({"name": "OPS", "roleIDs": []}))).await;
        assert_error(status, &body, StatusCode::CONFLICT, &["name"]);
        let (status, body) = call(&app, Method::POST, "/api/v2/usergroup", Some(json!({"name": "everyone", "roleIDs": []}))).await;
        assert_error(status, &body, StatusCode::CONFLICT, &["name"]);
    }

    async fn user_group_ids_in_paths_must_be_object_ids(app) {
        let (status, body) = call(&app, Method::GET, "/api/v2/usergroup/nope", None).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["ObjectId"]);
    }

    async fn user_group_add_and_remove_users_by_email(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let group = create_group(&app, "Ops", &[]).await;
        let path = format!("/api/v2/usergroup/{group}/addUsers");
        let (status, body) = call(&app, Method::POST, &path, Some(json!(["ada@example.com"]))).await;
        assert_ok_container(status, &body);
        assert_eq!(body["response"]["users"], json!(["ada@example.com"]));
        assert_eq!(body["response"]["userCount"], 1);
        assert_eq!(group_names(&get_user(&app, "ada@example.com").await.1), ["Everyone", "Ops"]);
        let (status, body) = call(&app, Method::POST, &path, Some(json!(["nobody@example.com"]))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["nobody@example.com"]);
        let path = format!("/api/v2/usergroup/{group}/removeUsers");
        let (_, body) = call(&app, Method::POST, &path, Some(json!(["ada@example.com"]))).await;
        assert_eq!(body["response"]["userCount"], 0);
    }

    async fn user_group_add_and_remove_roles(app) {
        let role = create_role(&app, "Viewers", &["embedded_charts"]).await;
        let group = create_group(&app, "Ops", &[]).await;
        let (status, body) = call(&app, Method::POST, &format!("/api/v2/usergroup/{group}/addRoles"), Some(json!([role]))).await;
        assert_ok_container(status, &body);
        assert_eq!(body["response"]["roles"][0]["id"], role.as_str());
        let (_, body) = call(&app, Method::POST, &format!("/api/v2/usergroup/{group}/removeRoles"), Some(json!([role]))).await;
        assert_eq!(body["response"]["roles"], json!([]));
        let (status, body) = call(&app, Method::POST, &format!("/api/v2/usergroup/{group}/addRoles"),
            Some(json!(["5f0c6b2e9d1e8a0012345678"]))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["5f0c6b2e9d1e8a0012345678"]);
    }

    async fn everyone_counts_every_user_and_its_members_cannot_be_edited(app) {
        app.user("a@example.com", "A").await;
        app.user("b@example.com", "B").await;
        let everyone = system_group(&app, "Everyone").await;
        let (_, body) = call(&app, Method::GET, &format!("/api/v2/usergroup/{everyone}"), None).await;
        assert_eq!(body["response"]["userCount"], 2);
        assert_eq!(body["response"]["users"], json!(["a@example.com", "b@example.com"]));
        call(&app, Method::DELETE, &user_path("b@example.com"), None).await;
        let (_, body) = call(&app, Method::GET, &format!("/api/v2/usergroup/{everyone}"), None).await;
        assert_eq!(body["response"]["userCount"], 1, "a deleted user leaves Everyone");
        let (status, body) = call(&app, Method::POST, &format!("/api/v2/usergroup/{everyone}/removeUsers"),
            Some(json!(["a@example.com"]))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["Everyone"]);
        let (status, body) = call(&app, Method::PUT, &format!("/api/v2/usergroup/{everyone}"),
            Some(json!({"name": "All", "roleIDs": []}))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["name"]);
        let (status, body) = call(&app, Method::DELETE, &format!("/api/v2/usergroup/{everyone}"), None).await;
        assert_error(status, &body, StatusCode::FORBIDDEN, &[]);
    }

    async fn everyone_takes_roles_and_every_user_holds_them(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let role = create_role(&app, "Viewers", &["embedded_charts"]).await;
        let everyone = system_group(&app, "Everyone").await;
        let (status, body) = call(&app, Method::PUT, &format!("/api/v2/usergroup/{everyone}"),
            Some(json!({"name": "Everyone", "roleIDs": [role]}))).await;
        assert_ok_container(status, &body);
        let (_, user) = get_user(&app, "ada@example.com").await;
        assert_eq!(user["userGroups"][0]["roles"][0]["permissions"], json!(["embedded_charts"]));
        assert_eq!(user["groups"], json!([]), "groups are the direct permissions only");
    }

    async fn role_create_get_list_update_and_delete(app) {
        let (status, body) = call(&app, Method::POST, "/api/v2/role", Some(json!({
            "name": "Auditors", "description": "Read the books", "permissions": ["alerts_management", "ingestion"],
        }))).await;
        assert_ok_container(status, &body);
        let role = &body["response"];
        assert_eq!(role["permissions"], json!(["alerts_management", "ingestion"]));
        assert_eq!(role["customer"], "acme");
        assert_eq!(role["linkedAccountsCount"], 0);
        assert_eq!(role["lastUpdatedAccountId"], "tests");
        let id = id_of(role, "id");
        let path = format!("/api/v2/role/{id}");
        let (status, body) = call(&app, Method::GET, &path, None).await;
        assert_ok_container(status, &body);
        let (_, body) = call(&app, Method::GET, "/api/v2/role?offset=0&limit=10", None).await;
        assert_eq!(body["response"]["totalItems"], 1);
        assert_eq!(body["response"]["items"][0]["name"], "Auditors");
        let (status, body) = call(&app, Method::PUT, &path, Some(json!({"id": id, "name": "Auditors", "permissions": ["log_management"]}))).await;
        assert_ok_container(status, &body);
        assert_eq!(body["response"]["permissions"], json!(["log_management"]));
        assert_eq!(body["response"]["description"], "Read the books");
        let (status, body) = call(&app, Method::DELETE, &path, None).await;
        assert_ok_container(status, &body);
        assert_eq!(call(&app, Method::GET, &path, None).await.0, StatusCode::NOT_FOUND);
    }

    async fn role_rejects_unknown_permissions_and_taken_names(app) {
        let (status, body) = call(&app, Method::POST, "/api/v2/role", Some(json!({"name": "X", "permissions": ["root"]}))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["permissions[0]"]);
        create_role(&app, "Auditors", &[]).await;
        let (status, body) = call(&app, Method::POST, "/api/v2/role", Some(json!({"name": "auditors", "permissions": []}))).await;
        assert_error(status, &body, StatusCode::CONFLICT, &["name"]);
    }

    async fn role_update_refuses_a_body_id_other_than_the_path(app) {
        let id = create_role(&app, "Auditors", &[]).await;
        let (status, body) = call(&app, Method::PUT, &format!("/api/v2/role/{id}"),
            Some(json!({"id": "5f0c6b2e9d1e8a0012345678", "name": "Auditors"}))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["id"]);
    }

    async fn role_assignees_are_accounts_by_email_and_groups_by_id(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let role = create_role(&app, "Auditors", &["alerts_management"]).await;
        let group = create_group(&app, "Ops", &[]).await;
        let (status, body) = call(&app, Method::POST, &format!("/api/v2/role/{role}/addAssignees"),
            Some(json!(["ada@example.com", group]))).await;
        assert_ok_container(status, &body);
        let dto = &body["response"];
        assert_eq!(dto["linkedAccountsCount"], 1);
        assert_eq!(dto["linkedGroupsCount"], 1);
        assert_eq!(dto["sampleLinkedAccounts"], json!(["ada@example.com"]));
        assert_eq!(dto["sampleLinkedGroups"][0]["name"], "Ops");
        let (_, user) = get_user(&app, "ada@example.com").await;
        assert_eq!(user["roles"][0]["name"], "Auditors");
        let (status, body) = call(&app, Method::POST, &format!("/api/v2/role/{role}/removeAssignees"),
            Some(json!(["ada@example.com", group]))).await;
        assert_ok_container(status, &body);
        assert_eq!(body["response"]["linkedAccountsCount"], 0);
        assert_eq!(body["response"]["linkedGroupsCount"], 0);
        let (status, body) = call(&app, Method::POST, &format!("/api/v2/role/{role}/addAssignees"),
            Some(json!(["nobody@example.com"]))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &["nobody@example.com"]);
    }

    async fn grant_and_revoke_permission_for_roles_change_every_listed_role(app) {
        let a = create_role(&app, "A", &[]).await;
        let b = create_role(&app, "B", &[]).await;
        let (status, body) = call(&app, Method::POST, "/api/v2/role/grant/ingestion", Some(json!([a, b]))).await;
        assert_ok_container(status, &body);
        assert_eq!(body["response"]["id"], a.as_str());
        let (_, body) = call(&app, Method::GET, &format!("/api/v2/role/{b}"), None).await;
        assert_eq!(body["response"]["permissions"], json!(["ingestion"]));
        call(&app, Method::POST, "/api/v2/role/revoke/ingestion", Some(json!([b]))).await;
        let (_, body) = call(&app, Method::GET, &format!("/api/v2/role/{b}"), None).await;
        assert_eq!(body["response"]["permissions"], json!([]));
        let (status, body) = call(&app, Method::POST, "/api/v2/role/grant/ingestion",
            Some(json!(["5f0c6b2e9d1e8a0012345678"]))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &[]);
    }

    async fn deleting_a_role_takes_it_from_users_and_groups(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let role = create_role(&app, "Auditors", &["alerts_management"]).await;
        let group = create_group(&app, "Ops", &[&role]).await;
        put_user(&app, "ada@example.com", json!({"roles": [role], "userGroups": [group]})).await;
        call(&app, Method::DELETE, &format!("/api/v2/role/{role}"), None).await;
        let (_, user) = get_user(&app, "ada@example.com").await;
        assert_eq!(user["roles"], json!([]));
        assert_eq!(user["userGroups"][1]["roles"], json!([]));
    }

    async fn a_wavefront_update_reads_back_through_the_native_api(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let role = create_role(&app, "Auditors", &["alerts_management"]).await;
        let group = create_group(&app, "Ops", &[]).await;
        put_user(&app, "ada@example.com", json!({
            "identifier": "countess@example.com", "groups": ["ingestion"], "roles": [role], "userGroups": [group],
        })).await;
        let (status, native) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{native}");
        assert_eq!(native["user_email"], "countess@example.com");
        assert_eq!(native["user_permissions"], json!(["ingestion"]));
        assert_eq!(native["user_role_ids"], json!([role]));
        assert_eq!(native["user_group_ids"], json!([group]));
    }

    async fn a_native_update_reads_back_through_the_wavefront_api(app) {
        let id = app.user("ada@example.com", "Ada Lovelace").await;
        let role = create_role(&app, "Auditors", &["alerts_management"]).await;
        let group = create_group(&app, "Ops", &[]).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({
            "user_email": "countess@example.com", "user_permissions": ["log_management"],
            "user_role_ids": [role], "user_group_ids": [group],
        })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, user) = get_user(&app, "countess@example.com").await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(user["groups"], json!(["log_management"]));
        assert_eq!(user["roles"][0]["id"], role.as_str());
        assert_eq!(group_names(&user), ["Everyone", "Ops"]);
    }

    async fn groups_and_roles_changed_through_either_api_agree(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let group = create_group(&app, "Ops", &[]).await;
        let (_, native) = app.get(&format!("/v2/user-group/{group}")).await;
        assert_eq!(native["user_group_name"], "Ops");
        let (status, body) = app.patch(&format!("/v2/user-group/{group}"), json!({"user_group_name": "Operations"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, body) = call(&app, Method::GET, &format!("/api/v2/usergroup/{group}"), None).await;
        assert_eq!(body["response"]["name"], "Operations");
        let role = create_role(&app, "Auditors", &["alerts_management"]).await;
        let (_, native_role) = app.get(&format!("/v2/role/{role}")).await;
        assert_eq!(native_role["permissions"], json!(["alerts_management"]));
        let (status, body) = app.patch(&format!("/v2/role/{role}"), json!({"permissions": ["ingestion"]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, body) = call(&app, Method::GET, &format!("/api/v2/role/{role}"), None).await;
        assert_eq!(body["response"]["permissions"], json!(["ingestion"]));
    }

    async fn wavefront_changes_are_audited(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        put_user(&app, "ada@example.com", json!({"groups": ["ingestion"]})).await;
        create_role(&app, "Auditors", &[]).await;
        create_group(&app, "Ops", &[]).await;
        let (_, audit) = app.get("/v2/audit/list?page_size=100").await;
        let text = audit.to_string();
        for action in ["user.update", "role.create", "user_group.create"] {
            assert!(text.contains(action), "{action} not in {text}");
        }
    }
}
