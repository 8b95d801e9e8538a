//! Applications (`/v2/add-application`, `/v2/application/{appId}`, `/v2/applications`), their
//! licenses (`/v2/application/{appId}/add-license`, `/v2/application/{appId}/licenses`,
//! `/v2/license/{licenseId}`) and usage activity (`/v2/activity`). One test per rule, named after
//! it.

use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{as_other, as_reader, assert_invalid, error_params, id_of, read, TestApp};

const MISSING_ID: &str = "5f1d7a2b9c8e4d3f2a1b0c9e";

/// Creates an application from a whole body; returns the answer.
async fn create_app(app: &TestApp, body: Value) -> Value {
    let (status, created) = app.post("/v2/add-application", body).await;
    assert_eq!(status, StatusCode::CREATED, "create application: {created}");
    created
}

/// An application of the other tenant, created by it; returns its id.
async fn other_application(app: &TestApp, app_name: &str) -> String {
    let (status, body) = as_other(
        app,
        Method::POST,
        "/v2/add-application",
        Some(json!({"app_name": app_name})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    id_of(&body, "app_id")
}

/// A user of the other tenant, created by it; returns its id.
async fn other_user(app: &TestApp, email: &str) -> String {
    let (status, body) = as_other(
        app,
        Method::POST,
        "/v2/add-user",
        Some(json!({"user_name": "Someone Else", "user_email": email})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    id_of(&body, "user_id")
}

/// Creates an application custom field; returns its id.
async fn app_field(app: &TestApp, field_name: &str) -> String {
    let (status, body) = app
        .post(
            "/v2/add-custom-field",
            json!({"field_name": field_name, "field_type": "text", "entity": "application"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    id_of(&body, "field_id")
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {page}"))
}

/// The `field` of every item of a page, in the order answered.
fn column<'a>(page: &'a Value, field: &str) -> Vec<&'a str> {
    items(page)
        .iter()
        .map(|item| item[field].as_str().expect("a string"))
        .collect()
}

/// One page of `POST /v2/applications`, which must succeed.
async fn list_apps(app: &TestApp, body: Value) -> Value {
    let (status, page) = app.post("/v2/applications", body).await;
    assert_eq!(status, StatusCode::OK, "list applications: {page}");
    page
}

/// The sorted names of the applications matching one filter.
async fn filtered(app: &TestApp, filter: Value) -> Vec<String> {
    let page = list_apps(app, json!({"filter_by": [filter]})).await;
    let mut names: Vec<String> = column(&page, "app_name")
        .into_iter()
        .map(str::to_owned)
        .collect();
    names.sort();
    names
}

/// The application user, which must exist.
async fn app_user_of(app: &TestApp, app_id: &str, user_id: &str) -> Value {
    let (status, body) = app
        .get(&format!("/v2/application/{app_id}/user/{user_id}"))
        .await;
    assert_eq!(status, StatusCode::OK, "get application user: {body}");
    body
}

/// The license, which must exist.
async fn license_of(app: &TestApp, license_id: &str) -> Value {
    let (status, body) = app.get(&format!("/v2/license/{license_id}")).await;
    assert_eq!(status, StatusCode::OK, "get license: {body}");
    body
}

/// A response's ETag and body.
async fn with_etag(response: reqwest::Response) -> (StatusCode, String, Value) {
    let etag = response
        .headers()
        .get("etag")
        .map(|value| value.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    let (status, body) = read(response).await;
    (status, etag, body)
}

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap_or_else(|| panic!("no time: {value}")))
        .expect("an RFC 3339 time")
        .with_timezone(&Utc)
}

/// The audit events about this entity, newest first.
async fn audit_actions(app: &TestApp, entity_id: &str) -> Vec<Value> {
    let (status, page) = app.get("/v2/audit/list?page_size=1000").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    items(&page)
        .iter()
        .filter(|event| event["entity_id"] == entity_id)
        .cloned()
        .collect()
}

/// Ada, a user of Slack holding its Pro license (`seats` of them, at 9.99 USD):
/// `(app_id, user_id, license_id)`.
async fn holder(app: &TestApp, seats: Option<u64>) -> (String, String, String) {
    let app_id = app.application("Slack").await;
    let license = app.license(&app_id, "Pro", seats, 9.99, "USD").await;
    let user = app.user("ada@example.com", "Ada Lovelace").await;
    app.app_user(
        &app_id,
        "ada@example.com",
        json!({"assign_licenses": [license]}),
    )
    .await;
    (app_id, user, license)
}

/// `count` activity events of one user (`user` is `("user_id", id)` or `("user_email", email)`)
/// for one application, a second apart from 2024-01-01T00:00:00Z on.
fn batch(count: usize, user: (&str, &str), app_id: &str) -> Vec<Value> {
    let start = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").expect("time");
    (0..count)
        .map(|second| {
            let at = start + chrono::Duration::seconds(i64::try_from(second).expect("small"));
            let mut event = json!({"app_id": app_id,
                   "used_at": at.with_timezone(&Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string()});
            event[user.0] = json!(user.1);
            event
        })
        .collect()
}

on_both_backends! {
    // ---- POST /v2/add-application ----

    async fn create_application_answers_201_with_a_location_and_an_etag(app) {
        let response = app.request(Method::POST, "/v2/add-application")
            .json(&json!({"app_name": "Slack"})).send().await.expect("send");
        let location = response.headers().get("location").map(|value| value.to_str().expect("ascii").to_owned());
        let (status, etag, body) = with_etag(response).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = id_of(&body, "app_id");
        assert_eq!(id.len(), 24, "an ObjectId: {id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "an ObjectId: {id}");
        assert_eq!(location.as_deref(), Some(format!("/v2/application/{id}").as_str()));
        assert_eq!(etag, format!("\"{}\"", body["version"]));
        assert_eq!(body["app_name"], "Slack");
        let mut keys: Vec<&str> = body.as_object().expect("object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["app_budget", "app_custom_fields", "app_financial_owner_id", "app_id", "app_name",
            "app_owner_id", "app_status", "app_tags", "app_technical_owner_id", "app_type", "archive",
            "created_at", "updated_at", "version"]);
        assert!(time(&body["created_at"]) <= time(&body["updated_at"]), "{body}");
        let (status, fetched) = app.get(&format!("/v2/application/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fetched, body);
    }

    async fn create_application_defaults_to_an_active_application(app) {
        let body = create_app(&app, json!({"app_name": "Slack"})).await;
        assert_eq!(body["app_type"], "application");
        assert_eq!(body["app_status"], "active");
        assert!(body["app_owner_id"].is_null(), "{body}");
        assert!(body["app_technical_owner_id"].is_null(), "{body}");
        assert!(body["app_financial_owner_id"].is_null(), "{body}");
        assert_eq!(body["app_tags"], json!([]));
        assert!(body["app_budget"].is_null(), "{body}");
        assert_eq!(body["archive"], false);
        assert_eq!(body["app_custom_fields"], json!([]));
    }

    async fn create_application_requires_a_name(app) {
        for body in [json!({}), json!({"app_name": null}), json!({"app_name": ""}),
            json!({"app_name": "   "}), json!({"app_name": 7}), json!({"app_type": "website"})] {
            let (status, answer) = app.post("/v2/add-application", body.clone()).await;
            assert_invalid(status, &answer, &["app_name"]);
        }
        let page = list_apps(&app, json!({})).await;
        assert_eq!(page["count"], 0, "nothing was created");
    }

    async fn create_application_rejects_a_taken_name_regardless_of_case(app) {
        app.application("Slack").await;
        for taken in ["Slack", "SLACK", "slack", " slack "] {
            let (status, body) = app.post("/v2/add-application", json!({"app_name": taken})).await;
            assert_eq!(status, StatusCode::CONFLICT, "{taken}: {body}");
            assert_eq!(body["code"], "CONFLICT");
            assert_eq!(error_params(&body), ["app_name"]);
        }
        assert_eq!(list_apps(&app, json!({})).await["count"], 1);
    }

    async fn create_application_allows_a_name_another_tenant_has(app) {
        other_application(&app, "Slack").await;
        app.application("Slack").await;
    }

    async fn create_application_accepts_every_app_type(app) {
        for app_type in ["application", "website", "device", "browser", "other"] {
            let body = create_app(&app, json!({"app_name": format!("A {app_type}"), "app_type": app_type})).await;
            assert_eq!(body["app_type"], app_type);
            let (_, fetched) = app.get(&format!("/v2/application/{}", id_of(&body, "app_id"))).await;
            assert_eq!(fetched["app_type"], app_type);
        }
    }

    async fn create_application_sets_every_optional_field(app) {
        let owner = app.user("ada@example.com", "Ada Lovelace").await;
        let technical = app.user("grace@example.com", "Grace Hopper").await;
        let financial = app.user("alan@example.com", "Alan Turing").await;
        let field = app_field(&app, "Cost center").await;
        let body = create_app(&app, json!({
            "app_name": "Slack", "app_type": "website", "app_status": "inactive",
            "app_owner_id": owner, "app_technical_owner_id": technical, "app_financial_owner_id": financial,
            "app_tags": ["chat", "collaboration"], "app_budget": 1500.25, "archive": true,
            "app_custom_fields": [{"field_id": field, "field_value": "CC-42"}],
        })).await;
        assert_eq!(body["app_type"], "website");
        assert_eq!(body["app_status"], "inactive");
        assert_eq!(body["app_owner_id"], owner.as_str());
        assert_eq!(body["app_technical_owner_id"], technical.as_str());
        assert_eq!(body["app_financial_owner_id"], financial.as_str());
        assert_eq!(body["app_tags"], json!(["chat", "collaboration"]));
        assert_eq!(body["app_budget"], json!(1500.25));
        assert_eq!(body["archive"], true);
        assert_eq!(body["app_custom_fields"], json!([{"field_id": field, "field_value": "CC-42"}]));
        let (status, fetched) = app.get(&format!("/v2/application/{}", id_of(&body, "app_id"))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fetched, body);
    }

    async fn create_application_returns_tags_distinct_and_sorted(app) {
        let body = create_app(&app, json!({"app_name": "Slack",
            "app_tags": ["zeta", "alpha", "zeta", " beta ", "alpha"]})).await;
        assert_eq!(body["app_tags"], json!(["alpha", "beta", "zeta"]));
        let (_, fetched) = app.get(&format!("/v2/application/{}", id_of(&body, "app_id"))).await;
        assert_eq!(fetched["app_tags"], json!(["alpha", "beta", "zeta"]));
    }

    async fn create_application_requires_owners_to_be_users_of_the_tenant(app) {
        let theirs = other_user(&app, "eve@example.com").await;
        let (status, body) = app.post("/v2/add-application", json!({"app_name": "Slack",
            "app_owner_id": MISSING_ID, "app_technical_owner_id": theirs, "app_financial_owner_id": "nope"})).await;
        assert_invalid(status, &body, &["app_owner_id", "app_technical_owner_id", "app_financial_owner_id"]);
        assert_eq!(list_apps(&app, json!({})).await["count"], 0, "nothing was created");
    }

    async fn create_application_refuses_a_user_custom_field(app) {
        let user_field = app.custom_field("Nickname", "text", &[]).await;
        let (status, body) = app.post("/v2/add-application", json!({"app_name": "Slack",
            "app_custom_fields": [{"field_id": user_field, "field_value": "x"}]})).await;
        assert_invalid(status, &body, &["app_custom_fields[0].field_id"]);
        let (status, body) = app.post("/v2/add-application", json!({"app_name": "Slack",
            "app_custom_fields": [{"field_id": MISSING_ID, "field_value": "x"}]})).await;
        assert_invalid(status, &body, &["app_custom_fields[0].field_id"]);
        assert_eq!(list_apps(&app, json!({})).await["count"], 0);
    }

    async fn create_application_rejects_bad_enum_values_listing_the_allowed_ones(app) {
        let (status, body) = app.post("/v2/add-application",
            json!({"app_name": "Slack", "app_type": "saas", "app_status": "Active"})).await;
        assert_invalid(status, &body, &["app_type", "app_status"]);
        for error in body["errors"].as_array().expect("errors") {
            let msg = error["msg"].as_str().expect("msg");
            match error["param"].as_str() {
                Some("app_type") => assert!(msg.contains("application, website, device, browser, other"), "{msg}"),
                _ => assert!(msg.contains("active, inactive"), "{msg}"),
            }
        }
    }

    async fn create_application_rejects_unknown_fields(app) {
        let (status, body) = app.post("/v2/add-application",
            json!({"app_name": "Slack", "app_owner": MISSING_ID, "vendor": "Salesforce"})).await;
        assert_invalid(status, &body, &["app_owner", "vendor"]);
        assert_eq!(list_apps(&app, json!({})).await["count"], 0);
    }

    async fn create_application_rejects_wrong_types_all_at_once(app) {
        let (status, body) = app.post("/v2/add-application", json!({"app_name": "Slack",
            "app_budget": -1, "archive": "yes", "app_tags": "chat", "app_owner_id": 7})).await;
        assert_invalid(status, &body, &["app_budget", "archive", "app_tags", "app_owner_id"]);
        let (status, body) = app.post("/v2/add-application", json!({"app_name": "Slack",
            "app_budget": "100", "app_tags": ["ok", 3, ""]})).await;
        assert_invalid(status, &body, &["app_budget", "app_tags[1]", "app_tags[2]"]);
    }

    async fn create_application_with_a_read_only_key_is_forbidden(app) {
        let (status, body) = as_reader(&app, Method::POST, "/v2/add-application",
            Some(json!({"app_name": "Slack"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(list_apps(&app, json!({})).await["count"], 0);
    }

    // ---- GET|PATCH|DELETE /v2/application/{appId} ----

    async fn application_rejects_an_id_that_is_not_an_object_id(app) {
        let (status, body) = app.get("/v2/application/not-an-id").await;
        assert_invalid(status, &body, &["appId"]);
        assert_eq!(body["errors"][0]["location"], "params");
        let (status, body) = app.patch("/v2/application/123", json!({"app_status": "inactive"})).await;
        assert_invalid(status, &body, &["appId"]);
        let (status, body) = app.delete("/v2/application/zzzzzzzzzzzzzzzzzzzzzzzz").await;
        assert_invalid(status, &body, &["appId"]);
    }

    async fn application_that_does_not_exist_is_not_found(app) {
        let path = format!("/v2/application/{MISSING_ID}");
        let (status, body) = app.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["code"], "NOT_FOUND");
        let (status, _) = app.patch(&path, json!({"app_status": "inactive"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn application_of_another_tenant_is_not_found_and_untouched(app) {
        let theirs = other_application(&app, "Theirs").await;
        let path = format!("/v2/application/{theirs}");
        let (status, body) = app.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!body.to_string().contains("Theirs"), "{body}");
        let (status, _) = app.patch(&path, json!({"app_name": "Mine"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, application) = as_other(&app, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(application["app_name"], "Theirs");
        assert_eq!(application["version"], 1);
    }

    async fn update_application_changes_only_the_fields_given(app) {
        let owner = app.user("ada@example.com", "Ada Lovelace").await;
        let field = app_field(&app, "Cost center").await;
        let before = create_app(&app, json!({"app_name": "Slack", "app_owner_id": owner,
            "app_tags": ["chat"], "app_budget": 100,
            "app_custom_fields": [{"field_id": field, "field_value": "CC-1"}]})).await;
        let id = id_of(&before, "app_id");
        let (status, after) = app.patch(&format!("/v2/application/{id}"), json!({"app_status": "inactive"})).await;
        assert_eq!(status, StatusCode::OK, "{after}");
        assert_eq!(after["app_status"], "inactive");
        assert_eq!(after["version"], before["version"].as_i64().expect("version") + 1);
        for unchanged in ["app_name", "app_type", "app_owner_id", "app_tags", "app_budget", "archive",
            "app_custom_fields", "created_at"] {
            assert_eq!(after[unchanged], before[unchanged], "{unchanged}");
        }
        let technical = app.user("grace@example.com", "Grace Hopper").await;
        let (status, after) = app.patch(&format!("/v2/application/{id}"), json!({
            "app_name": "Slack Enterprise", "app_type": "browser", "app_technical_owner_id": technical,
            "app_tags": ["work", "chat", "work"], "app_budget": 250.5, "archive": true,
        })).await;
        assert_eq!(status, StatusCode::OK, "{after}");
        assert_eq!(after["app_name"], "Slack Enterprise");
        assert_eq!(after["app_type"], "browser");
        assert_eq!(after["app_technical_owner_id"], technical.as_str());
        assert_eq!(after["app_owner_id"], owner.as_str());
        assert_eq!(after["app_tags"], json!(["chat", "work"]));
        assert_eq!(after["app_budget"], json!(250.5));
        assert_eq!(after["archive"], true);
        assert_eq!(after["app_status"], "inactive");
        let (_, fetched) = app.get(&format!("/v2/application/{id}")).await;
        assert_eq!(fetched, after);
    }

    async fn update_application_null_clears_owners_and_budget(app) {
        let owner = app.user("ada@example.com", "Ada Lovelace").await;
        let before = create_app(&app, json!({"app_name": "Slack", "app_owner_id": owner,
            "app_technical_owner_id": owner, "app_financial_owner_id": owner, "app_budget": 100})).await;
        let id = id_of(&before, "app_id");
        let (status, after) = app.patch(&format!("/v2/application/{id}"), json!({"app_owner_id": null,
            "app_technical_owner_id": null, "app_financial_owner_id": null, "app_budget": null})).await;
        assert_eq!(status, StatusCode::OK, "{after}");
        for cleared in ["app_owner_id", "app_technical_owner_id", "app_financial_owner_id", "app_budget"] {
            assert!(after[cleared].is_null(), "{cleared}: {after}");
        }
        let (_, fetched) = app.get(&format!("/v2/application/{id}")).await;
        assert_eq!(fetched, after);
    }

    async fn update_application_refuses_null_for_name_type_status_and_archive(app) {
        let id = app.application("Slack").await;
        let (status, body) = app.patch(&format!("/v2/application/{id}"),
            json!({"app_name": null, "app_type": null, "app_status": null, "archive": null, "app_tags": null})).await;
        assert_invalid(status, &body, &["app_name", "app_type", "app_status", "archive", "app_tags"]);
    }

    async fn update_application_rejects_a_name_another_application_has(app) {
        app.application("Slack").await;
        let id = app.application("Zoom").await;
        let (status, body) = app.patch(&format!("/v2/application/{id}"), json!({"app_name": "SLACK"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(error_params(&body), ["app_name"]);
        let (_, application) = app.get(&format!("/v2/application/{id}")).await;
        assert_eq!(application["app_name"], "Zoom");
        assert_eq!(application["version"], 1);
    }

    async fn update_application_accepts_its_own_name_in_another_case(app) {
        let id = app.application("Slack").await;
        let (status, body) = app.patch(&format!("/v2/application/{id}"), json!({"app_name": "SLACK"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["app_name"], "SLACK");
    }

    async fn update_application_rejects_invalid_fields_all_at_once_and_writes_nothing(app) {
        let id = app.application("Slack").await;
        let (_, before) = app.get(&format!("/v2/application/{id}")).await;
        let user_field = app.custom_field("Nickname", "text", &[]).await;
        let (status, body) = app.patch(&format!("/v2/application/{id}"), json!({
            "app_status": "inactive", "app_type": "saas", "app_owner_id": MISSING_ID,
            "app_budget": -5, "app_custom_fields": [{"field_id": user_field, "field_value": "x"}], "colour": "red",
        })).await;
        assert_invalid(status, &body, &["app_type", "app_owner_id", "app_budget",
            "app_custom_fields[0].field_id", "colour"]);
        let (_, after) = app.get(&format!("/v2/application/{id}")).await;
        assert_eq!(after, before);
    }

    async fn update_application_sets_and_removes_custom_values(app) {
        let center = app_field(&app, "Cost center").await;
        let region = app_field(&app, "Region").await;
        let body = create_app(&app, json!({"app_name": "Slack",
            "app_custom_fields": [{"field_id": center, "field_value": "CC-1"}]})).await;
        let id = id_of(&body, "app_id");
        let (status, body) = app.patch(&format!("/v2/application/{id}"), json!({"app_custom_fields": [
            {"field_id": region, "field_value": "EMEA", "custom_field_name": "Region"}]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let values = body["app_custom_fields"].as_array().expect("values");
        assert_eq!(values.len(), 2, "{body}");
        assert!(values.contains(&json!({"field_id": center, "field_value": "CC-1"})), "{body}");
        assert!(values.contains(&json!({"field_id": region, "field_value": "EMEA"})), "{body}");
        let (status, body) = app.patch(&format!("/v2/application/{id}"),
            json!({"app_custom_fields": [{"field_id": center, "field_value": null}]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["app_custom_fields"], json!([{"field_id": region, "field_value": "EMEA"}]));
    }

    async fn update_application_with_a_stale_if_match_is_refused_and_writes_nothing(app) {
        let id = app.application("Slack").await;
        app.patch(&format!("/v2/application/{id}"), json!({"app_status": "inactive"})).await;
        let response = app.request(Method::PATCH, &format!("/v2/application/{id}")).header("if-match", "\"1\"")
            .json(&json!({"app_name": "Stale"})).send().await.expect("send");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{body}");
        assert_eq!(body["code"], "PRECONDITION_FAILED");
        let (_, application) = app.get(&format!("/v2/application/{id}")).await;
        assert_eq!(application["app_name"], "Slack");
        assert_eq!(application["version"], 2);
        let response = app.request(Method::PATCH, &format!("/v2/application/{id}")).header("if-match", "\"2\"")
            .json(&json!({"app_name": "Fresh"})).send().await.expect("send");
        let (status, etag, body) = with_etag(response).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["app_name"], "Fresh");
        assert_eq!(etag, "\"3\"");
    }

    async fn update_application_is_audited_as_application_update(app) {
        let id = app.application("Slack").await;
        let (status, _) = app.patch(&format!("/v2/application/{id}"), json!({"app_name": "Slack Enterprise"})).await;
        assert_eq!(status, StatusCode::OK);
        let events = audit_actions(&app, &id).await;
        let actions: Vec<&str> = events.iter().map(|event| event["action"].as_str().expect("action")).collect();
        assert_eq!(actions, ["application.update", "application.create"]);
        assert_eq!(events[0]["entity_type"], "application");
        let changes = events[0]["changes"].as_array().expect("changes");
        assert!(changes.iter().any(|change| change["before"] == "Slack" && change["after"] == "Slack Enterprise"),
            "{changes:?}");
        let (status, _) = app.patch(&format!("/v2/application/{id}"), json!({"app_type": "nope"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(audit_actions(&app, &id).await.len(), 2, "a refused change is not audited");
    }

    async fn update_application_with_a_read_only_key_is_forbidden(app) {
        let id = app.application("Slack").await;
        let (status, body) = as_reader(&app, Method::PATCH, &format!("/v2/application/{id}"),
            Some(json!({"app_status": "inactive"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = as_reader(&app, Method::DELETE, &format!("/v2/application/{id}"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, application) = as_reader(&app, Method::GET, &format!("/v2/application/{id}"), None).await;
        assert_eq!(status, StatusCode::OK, "reading is allowed");
        assert_eq!(application["app_status"], "active");
    }

    async fn delete_application_answers_204_and_it_is_gone(app) {
        let id = app.application("Slack").await;
        let (status, body) = app.delete(&format!("/v2/application/{id}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert!(body.is_null(), "no body: {body}");
        let (status, _) = app.get(&format!("/v2/application/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&format!("/v2/application/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        app.application("Slack").await;
    }

    async fn delete_application_removes_its_licenses_and_application_users(app) {
        let (app_id, user, license) = holder(&app, Some(5)).await;
        let spare = app.license(&app_id, "Free", None, 0.0, "USD").await;
        let kept_app = app.application("Zoom").await;
        let kept_license = app.license(&kept_app, "Pro", Some(5), 15.0, "USD").await;
        app.app_user(&kept_app, "ada@example.com", json!({"assign_licenses": [kept_license]})).await;
        let (status, _) = app.delete(&format!("/v2/application/{app_id}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        for gone in [&license, &spare] {
            let (status, body) = app.get(&format!("/v2/license/{gone}")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        }
        let (status, _) = app.get(&format!("/v2/application/{app_id}/user/{user}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, page) = app.post(&format!("/v2/users/{user}/applications"), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(column(&page, "app_id"), [kept_app.as_str()]);
        let (status, _) = app.get(&format!("/v2/user/{user}")).await;
        assert_eq!(status, StatusCode::OK, "the user stays");
        assert_eq!(license_of(&app, &kept_license).await["seats_used"], 1);
    }

    // ---- POST /v2/applications ----

    async fn list_applications_answers_a_page(app) {
        for name in ["Slack", "Zoom", "Figma"] {
            app.application(name).await;
        }
        let page = list_apps(&app, json!({})).await;
        assert_eq!(page["count"], 3);
        assert_eq!(page["page"], 1);
        assert_eq!(page["page_size"], 50);
        let mut names = column(&page, "app_name");
        names.sort_unstable();
        assert_eq!(names, ["Figma", "Slack", "Zoom"]);
        let (_, one) = app.get(&format!("/v2/application/{}", id_of(&items(&page)[0], "app_id"))).await;
        assert_eq!(one, items(&page)[0], "list items are whole applications");
        let page = list_apps(&app, json!({"page": 2, "page_size": 2, "sort_by": [{"app_name": 1}]})).await;
        assert_eq!(page["count"], 3);
        assert_eq!(page["page"], 2);
        assert_eq!(page["page_size"], 2);
        assert_eq!(column(&page, "app_name"), ["Zoom"]);
        let page = list_apps(&app, json!({"page": 3, "page_size": 2})).await;
        assert!(items(&page).is_empty());
    }

    async fn list_applications_filters_by_status(app) {
        create_app(&app, json!({"app_name": "Slack"})).await;
        create_app(&app, json!({"app_name": "Zoom", "app_status": "inactive"})).await;
        assert_eq!(filtered(&app, json!({"field_id": "app_status", "field_values": ["inactive"]})).await, ["Zoom"]);
        assert_eq!(filtered(&app, json!({"field_id": "app_status", "field_values": ["active"]})).await, ["Slack"]);
        assert_eq!(filtered(&app, json!({"field_id": "app_status", "field_values": ["active"], "negative": true})).await,
            ["Zoom"]);
        let (status, body) = app.post("/v2/applications",
            json!({"filter_by": [{"field_id": "app_status", "field_values": ["paused"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }

    async fn list_applications_filters_by_type(app) {
        create_app(&app, json!({"app_name": "Slack"})).await;
        create_app(&app, json!({"app_name": "Laptop", "app_type": "device"})).await;
        create_app(&app, json!({"app_name": "Chrome", "app_type": "browser"})).await;
        assert_eq!(filtered(&app, json!({"field_id": "app_type", "field_values": ["device", "browser"]})).await,
            ["Chrome", "Laptop"]);
        assert_eq!(filtered(&app, json!({"field_id": "app_type", "field_values": ["application"]})).await, ["Slack"]);
        assert!(filtered(&app, json!({"field_id": "app_type", "field_values": ["website"]})).await.is_empty());
    }

    async fn list_applications_filters_by_archive(app) {
        create_app(&app, json!({"app_name": "Slack"})).await;
        create_app(&app, json!({"app_name": "HipChat", "archive": true})).await;
        assert_eq!(filtered(&app, json!({"field_id": "archive", "field_values": [true]})).await, ["HipChat"]);
        assert_eq!(filtered(&app, json!({"field_id": "archive", "field_values": false})).await, ["Slack"]);
        let (status, body) = app.post("/v2/applications",
            json!({"filter_by": [{"field_id": "archive", "field_values": ["maybe"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }

    async fn list_applications_filters_by_any_of_the_three_owners(app) {
        let ada = app.user("ada@example.com", "Ada Lovelace").await;
        let grace = app.user("grace@example.com", "Grace Hopper").await;
        create_app(&app, json!({"app_name": "Slack", "app_owner_id": ada})).await;
        create_app(&app, json!({"app_name": "Zoom", "app_technical_owner_id": ada})).await;
        create_app(&app, json!({"app_name": "Figma", "app_financial_owner_id": ada})).await;
        create_app(&app, json!({"app_name": "Jira", "app_owner_id": grace})).await;
        create_app(&app, json!({"app_name": "Notion"})).await;
        assert_eq!(filtered(&app, json!({"field_id": "app_owner_id", "field_values": [ada]})).await,
            ["Figma", "Slack", "Zoom"]);
        assert_eq!(filtered(&app, json!({"field_id": "app_owner_id", "field_values": [grace]})).await, ["Jira"]);
        let (status, body) = app.post("/v2/applications",
            json!({"filter_by": [{"field_id": "app_owner_id", "field_values": ["ada"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }

    async fn list_applications_filters_by_any_of_the_tags(app) {
        create_app(&app, json!({"app_name": "Slack", "app_tags": ["chat", "work"]})).await;
        create_app(&app, json!({"app_name": "Zoom", "app_tags": ["video"]})).await;
        create_app(&app, json!({"app_name": "Notion"})).await;
        assert_eq!(filtered(&app, json!({"field_id": "app_tags", "field_values": ["chat"]})).await, ["Slack"]);
        assert_eq!(filtered(&app, json!({"field_id": "app_tags", "field_values": ["work", "video"]})).await,
            ["Slack", "Zoom"]);
        assert!(filtered(&app, json!({"field_id": "app_tags", "field_values": ["wor"]})).await.is_empty(),
            "tags match whole");
    }

    async fn list_applications_searches_by_name(app) {
        for name in ["Slack", "Slack Huddles", "Zoom"] {
            app.application(name).await;
        }
        let page = list_apps(&app, json!({"search_query": "SLACK"})).await;
        assert_eq!(page["count"], 2);
        let mut names = column(&page, "app_name");
        names.sort_unstable();
        assert_eq!(names, ["Slack", "Slack Huddles"]);
        let page = list_apps(&app, json!({"search_query": "huddle, zoo"})).await;
        let mut names = column(&page, "app_name");
        names.sort_unstable();
        assert_eq!(names, ["Slack Huddles", "Zoom"]);
        assert_eq!(list_apps(&app, json!({"search_query": "teams"})).await["count"], 0);
    }

    async fn list_applications_sorts_by_name_both_ways(app) {
        for name in ["Slack", "Asana", "Zoom", "Miro"] {
            app.application(name).await;
        }
        let page = list_apps(&app, json!({"sort_by": [{"app_name": 1}]})).await;
        assert_eq!(column(&page, "app_name"), ["Asana", "Miro", "Slack", "Zoom"]);
        let page = list_apps(&app, json!({"sort_by": [{"app_name": -1}]})).await;
        assert_eq!(column(&page, "app_name"), ["Zoom", "Slack", "Miro", "Asana"]);
        let (status, body) = app.post("/v2/applications",
            json!({"sort_by": [{"app_budget": 1}, {"app_name": 2}]})).await;
        assert_invalid(status, &body, &["sort_by[0]", "sort_by[1]"]);
    }

    async fn list_applications_rejects_unknown_filters_and_fields(app) {
        let (status, body) = app.post("/v2/applications", json!({"filter_by": [
            {"field_id": "app_vendor", "field_values": ["x"]}], "colour": "red"})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values", "colour"]);
    }

    async fn list_applications_shows_only_the_tenants_own(app) {
        app.application("Slack").await;
        other_application(&app, "Theirs").await;
        other_application(&app, "Slack").await;
        let page = list_apps(&app, json!({})).await;
        assert_eq!(page["count"], 1);
        assert_eq!(column(&page, "app_name"), ["Slack"]);
        assert_eq!(list_apps(&app, json!({"search_query": "theirs"})).await["count"], 0);
        let (status, page) = as_other(&app, Method::POST, "/v2/applications", Some(json!({}))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["count"], 2);
    }

    // ---- POST /v2/application/{appId}/add-license ----

    async fn create_license_answers_201_with_the_license(app) {
        let app_id = app.application("Slack").await;
        let response = app.request(Method::POST, &format!("/v2/application/{app_id}/add-license"))
            .json(&json!({"license_name": "Pro", "license_seats": 10, "license_cost_per_seat": 8.75,
                "license_currency": "EUR"})).send().await.expect("send");
        let (status, etag, body) = with_etag(response).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = id_of(&body, "license_id");
        assert_eq!(id.len(), 24, "an ObjectId: {id}");
        assert_eq!(etag, format!("\"{}\"", body["version"]));
        assert_eq!(body["app_id"], app_id.as_str());
        assert_eq!(body["license_name"], "Pro");
        assert_eq!(body["license_seats"], 10);
        assert_eq!(body["license_cost_per_seat"], json!(8.75));
        assert_eq!(body["license_currency"], "EUR");
        assert_eq!(body["seats_used"], 0);
        assert_eq!(body["seats_free"], 10);
        let mut keys: Vec<&str> = body.as_object().expect("object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["app_id", "created_at", "license_cost_per_seat", "license_currency", "license_id",
            "license_name", "license_seats", "seats_free", "seats_used", "updated_at", "version"]);
        assert_eq!(license_of(&app, &id).await, body);
    }

    async fn create_license_requires_a_name_and_a_cost(app) {
        let app_id = app.application("Slack").await;
        let path = format!("/v2/application/{app_id}/add-license");
        let (status, body) = app.post(&path, json!({})).await;
        assert_invalid(status, &body, &["license_name", "license_cost_per_seat"]);
        let (status, body) = app.post(&path, json!({"license_name": "Pro"})).await;
        assert_invalid(status, &body, &["license_cost_per_seat"]);
        let (status, body) = app.post(&path, json!({"license_cost_per_seat": 1})).await;
        assert_invalid(status, &body, &["license_name"]);
        let (status, body) = app.post(&path, json!({"license_name": " ", "license_cost_per_seat": null})).await;
        assert_invalid(status, &body, &["license_name", "license_cost_per_seat"]);
        let (_, page) = app.post(&format!("/v2/application/{app_id}/licenses"), json!({})).await;
        assert_eq!(page["count"], 0, "nothing was created");
    }

    async fn create_license_with_null_or_absent_seats_is_unlimited(app) {
        let app_id = app.application("Slack").await;
        let path = format!("/v2/application/{app_id}/add-license");
        for (name, body) in [("Absent", json!({"license_name": "Absent", "license_cost_per_seat": 1})),
            ("Null", json!({"license_name": "Null", "license_cost_per_seat": 1, "license_seats": null}))] {
            let (status, license) = app.post(&path, body).await;
            assert_eq!(status, StatusCode::CREATED, "{name}: {license}");
            assert!(license["license_seats"].is_null(), "{license}");
            assert!(license["seats_free"].is_null(), "{license}");
            assert!(license.as_object().expect("object").contains_key("seats_free"), "{license}");
            assert_eq!(license["seats_used"], 0);
        }
        let license = app.license(&app_id, "Zero", Some(0), 1.0, "USD").await;
        let license = license_of(&app, &license).await;
        assert_eq!(license["license_seats"], 0, "zero seats is not unlimited");
        assert_eq!(license["seats_free"], 0);
    }

    async fn create_license_currency_defaults_to_usd(app) {
        let app_id = app.application("Slack").await;
        let (status, body) = app.post(&format!("/v2/application/{app_id}/add-license"),
            json!({"license_name": "Pro", "license_cost_per_seat": 5})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["license_currency"], "USD");
    }

    async fn create_license_upper_cases_the_currency(app) {
        let app_id = app.application("Slack").await;
        let (status, body) = app.post(&format!("/v2/application/{app_id}/add-license"),
            json!({"license_name": "Pro", "license_cost_per_seat": 5, "license_currency": "inr"})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["license_currency"], "INR");
        assert_eq!(license_of(&app, &id_of(&body, "license_id")).await["license_currency"], "INR");
    }

    async fn create_license_rejects_an_invalid_currency(app) {
        let app_id = app.application("Slack").await;
        for currency in [json!("dollars"), json!("US"), json!("U$D"), json!(""), json!(840), json!(null)] {
            let (status, body) = app.post(&format!("/v2/application/{app_id}/add-license"),
                json!({"license_name": "Pro", "license_cost_per_seat": 5, "license_currency": currency})).await;
            assert_invalid(status, &body, &["license_currency"]);
        }
    }

    async fn create_license_rejects_a_negative_cost_fractional_seats_and_a_string_cost(app) {
        let app_id = app.application("Slack").await;
        let path = format!("/v2/application/{app_id}/add-license");
        let (status, body) = app.post(&path, json!({"license_name": "Pro", "license_cost_per_seat": -1})).await;
        assert_invalid(status, &body, &["license_cost_per_seat"]);
        let (status, body) = app.post(&path, json!({"license_name": "Pro", "license_cost_per_seat": "9.99"})).await;
        assert_invalid(status, &body, &["license_cost_per_seat"]);
        for seats in [json!(2.5), json!(-3), json!("10"), json!(true)] {
            let (status, body) = app.post(&path,
                json!({"license_name": "Pro", "license_cost_per_seat": 1, "license_seats": seats})).await;
            assert_invalid(status, &body, &["license_seats"]);
        }
        let (status, body) = app.post(&path, json!({"license_name": "Pro", "license_cost_per_seat": -0.01,
            "license_seats": 1.5, "license_currency": "x", "license_type": "seat"})).await;
        assert_invalid(status, &body, &["license_cost_per_seat", "license_seats", "license_currency", "license_type"]);
    }

    async fn create_license_never_answers_seats_it_did_not_store(app) {
        let app_id = app.application("Slack").await;
        for (name, seats) in [("A", "9223372036854775808"), ("B", "18446744073709551615")] {
            let response = app.request(Method::POST, &format!("/v2/application/{app_id}/add-license"))
                .header("content-type", "application/json")
                .body(format!(r#"{{"license_name": "{name}", "license_cost_per_seat": 1, "license_seats": {seats}}}"#))
                .send().await.expect("send");
            let (status, body) = read(response).await;
            if status == StatusCode::BAD_REQUEST {
                assert_invalid(status, &body, &["license_seats"]);
            } else {
                assert_eq!(status, StatusCode::CREATED, "{body}");
                assert_eq!(license_of(&app, &id_of(&body, "license_id")).await, body, "stored as answered");
            }
        }
        let id = app.license(&app_id, "C", Some(5), 1.0, "USD").await;
        let response = app.request(Method::PATCH, &format!("/v2/license/{id}"))
            .header("content-type", "application/json")
            .body(r#"{"license_seats": 9223372036854775808}"#).send().await.expect("send");
        let (status, body) = read(response).await;
        if status == StatusCode::BAD_REQUEST {
            assert_invalid(status, &body, &["license_seats"]);
        } else {
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(license_of(&app, &id).await, body, "stored as answered");
        }
    }

    async fn create_license_keeps_costs_exact(app) {
        let app_id = app.application("Slack").await;
        let path = format!("/v2/application/{app_id}/add-license");
        for (name, cost) in [("A", json!(9.99)), ("B", json!(0.1)), ("C", json!(1234.567891)), ("D", json!(0.000001))] {
            let (status, body) = app.post(&path,
                json!({"license_name": name, "license_cost_per_seat": cost, "license_seats": 3})).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            assert_eq!(body["license_cost_per_seat"], cost);
            assert_eq!(license_of(&app, &id_of(&body, "license_id")).await["license_cost_per_seat"], cost);
        }
        let response = app.request(Method::POST, &format!("/v2/application/{app_id}/licenses"))
            .json(&json!({})).send().await.expect("send");
        let text = response.text().await.expect("body");
        assert!(text.contains("\"license_cost_per_seat\":9.99,"), "exactly 9.99 on the wire: {text}");
        assert!(text.contains("\"license_cost_per_seat\":0.1,"), "exactly 0.1 on the wire: {text}");
        let (status, body) = app.post(&path, json!({"license_name": "E", "license_cost_per_seat": 0.0000001})).await;
        assert_invalid(status, &body, &["license_cost_per_seat"]);
    }

    async fn create_license_rejects_a_name_the_application_already_has(app) {
        let app_id = app.application("Slack").await;
        app.license(&app_id, "Pro", Some(5), 8.0, "USD").await;
        for taken in ["Pro", "PRO", "pro"] {
            let (status, body) = app.post(&format!("/v2/application/{app_id}/add-license"),
                json!({"license_name": taken, "license_cost_per_seat": 1})).await;
            assert_eq!(status, StatusCode::CONFLICT, "{taken}: {body}");
            assert_eq!(body["code"], "CONFLICT");
            assert_eq!(error_params(&body), ["license_name"]);
        }
        let (_, page) = app.post(&format!("/v2/application/{app_id}/licenses"), json!({})).await;
        assert_eq!(page["count"], 1);
    }

    async fn create_license_allows_a_name_another_application_has(app) {
        let slack = app.application("Slack").await;
        let zoom = app.application("Zoom").await;
        app.license(&slack, "Pro", Some(5), 8.0, "USD").await;
        app.license(&zoom, "Pro", Some(5), 15.0, "USD").await;
    }

    async fn create_license_for_an_unknown_application_is_not_found(app) {
        let body = json!({"license_name": "Pro", "license_cost_per_seat": 1});
        let (status, answer) = app.post(&format!("/v2/application/{MISSING_ID}/add-license"), body.clone()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
        let theirs = other_application(&app, "Theirs").await;
        let (status, answer) = app.post(&format!("/v2/application/{theirs}/add-license"), body.clone()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
        let (_, page) = as_other(&app, Method::POST, &format!("/v2/application/{theirs}/licenses"), Some(json!({}))).await;
        assert_eq!(page["count"], 0, "nothing was added to their application");
        let (status, answer) = app.post("/v2/application/nope/add-license", body).await;
        assert_invalid(status, &answer, &["appId"]);
    }

    async fn create_license_with_a_read_only_key_is_forbidden(app) {
        let app_id = app.application("Slack").await;
        let (status, body) = as_reader(&app, Method::POST, &format!("/v2/application/{app_id}/add-license"),
            Some(json!({"license_name": "Pro", "license_cost_per_seat": 1}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }

    // ---- POST /v2/application/{appId}/licenses ----

    async fn list_licenses_shows_seats_used_and_free(app) {
        let app_id = app.application("Slack").await;
        let pro = app.license(&app_id, "Pro", Some(3), 9.99, "USD").await;
        let free = app.license(&app_id, "Free", None, 0.0, "USD").await;
        let other_app = app.application("Zoom").await;
        app.license(&other_app, "Pro", Some(3), 15.0, "USD").await;
        for (email, name) in [("ada@example.com", "Ada"), ("grace@example.com", "Grace"), ("alan@example.com", "Alan")] {
            app.user(email, name).await;
        }
        app.app_user(&app_id, "ada@example.com", json!({"assign_licenses": [pro, free]})).await;
        app.app_user(&app_id, "grace@example.com", json!({"assign_licenses": [pro]})).await;
        app.app_user(&app_id, "alan@example.com", json!({})).await;
        let (status, page) = app.post(&format!("/v2/application/{app_id}/licenses"), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["count"], 2);
        assert_eq!(page["page"], 1);
        let find = |id: &str| items(&page).iter().find(|license| license["license_id"] == id).cloned()
            .unwrap_or_else(|| panic!("{id} not listed in {page}"));
        let listed_pro = find(&pro);
        assert_eq!(listed_pro["seats_used"], 2);
        assert_eq!(listed_pro["seats_free"], 1);
        assert_eq!(listed_pro["license_cost_per_seat"], json!(9.99));
        let listed_free = find(&free);
        assert_eq!(listed_free["seats_used"], 1);
        assert!(listed_free["seats_free"].is_null(), "{listed_free}");
        assert_eq!(listed_pro, license_of(&app, &pro).await);
        let (_, page) = app.post(&format!("/v2/application/{app_id}/licenses"), json!({"page_size": 1})).await;
        assert_eq!(page["count"], 2);
        assert_eq!(items(&page).len(), 1);
    }

    async fn list_licenses_of_an_unknown_application_is_not_found(app) {
        let (status, body) = app.post(&format!("/v2/application/{MISSING_ID}/licenses"), json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let theirs = other_application(&app, "Theirs").await;
        let (status, _) = app.post(&format!("/v2/application/{theirs}/licenses"), json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = app.post("/v2/application/nope/licenses", json!({})).await;
        assert_invalid(status, &body, &["appId"]);
    }

    // ---- GET|PATCH|DELETE /v2/license/{licenseId} ----

    async fn license_rejects_an_id_that_is_not_an_object_id(app) {
        let (status, body) = app.get("/v2/license/pro").await;
        assert_invalid(status, &body, &["licenseId"]);
        let (status, body) = app.patch("/v2/license/pro", json!({"license_seats": 3})).await;
        assert_invalid(status, &body, &["licenseId"]);
        let (status, body) = app.delete("/v2/license/pro").await;
        assert_invalid(status, &body, &["licenseId"]);
    }

    async fn license_that_does_not_exist_is_not_found(app) {
        let path = format!("/v2/license/{MISSING_ID}");
        let (status, body) = app.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["code"], "NOT_FOUND");
        let (status, _) = app.patch(&path, json!({"license_seats": 3})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn license_of_another_tenant_is_not_found_and_untouched(app) {
        let theirs = other_application(&app, "Theirs").await;
        let (status, license) = as_other(&app, Method::POST, &format!("/v2/application/{theirs}/add-license"),
            Some(json!({"license_name": "Pro", "license_cost_per_seat": 1}))).await;
        assert_eq!(status, StatusCode::CREATED, "{license}");
        let path = format!("/v2/license/{}", id_of(&license, "license_id"));
        let (status, _) = app.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.patch(&path, json!({"license_seats": 3})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, after) = as_other(&app, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(after, license);
    }

    async fn update_license_changes_only_the_fields_given(app) {
        let app_id = app.application("Slack").await;
        let id = app.license(&app_id, "Pro", Some(5), 8.0, "USD").await;
        let before = license_of(&app, &id).await;
        let (status, after) = app.patch(&format!("/v2/license/{id}"), json!({"license_seats": 7})).await;
        assert_eq!(status, StatusCode::OK, "{after}");
        assert_eq!(after["license_seats"], 7);
        assert_eq!(after["seats_free"], 7);
        assert_eq!(after["version"], before["version"].as_i64().expect("version") + 1);
        for unchanged in ["license_name", "license_cost_per_seat", "license_currency", "app_id", "created_at"] {
            assert_eq!(after[unchanged], before[unchanged], "{unchanged}");
        }
        let (status, after) = app.patch(&format!("/v2/license/{id}"),
            json!({"license_name": "Business", "license_cost_per_seat": 12.49, "license_currency": "gbp"})).await;
        assert_eq!(status, StatusCode::OK, "{after}");
        assert_eq!(after["license_name"], "Business");
        assert_eq!(after["license_cost_per_seat"], json!(12.49));
        assert_eq!(after["license_currency"], "GBP");
        assert_eq!(after["license_seats"], 7);
        assert_eq!(license_of(&app, &id).await, after);
    }

    async fn update_license_cannot_lower_seats_below_seats_used(app) {
        let app_id = app.application("Slack").await;
        let id = app.license(&app_id, "Pro", Some(5), 8.0, "USD").await;
        for (email, name) in [("ada@example.com", "Ada"), ("grace@example.com", "Grace")] {
            app.user(email, name).await;
            app.app_user(&app_id, email, json!({"assign_licenses": [id]})).await;
        }
        let (status, body) = app.patch(&format!("/v2/license/{id}"), json!({"license_seats": 1})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "CONFLICT");
        assert_eq!(error_params(&body), ["license_seats"]);
        let license = license_of(&app, &id).await;
        assert_eq!(license["license_seats"], 5);
        assert_eq!(license["version"], 1);
        let (status, body) = app.patch(&format!("/v2/license/{id}"), json!({"license_seats": 2})).await;
        assert_eq!(status, StatusCode::OK, "as many seats as used is fine: {body}");
        assert_eq!(body["seats_used"], 2);
        assert_eq!(body["seats_free"], 0);
    }

    async fn update_license_with_null_seats_makes_it_unlimited(app) {
        let (_, _, id) = holder(&app, Some(1)).await;
        let (status, body) = app.patch(&format!("/v2/license/{id}"), json!({"license_seats": null})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["license_seats"].is_null(), "{body}");
        assert!(body["seats_free"].is_null(), "{body}");
        assert_eq!(body["seats_used"], 1);
        let license = license_of(&app, &id).await;
        assert!(license["license_seats"].is_null(), "{license}");
    }

    async fn update_license_rejects_a_name_the_application_already_has(app) {
        let app_id = app.application("Slack").await;
        app.license(&app_id, "Pro", None, 8.0, "USD").await;
        let id = app.license(&app_id, "Free", None, 0.0, "USD").await;
        let (status, body) = app.patch(&format!("/v2/license/{id}"), json!({"license_name": "pro"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(error_params(&body), ["license_name"]);
        assert_eq!(license_of(&app, &id).await["license_name"], "Free");
    }

    async fn update_license_rejects_invalid_fields_all_at_once(app) {
        let app_id = app.application("Slack").await;
        let id = app.license(&app_id, "Pro", Some(5), 8.0, "USD").await;
        let before = license_of(&app, &id).await;
        let (status, body) = app.patch(&format!("/v2/license/{id}"), json!({"license_name": null,
            "license_cost_per_seat": null, "license_seats": 1.5, "license_currency": "euro", "app_id": MISSING_ID})).await;
        assert_invalid(status, &body, &["license_name", "license_cost_per_seat", "license_seats",
            "license_currency", "app_id"]);
        assert_eq!(license_of(&app, &id).await, before);
    }

    async fn update_license_with_a_stale_if_match_is_refused(app) {
        let app_id = app.application("Slack").await;
        let id = app.license(&app_id, "Pro", Some(5), 8.0, "USD").await;
        app.patch(&format!("/v2/license/{id}"), json!({"license_seats": 6})).await;
        let response = app.request(Method::PATCH, &format!("/v2/license/{id}")).header("if-match", "\"1\"")
            .json(&json!({"license_seats": 9})).send().await.expect("send");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{body}");
        assert_eq!(license_of(&app, &id).await["license_seats"], 6);
        let response = app.request(Method::PATCH, &format!("/v2/license/{id}")).header("if-match", "\"2\"")
            .json(&json!({"license_seats": 9})).send().await.expect("send");
        let (status, etag, body) = with_etag(response).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["license_seats"], 9);
        assert_eq!(etag, "\"3\"");
    }

    async fn delete_license_answers_204_and_it_is_gone(app) {
        let app_id = app.application("Slack").await;
        let id = app.license(&app_id, "Pro", Some(5), 8.0, "USD").await;
        let (status, body) = app.delete(&format!("/v2/license/{id}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        assert!(body.is_null(), "no body: {body}");
        let (status, _) = app.get(&format!("/v2/license/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.delete(&format!("/v2/license/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        app.license(&app_id, "Pro", Some(5), 8.0, "USD").await;
    }

    async fn delete_license_that_is_assigned_is_refused(app) {
        let (app_id, user, id) = holder(&app, Some(5)).await;
        let (status, body) = app.delete(&format!("/v2/license/{id}")).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "CONFLICT");
        let (status, body) = app.delete(&format!("/v2/license/{id}?unassign=false")).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(license_of(&app, &id).await["seats_used"], 1, "still there");
        assert_eq!(app_user_of(&app, &app_id, &user).await["licenses"], json!([id]));
    }

    async fn delete_license_with_unassign_takes_it_from_its_holders(app) {
        let (app_id, ada, id) = holder(&app, Some(5)).await;
        let other = app.license(&app_id, "Free", None, 0.0, "USD").await;
        let grace = app.user("grace@example.com", "Grace Hopper").await;
        app.app_user(&app_id, "grace@example.com", json!({"assign_licenses": [id, other]})).await;
        let ada_before = app_user_of(&app, &app_id, &ada).await;
        let grace_before = app_user_of(&app, &app_id, &grace).await;
        let (status, body) = app.delete(&format!("/v2/license/{id}?unassign=true")).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let (status, _) = app.get(&format!("/v2/license/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let ada_after = app_user_of(&app, &app_id, &ada).await;
        assert_eq!(ada_after["licenses"], json!([]));
        assert!(ada_after["version"].as_i64() > ada_before["version"].as_i64(), "{ada_before} → {ada_after}");
        let grace_after = app_user_of(&app, &app_id, &grace).await;
        assert_eq!(grace_after["licenses"], json!([other]), "the other license stays");
        assert!(grace_after["version"].as_i64() > grace_before["version"].as_i64());
        assert_eq!(license_of(&app, &other).await["seats_used"], 1);
    }

    async fn delete_license_with_unassign_of_an_unassigned_license_succeeds(app) {
        let app_id = app.application("Slack").await;
        let id = app.license(&app_id, "Pro", Some(5), 8.0, "USD").await;
        let (status, body) = app.delete(&format!("/v2/license/{id}?unassign=true")).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }

    async fn delete_license_rejects_an_unassign_that_is_not_a_boolean(app) {
        let (_, _, id) = holder(&app, Some(5)).await;
        for value in ["maybe", "1", "yes"] {
            let (status, body) = app.delete(&format!("/v2/license/{id}?unassign={value}")).await;
            assert_invalid(status, &body, &["unassign"]);
            assert_eq!(body["errors"][0]["location"], "query", "{body}");
        }
        assert_eq!(license_of(&app, &id).await["seats_used"], 1, "nothing was deleted");
    }

    async fn delete_license_with_a_read_only_key_is_forbidden(app) {
        let app_id = app.application("Slack").await;
        let id = app.license(&app_id, "Pro", Some(5), 8.0, "USD").await;
        let (status, body) = as_reader(&app, Method::DELETE, &format!("/v2/license/{id}"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = as_reader(&app, Method::PATCH, &format!("/v2/license/{id}"),
            Some(json!({"license_seats": 1}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, _) = as_reader(&app, Method::GET, &format!("/v2/license/{id}"), None).await;
        assert_eq!(status, StatusCode::OK);
    }

    // ---- POST /v2/activity ----

    async fn record_activity_moves_last_used_forward(app) {
        let (app_id, user, _) = holder(&app, None).await;
        assert!(app_user_of(&app, &app_id, &user).await["user_app_last_used"].is_null(), "never used yet");
        let (status, body) = app.post("/v2/activity", json!({"events": [
            {"user_id": user, "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"}]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"received": 1, "recorded": 1, "already_later": 0, "failed": 0, "errors": []}));
        let used = app_user_of(&app, &app_id, &user).await["user_app_last_used"].clone();
        assert_eq!(time(&used), time(&json!("2024-03-01T10:00:00Z")));
        let (status, body) = app.post("/v2/activity", json!({"events": [
            {"user_id": user, "app_id": app_id, "used_at": "2024-03-02T08:30:00+02:00"}]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["recorded"], 1);
        let used = app_user_of(&app, &app_id, &user).await["user_app_last_used"].clone();
        assert_eq!(time(&used), time(&json!("2024-03-02T06:30:00Z")));
    }

    async fn record_activity_grows_the_application_users_version_only_when_it_moves(app) {
        let (app_id, user, _) = holder(&app, None).await;
        let before = app_user_of(&app, &app_id, &user).await;
        let event = |at: &str| json!({"events": [{"user_id": user, "app_id": app_id, "used_at": at}]});
        let (status, _) = app.post("/v2/activity", event("2024-03-05T10:00:00Z")).await;
        assert_eq!(status, StatusCode::OK);
        let response = app.request(Method::GET, &format!("/v2/application/{app_id}/user/{user}"))
            .send().await.expect("send");
        let (_, etag, moved) = with_etag(response).await;
        assert_eq!(moved["version"], before["version"].as_i64().expect("version") + 1, "{moved}");
        assert_eq!(etag, format!("\"{}\"", moved["version"]));
        let (status, body) = app.post("/v2/activity", event("2024-03-01T10:00:00Z")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["already_later"], 1);
        assert_eq!(app_user_of(&app, &app_id, &user).await, moved, "an older event changes nothing");
    }

    async fn record_activity_accepts_a_bare_array(app) {
        let (app_id, user, _) = holder(&app, None).await;
        let (status, body) = app.post("/v2/activity",
            json!([{"user_id": user, "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"}])).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["recorded"], 1);
        let used = app_user_of(&app, &app_id, &user).await["user_app_last_used"].clone();
        assert_eq!(time(&used), time(&json!("2024-03-01T10:00:00Z")));
    }

    async fn record_activity_finds_users_by_email(app) {
        let (app_id, user, _) = holder(&app, None).await;
        let (status, body) = app.post("/v2/activity", json!({"events": [
            {"user_email": "ADA@Example.com", "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"}]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["recorded"], 1, "{body}");
        let used = app_user_of(&app, &app_id, &user).await["user_app_last_used"].clone();
        assert_eq!(time(&used), time(&json!("2024-03-01T10:00:00Z")));
    }

    async fn record_activity_never_moves_last_used_backward(app) {
        let (app_id, user, _) = holder(&app, None).await;
        app.post("/v2/activity", json!({"events": [
            {"user_id": user, "app_id": app_id, "used_at": "2024-03-05T10:00:00Z"}]})).await;
        let before = app_user_of(&app, &app_id, &user).await;
        let (status, body) = app.post("/v2/activity", json!({"events": [
            {"user_id": user, "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"},
            {"user_email": "ada@example.com", "app_id": app_id, "used_at": "2023-12-31T23:59:59Z"}]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"received": 2, "recorded": 0, "already_later": 2, "failed": 0, "errors": []}));
        let after = app_user_of(&app, &app_id, &user).await;
        assert_eq!(time(&after["user_app_last_used"]), time(&json!("2024-03-05T10:00:00Z")));
        assert_eq!(after["user_app_last_used"], before["user_app_last_used"]);
    }

    async fn record_activity_keeps_the_latest_of_a_batch_in_any_order(app) {
        let (app_id, user, _) = holder(&app, None).await;
        let (status, body) = app.post("/v2/activity", json!({"events": [
            {"user_id": user, "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"},
            {"user_id": user, "app_id": app_id, "used_at": "2024-03-09T10:00:00Z"},
            {"user_id": user, "app_id": app_id, "used_at": "2024-03-05T10:00:00Z"}]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["recorded"], 2, "{body}");
        assert_eq!(body["already_later"], 1, "{body}");
        let used = app_user_of(&app, &app_id, &user).await["user_app_last_used"].clone();
        assert_eq!(time(&used), time(&json!("2024-03-09T10:00:00Z")));
    }

    async fn record_activity_reports_unknown_users_applications_and_non_app_users_and_applies_the_rest(app) {
        let (app_id, user, _) = holder(&app, None).await;
        let outsider = app.user("grace@example.com", "Grace Hopper").await;
        let at = "2024-03-01T10:00:00Z";
        let (status, body) = app.post("/v2/activity", json!({"events": [
            {"user_id": MISSING_ID, "app_id": app_id, "used_at": at},
            {"user_id": user, "app_id": app_id, "used_at": at},
            {"user_id": user, "app_id": MISSING_ID, "used_at": at},
            {"user_id": outsider, "app_id": app_id, "used_at": at},
            {"user_email": "nobody@example.com", "app_id": app_id, "used_at": at}]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["received"], 5);
        assert_eq!(body["recorded"], 1);
        assert_eq!(body["already_later"], 0);
        assert_eq!(body["failed"], 4);
        let errors: Vec<(u64, &str)> = body["errors"].as_array().expect("errors").iter()
            .map(|error| (error["index"].as_u64().expect("index"), error["code"].as_str().expect("code")))
            .collect();
        assert_eq!(errors, [(0, "unknown_user"), (2, "unknown_application"), (3, "not_an_app_user"),
            (4, "unknown_user")]);
        for error in body["errors"].as_array().expect("errors") {
            assert!(error["reason"].is_string(), "{error}");
        }
        let used = app_user_of(&app, &app_id, &user).await["user_app_last_used"].clone();
        assert_eq!(time(&used), time(&json!(at)), "the good event applied");
    }

    async fn record_activity_rejects_a_malformed_event_and_applies_nothing(app) {
        let (app_id, user, _) = holder(&app, None).await;
        let (status, body) = app.post("/v2/activity", json!({"events": [
            {"user_id": user, "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"},
            {"user_id": user, "app_id": app_id, "used_at": "yesterday"},
            {"user_id": "nope", "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"},
            {"user_email": "not an email", "app_id": 7, "used_at": "2024-03-01"},
            {"user_id": user, "used_at": "2024-03-01T10:00:00Z", "where": "laptop"},
            {"app_id": app_id, "used_at": "2024-03-01T10:00:00Z"},
            "a string"]})).await;
        assert_invalid(status, &body, &["events[1].used_at", "events[2].user_id", "events[3].user_email",
            "events[3].app_id", "events[3].used_at", "events[4].app_id", "events[4].where", "events[5].user_id",
            "events[6]"]);
        assert!(app_user_of(&app, &app_id, &user).await["user_app_last_used"].is_null(), "nothing applied");
    }

    async fn record_activity_rejects_both_user_id_and_user_email(app) {
        let (app_id, user, _) = holder(&app, None).await;
        let (status, body) = app.post("/v2/activity", json!({"events": [{"user_id": user,
            "user_email": "ada@example.com", "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"}]})).await;
        assert_invalid(status, &body, &["events[0].user_id"]);
        assert!(app_user_of(&app, &app_id, &user).await["user_app_last_used"].is_null());
    }

    async fn record_activity_rejects_a_time_in_the_future(app) {
        let (app_id, user, _) = holder(&app, None).await;
        let tomorrow = (Utc::now() + chrono::Duration::days(1)).to_rfc3339();
        let (status, body) = app.post("/v2/activity", json!({"events": [
            {"user_id": user, "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"},
            {"user_id": user, "app_id": app_id, "used_at": tomorrow}]})).await;
        assert_invalid(status, &body, &["events[1].used_at"]);
        assert!(app_user_of(&app, &app_id, &user).await["user_app_last_used"].is_null());
        let now = Utc::now().to_rfc3339();
        let (status, body) = app.post("/v2/activity", json!({"events": [
            {"user_id": user, "app_id": app_id, "used_at": now}]})).await;
        assert_eq!(status, StatusCode::OK, "now is not the future: {body}");
        assert_eq!(body["recorded"], 1);
    }

    // Short emails keep 10,001 events under the 1 MiB body limit, so the batch limit answers.
    async fn record_activity_rejects_more_than_10000_events(app) {
        let app_id = app.application("Slack").await;
        app.user("a@b.co", "Ada").await;
        app.app_user(&app_id, "a@b.co", json!({})).await;
        let (status, body) = app.post("/v2/activity", json!({"events": batch(10_001, ("user_email", "a@b.co"), &app_id)})).await;
        assert_invalid(status, &body, &["events"]);
        let (status, body) = app.post("/v2/activity", json!(batch(10_001, ("user_email", "a@b.co"), &app_id))).await;
        assert_invalid(status, &body, &["events"]);
        let (_, page) = app.post(&format!("/v2/applications/{app_id}/users"), json!({})).await;
        assert!(page["items"][0]["user_app_last_used"].is_null(), "nothing applied: {page}");
    }

    async fn record_activity_takes_a_batch_of_10000_events(app) {
        let app_id = app.application("Slack").await;
        let user = app.user("a@b.co", "Ada").await;
        app.app_user(&app_id, "a@b.co", json!({})).await;
        let (status, body) = app.post("/v2/activity", json!({"events": batch(10_000, ("user_email", "a@b.co"), &app_id)})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["received"], 10_000);
        assert_eq!(body["recorded"], 10_000);
        let used = app_user_of(&app, &app_id, &user).await["user_app_last_used"].clone();
        assert_eq!(time(&used), time(&json!("2024-01-01T02:46:39Z")));
    }

    async fn record_activity_takes_a_batch_of_10000_events_by_user_id(app) {
        let app_id = app.application("Slack").await;
        let user = app.user("ada@example.com", "Ada").await;
        app.app_user(&app_id, "ada@example.com", json!({})).await;
        let (status, body) = app.post("/v2/activity", json!({"events": batch(10_000, ("user_id", &user), &app_id)})).await;
        assert_eq!(status, StatusCode::OK, "a full batch of ids (about 1.08 MB) is taken: {body}");
        assert_eq!(body["recorded"], 10_000);
    }

    async fn record_activity_requires_events(app) {
        let (status, body) = app.post("/v2/activity", json!({})).await;
        assert_invalid(status, &body, &["events"]);
        let (status, body) = app.post("/v2/activity", json!({"events": {}, "source": "okta"})).await;
        assert_invalid(status, &body, &["events", "source"]);
        let (status, body) = app.post("/v2/activity", json!({"events": []})).await;
        assert_eq!(status, StatusCode::OK, "an empty batch is fine: {body}");
        assert_eq!(body, json!({"received": 0, "recorded": 0, "already_later": 0, "failed": 0, "errors": []}));
    }

    async fn record_activity_with_a_read_only_key_is_forbidden(app) {
        let (app_id, user, _) = holder(&app, None).await;
        let (status, body) = as_reader(&app, Method::POST, "/v2/activity", Some(json!({"events": [
            {"user_id": user, "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"}]}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(app_user_of(&app, &app_id, &user).await["user_app_last_used"].is_null());
    }

    async fn record_activity_counts_another_tenants_ids_as_unknown(app) {
        let (app_id, user, _) = holder(&app, None).await;
        let their_app = other_application(&app, "Theirs").await;
        let their_user = other_user(&app, "eve@example.com").await;
        let (status, body) = as_other(&app, Method::POST, "/v2/activity", Some(json!({"events": [
            {"user_id": user, "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"},
            {"user_email": "ada@example.com", "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"},
            {"user_id": their_user, "app_id": app_id, "used_at": "2024-03-01T10:00:00Z"},
            {"user_id": user, "app_id": their_app, "used_at": "2024-03-01T10:00:00Z"}]}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["recorded"], 0);
        assert_eq!(body["failed"], 4);
        let codes: Vec<&str> = body["errors"].as_array().expect("errors").iter()
            .map(|error| error["code"].as_str().expect("code")).collect();
        assert_eq!(codes, ["unknown_user", "unknown_user", "unknown_application", "unknown_user"]);
        assert!(app_user_of(&app, &app_id, &user).await["user_app_last_used"].is_null(), "untouched");
    }
}
