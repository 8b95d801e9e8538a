//! Application users: the seed endpoint `PATCH /v2/application/{appId}/user/{userId}` (seed 000,
//! "Update Application User"), one test per rule, and beside it `POST
//! /v2/application/{appId}/add-user`, `GET /v2/application/{appId}/user/{userId}`, `POST
//! /v2/applications/{appId}/users` and `POST /v2/users/{userId}/applications`.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{as_other, as_reader, assert_invalid, error_params, id_of, read, TestApp};

const MISSING_ID: &str = "5f1d7a2b9c8e4d3f2a1b0c9e";

const INCLUSIONS: [&str; 4] = [
    "include for all optimizations",
    "exclude for all optimizations",
    "exclude for undeprovisioned",
    "exclude for unused",
];

/// The path of one application user.
fn path(app_id: &str, user_id: &str) -> String {
    format!("/v2/application/{app_id}/user/{user_id}")
}

/// An application "Slack" with Ada as its user: `(app_id, user_id)`.
async fn ada_in_slack(app: &TestApp) -> (String, String) {
    let app_id = app.application("Slack").await;
    let user_id = app.user("ada@example.com", "Ada Lovelace").await;
    app.app_user(&app_id, "ada@example.com", json!({})).await;
    (app_id, user_id)
}

/// Makes a new user (named after the email) a user of the application; returns the user's id.
async fn member(app: &TestApp, app_id: &str, email: &str, name: &str) -> String {
    let user_id = app.user(email, name).await;
    app.app_user(app_id, email, json!({})).await;
    user_id
}

/// The application user as a read returns it, which must succeed.
async fn fetch(app: &TestApp, app_id: &str, user_id: &str) -> Value {
    let (status, body) = app.get(&path(app_id, user_id)).await;
    assert_eq!(status, StatusCode::OK, "get application user: {body}");
    body
}

/// How many seats of a license are in use.
async fn seats_used(app: &TestApp, license_id: &str) -> u64 {
    let (status, license) = app.get(&format!("/v2/license/{license_id}")).await;
    assert_eq!(status, StatusCode::OK, "get license: {license}");
    license["seats_used"]
        .as_u64()
        .unwrap_or_else(|| panic!("no seats_used in {license}"))
}

/// The ETag header of a response.
fn etag_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("etag")
        .expect("etag")
        .to_str()
        .expect("ascii")
        .to_owned()
}

/// A PATCH with an `If-Match` header.
async fn patch_if_match(app: &TestApp, path: &str, tag: &str, body: Value) -> (StatusCode, Value) {
    let response = app
        .request(Method::PATCH, path)
        .header("if-match", tag)
        .json(&body)
        .send()
        .await
        .expect("send");
    read(response).await
}

/// The sorted strings of a list of ids.
fn sorted(ids: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
    ids.sort();
    ids
}

/// The audit events with this action.
async fn audited(app: &TestApp, action: &str) -> Vec<Value> {
    let (status, audit) = app.get("/v2/audit/list").await;
    assert_eq!(status, StatusCode::OK, "audit: {audit}");
    audit["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {audit}"))
        .iter()
        .filter(|event| event["action"] == action)
        .cloned()
        .collect()
}

/// One page of a list endpoint, which must succeed.
async fn list(app: &TestApp, path: &str, body: Value) -> Value {
    let (status, page) = app.post(path, body).await;
    assert_eq!(status, StatusCode::OK, "list {path}: {page}");
    page
}

/// A field of every item of a page, in the order answered.
fn column(page: &Value, field: &str) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {page}"))
        .iter()
        .map(|item| id_of(item, field))
        .collect()
}

/// The sorted emails of an application's users matching one filter.
async fn filtered(app: &TestApp, app_id: &str, filter: Value) -> Vec<String> {
    let page = list(
        app,
        &format!("/v2/applications/{app_id}/users"),
        json!({"filter_by": [filter]}),
    )
    .await;
    let mut emails = column(&page, "user_email");
    emails.sort();
    emails
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| item.to_string()).collect()
}

/// Patches a user (not an application user), which must succeed.
async fn patch_user(app: &TestApp, user_id: &str, body: Value) {
    let (status, user) = app.patch(&format!("/v2/user/{user_id}"), body).await;
    assert_eq!(status, StatusCode::OK, "patch user: {user}");
}

/// Records that the user used the application at this time.
async fn used(app: &TestApp, user_id: &str, app_id: &str, at: &str) {
    let (status, result) = app
        .post(
            "/v2/activity",
            json!({"events": [{"user_id": user_id, "app_id": app_id, "used_at": at}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "activity: {result}");
    assert_eq!(result["recorded"], 1, "activity: {result}");
}

/// `POST /v2/application/{appId}/add-user` with these licenses.
async fn add(app: &TestApp, app_id: &str, email: &str, licenses: Value) -> (StatusCode, Value) {
    app.post(
        &format!("/v2/application/{app_id}/add-user"),
        json!({"user_email": email, "assign_licenses": licenses}),
    )
    .await
}

/// Creates an application with a license in the other tenant; returns the license id.
async fn license_of_the_other_tenant(app: &TestApp) -> String {
    let (status, theirs) = as_other(
        app,
        Method::POST,
        "/v2/add-application",
        Some(json!({"app_name": "Theirs"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{theirs}");
    let their_app = id_of(&theirs, "app_id");
    let (status, license) = as_other(
        app,
        Method::POST,
        &format!("/v2/application/{their_app}/add-license"),
        Some(json!({"license_name": "Pro", "license_seats": 10,
                    "license_cost_per_seat": 5.0, "license_currency": "USD"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{license}");
    id_of(&license, "license_id")
}

on_both_backends! {
    // ---- PATCH /v2/application/{appId}/user/{userId} ----

    async fn update_app_user_changes_only_the_fields_given(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let license = app.license(&app_id, "Pro", Some(10), 8.0, "USD").await;
        let (status, _) = app.patch(&path(&app_id, &user_id),
            json!({"user_app_role": "Admin", "assign_licenses": [license]})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, app_user) = app.patch(&path(&app_id, &user_id), json!({"user_app_status": "inactive"})).await;
        assert_eq!(status, StatusCode::OK, "{app_user}");
        assert_eq!(app_user["user_app_status"], "inactive");
        assert_eq!(app_user["user_app_role"], "Admin");
        assert_eq!(app_user["licenses"], json!([license]));
        assert_eq!(app_user["user_app_archive"], false);
        assert_eq!(app_user["optimization_inclusion"], "include for all optimizations");
        assert_eq!(seats_used(&app, &license).await, 1);
    }

    async fn update_app_user_sets_every_seed_field(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let pro = app.license(&app_id, "Pro", Some(10), 8.0, "USD").await;
        let basic = app.license(&app_id, "Basic", None, 2.5, "EUR").await;
        let body = json!({
            "user_app_role": "Workspace owner",
            "optimization_inclusion": "exclude for undeprovisioned",
            "user_app_archive": true,
            "assign_licenses": [pro, basic],
            "user_app_status": "inactive",
        });
        let (status, app_user) = app.patch(&path(&app_id, &user_id), body).await;
        assert_eq!(status, StatusCode::OK, "{app_user}");
        assert_eq!(app_user["user_app_role"], "Workspace owner");
        assert_eq!(app_user["optimization_inclusion"], "exclude for undeprovisioned");
        assert_eq!(app_user["user_app_archive"], true);
        assert_eq!(app_user["licenses"], json!(sorted(&[&pro, &basic])));
        assert_eq!(app_user["user_app_status"], "inactive");
        assert_eq!(fetch(&app, &app_id, &user_id).await, app_user);
    }

    async fn update_app_user_answers_the_whole_app_user_with_an_etag(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let response = app.request(Method::PATCH, &path(&app_id, &user_id))
            .json(&json!({"user_app_role": "Member"})).send().await.expect("send");
        let etag = etag_of(&response);
        let (status, app_user) = read(response).await;
        assert_eq!(status, StatusCode::OK, "{app_user}");
        assert_eq!(etag, format!("\"{}\"", app_user["version"]));
        assert_eq!(app_user["version"], 2);
        let response = app.request(Method::GET, &path(&app_id, &user_id)).send().await.expect("send");
        assert_eq!(etag_of(&response), etag);
        let (_, fetched) = read(response).await;
        assert_eq!(app_user, fetched, "the update answers the application user as a read returns it");
        assert_eq!(app_user["app_id"], app_id.as_str());
        assert_eq!(app_user["app_name"], "Slack");
        assert_eq!(app_user["user_id"], user_id.as_str());
        assert_eq!(app_user["user_name"], "Ada Lovelace");
        assert_eq!(app_user["user_email"], "ada@example.com");
        for field in ["user_status", "user_archive", "user_account_type", "user_designation", "user_app_role",
            "user_app_status", "user_app_archive", "optimization_inclusion", "licenses", "user_app_last_used",
            "created_at", "updated_at", "version"] {
            assert!(app_user.get(field).is_some(), "{field} missing from {app_user}");
        }
    }

    async fn update_app_user_with_an_empty_body_changes_nothing(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let before = fetch(&app, &app_id, &user_id).await;
        let (status, app_user) = app.patch(&path(&app_id, &user_id), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{app_user}");
        assert_eq!(app_user, before);
        assert!(audited(&app, "app_user.update").await.is_empty());
    }

    async fn update_app_user_rejects_an_app_id_that_is_not_an_object_id(app) {
        let (_, user_id) = ada_in_slack(&app).await;
        for bad in ["not-an-id", "5f1d7a2b9c8e4d3f2a1b0c9", "5F1D7A2B9C8E4D3F2A1B0C9Z"] {
            let (status, body) = app.patch(&path(bad, &user_id), json!({"user_app_status": "active"})).await;
            assert_invalid(status, &body, &["appId"]);
            assert_eq!(body["errors"][0]["location"], "params");
        }
    }

    async fn update_app_user_rejects_a_user_id_that_is_not_an_object_id(app) {
        let (app_id, _) = ada_in_slack(&app).await;
        let (status, body) = app.patch(&path(&app_id, "ada"), json!({"user_app_status": "active"})).await;
        assert_invalid(status, &body, &["userId"]);
        assert_eq!(body["errors"][0]["location"], "params");
        let (status, body) = app.patch(&path("x", "y"), json!({"user_app_status": "active"})).await;
        assert_invalid(status, &body, &["appId", "userId"]);
    }

    async fn update_app_user_names_the_index_of_a_license_id_that_is_not_an_object_id(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let license = app.license(&app_id, "Pro", Some(10), 8.0, "USD").await;
        let (status, body) = app.patch(&path(&app_id, &user_id),
            json!({"assign_licenses": [license, "not-an-id"]})).await;
        assert_invalid(status, &body, &["assign_licenses[1]"]);
        assert_eq!(body["errors"][0]["location"], "body");
        let (status, body) = app.patch(&path(&app_id, &user_id),
            json!({"assign_licenses": ["", license, "123"]})).await;
        assert_invalid(status, &body, &["assign_licenses[0]", "assign_licenses[2]"]);
        assert_eq!(seats_used(&app, &license).await, 0);
    }

    async fn update_app_user_answers_404_for_an_unknown_application(app) {
        let (_, user_id) = ada_in_slack(&app).await;
        let (status, body) = app.patch(&path(MISSING_ID, &user_id), json!({"user_app_status": "inactive"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["code"], "NOT_FOUND");
    }

    async fn update_app_user_answers_404_for_an_unknown_user(app) {
        let (app_id, _) = ada_in_slack(&app).await;
        let (status, body) = app.patch(&path(&app_id, MISSING_ID), json!({"user_app_status": "inactive"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["code"], "NOT_FOUND");
    }

    async fn update_app_user_answers_404_when_the_user_is_not_a_user_of_the_application(app) {
        let (app_id, _) = ada_in_slack(&app).await;
        let grace = app.user("grace@example.com", "Grace Hopper").await;
        let (status, body) = app.patch(&path(&app_id, &grace), json!({"user_app_status": "inactive"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["code"], "NOT_FOUND");
        let (status, _) = app.get(&path(&app_id, &grace)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "the update did not create the association");
    }

    async fn update_app_user_answers_404_for_another_tenants_application(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let (status, body) = as_other(&app, Method::PATCH, &path(&app_id, &user_id),
            Some(json!({"user_app_status": "inactive", "user_app_role": "Intruder"}))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert!(!body.to_string().contains("ada@example.com"));
        assert!(!body.to_string().contains("Slack"));
        let app_user = fetch(&app, &app_id, &user_id).await;
        assert_eq!(app_user["user_app_status"], "active");
        assert!(app_user["user_app_role"].is_null());
        assert_eq!(app_user["version"], 1);
    }

    async fn update_app_user_rejects_a_license_of_another_application(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let zoom = app.application("Zoom").await;
        let theirs = app.license(&zoom, "Zoom Pro", Some(10), 15.0, "USD").await;
        let (status, body) = app.patch(&path(&app_id, &user_id), json!({"assign_licenses": [theirs]})).await;
        assert_invalid(status, &body, &["assign_licenses[0]"]);
        assert_eq!(seats_used(&app, &theirs).await, 0);
    }

    async fn update_app_user_rejects_a_license_of_another_tenant(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let theirs = license_of_the_other_tenant(&app).await;
        let (status, body) = app.patch(&path(&app_id, &user_id), json!({"assign_licenses": [theirs]})).await;
        assert_invalid(status, &body, &["assign_licenses[0]"]);
    }

    async fn update_app_user_rejects_an_unknown_license(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let license = app.license(&app_id, "Pro", Some(10), 8.0, "USD").await;
        let (status, body) = app.patch(&path(&app_id, &user_id),
            json!({"assign_licenses": [license, MISSING_ID]})).await;
        assert_invalid(status, &body, &["assign_licenses[1]"]);
        assert_eq!(seats_used(&app, &license).await, 0);
    }

    async fn update_app_user_rejects_a_license_given_twice(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let pro = app.license(&app_id, "Pro", Some(10), 8.0, "USD").await;
        let basic = app.license(&app_id, "Basic", None, 2.0, "USD").await;
        let (status, body) = app.patch(&path(&app_id, &user_id),
            json!({"assign_licenses": [pro, basic, pro]})).await;
        assert_invalid(status, &body, &["assign_licenses[2]"]);
        assert_eq!(seats_used(&app, &pro).await, 0);
        assert_eq!(fetch(&app, &app_id, &user_id).await["licenses"], json!([]));
    }

    async fn update_app_user_refuses_a_license_without_a_free_seat(app) {
        let (app_id, ada) = ada_in_slack(&app).await;
        let grace = member(&app, &app_id, "grace@example.com", "Grace Hopper").await;
        let full = app.license(&app_id, "Enterprise", Some(1), 30.0, "USD").await;
        let roomy = app.license(&app_id, "Basic", Some(5), 2.0, "USD").await;
        let (status, body) = app.patch(&path(&app_id, &ada), json!({"assign_licenses": [full]})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = app.patch(&path(&app_id, &grace),
            json!({"user_app_role": "Admin", "assign_licenses": [roomy, full]})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "CONFLICT");
        assert_eq!(error_params(&body), ["assign_licenses[1]"]);
        assert_eq!(body["errors"][0]["location"], "body");
        let app_user = fetch(&app, &app_id, &grace).await;
        assert_eq!(app_user["licenses"], json!([]));
        assert!(app_user["user_app_role"].is_null(), "nothing is written: {app_user}");
        assert_eq!(app_user["version"], 1);
        assert_eq!(seats_used(&app, &roomy).await, 0);
        assert_eq!(seats_used(&app, &full).await, 1);
    }

    async fn update_app_user_reports_invalid_fields_before_a_full_license(app) {
        let (app_id, ada) = ada_in_slack(&app).await;
        let grace = member(&app, &app_id, "grace@example.com", "Grace Hopper").await;
        let full = app.license(&app_id, "Enterprise", Some(1), 30.0, "USD").await;
        app.patch(&path(&app_id, &ada), json!({"assign_licenses": [full]})).await;
        let (status, body) = app.patch(&path(&app_id, &grace),
            json!({"assign_licenses": [full], "user_app_status": "gone"})).await;
        assert_invalid(status, &body, &["user_app_status"]);
    }

    async fn update_app_user_keeps_a_seat_it_already_holds_on_a_full_license(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let full = app.license(&app_id, "Enterprise", Some(1), 30.0, "USD").await;
        let other = app.license(&app_id, "Basic", Some(5), 2.0, "USD").await;
        let (status, _) = app.patch(&path(&app_id, &user_id), json!({"assign_licenses": [full]})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = app.patch(&path(&app_id, &user_id), json!({"assign_licenses": [full]})).await;
        assert_eq!(status, StatusCode::OK, "re-sending the same list: {body}");
        let (status, body) = app.patch(&path(&app_id, &user_id), json!({"assign_licenses": [other, full]})).await;
        assert_eq!(status, StatusCode::OK, "adding another license beside it: {body}");
        assert_eq!(body["licenses"], json!(sorted(&[&full, &other])));
        let (status, body) = app.patch(&path(&app_id, &user_id), json!({"user_app_role": "Owner"})).await;
        assert_eq!(status, StatusCode::OK, "changing another field: {body}");
        assert_eq!(seats_used(&app, &full).await, 1);
    }

    async fn update_app_user_assign_licenses_sets_exactly_the_list(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let a = app.license(&app_id, "A", Some(3), 1.0, "USD").await;
        let b = app.license(&app_id, "B", None, 2.0, "USD").await;
        let c = app.license(&app_id, "C", Some(3), 3.0, "EUR").await;
        let (status, app_user) = app.patch(&path(&app_id, &user_id), json!({"assign_licenses": [b, a]})).await;
        assert_eq!(status, StatusCode::OK, "{app_user}");
        assert_eq!(app_user["licenses"], json!(sorted(&[&a, &b])));
        let (status, app_user) = app.patch(&path(&app_id, &user_id), json!({"assign_licenses": [c, b]})).await;
        assert_eq!(status, StatusCode::OK, "{app_user}");
        assert_eq!(app_user["licenses"], json!(sorted(&[&b, &c])), "the list replaces, not adds");
        assert_eq!(fetch(&app, &app_id, &user_id).await["licenses"], json!(sorted(&[&b, &c])));
        assert_eq!(seats_used(&app, &a).await, 0);
        assert_eq!(seats_used(&app, &b).await, 1);
        assert_eq!(seats_used(&app, &c).await, 1);
    }

    async fn update_app_user_assign_licenses_empty_list_removes_all_licenses(app) {
        let (app_id, ada) = ada_in_slack(&app).await;
        let grace = member(&app, &app_id, "grace@example.com", "Grace Hopper").await;
        let full = app.license(&app_id, "Enterprise", Some(1), 30.0, "USD").await;
        let basic = app.license(&app_id, "Basic", None, 2.0, "USD").await;
        app.patch(&path(&app_id, &ada), json!({"assign_licenses": [full, basic]})).await;
        assert_eq!(seats_used(&app, &full).await, 1);
        assert_eq!(seats_used(&app, &basic).await, 1);
        let (status, app_user) = app.patch(&path(&app_id, &ada), json!({"assign_licenses": []})).await;
        assert_eq!(status, StatusCode::OK, "{app_user}");
        assert_eq!(app_user["licenses"], json!([]));
        assert_eq!(seats_used(&app, &full).await, 0);
        assert_eq!(seats_used(&app, &basic).await, 0);
        let (status, body) = app.patch(&path(&app_id, &grace), json!({"assign_licenses": [full]})).await;
        assert_eq!(status, StatusCode::OK, "the freed seat can be taken: {body}");
    }

    async fn update_app_user_accepts_only_active_and_inactive_status(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        for value in ["inactive", "active"] {
            let (status, app_user) = app.patch(&path(&app_id, &user_id), json!({"user_app_status": value})).await;
            assert_eq!(status, StatusCode::OK, "{app_user}");
            assert_eq!(app_user["user_app_status"], value);
        }
        for value in ["suspended", "unknown", "Active", "INACTIVE", "", " active"] {
            let (status, body) = app.patch(&path(&app_id, &user_id), json!({"user_app_status": value})).await;
            assert_invalid(status, &body, &["user_app_status"]);
        }
        assert_eq!(fetch(&app, &app_id, &user_id).await["user_app_status"], "active");
    }

    async fn update_app_user_accepts_exactly_the_four_optimization_inclusion_strings(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        for value in INCLUSIONS.iter().rev() {
            let (status, app_user) = app.patch(&path(&app_id, &user_id), json!({"optimization_inclusion": value})).await;
            assert_eq!(status, StatusCode::OK, "{app_user}");
            assert_eq!(app_user["optimization_inclusion"], *value);
        }
        for value in ["Exclude for unused", "Excluded for Unused", "exclude", "include", "exclude for unused ",
            "EXCLUDE FOR ALL OPTIMIZATIONS", ""] {
            let (status, body) = app.patch(&path(&app_id, &user_id), json!({"optimization_inclusion": value})).await;
            assert_invalid(status, &body, &["optimization_inclusion"]);
        }
    }

    async fn update_app_user_rejects_wrong_types(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let cases = [
            (json!({"user_app_role": 5}), "user_app_role"),
            (json!({"user_app_role": ["Admin"]}), "user_app_role"),
            (json!({"user_app_archive": "true"}), "user_app_archive"),
            (json!({"user_app_archive": 1}), "user_app_archive"),
            (json!({"assign_licenses": MISSING_ID}), "assign_licenses"),
            (json!({"assign_licenses": {"0": MISSING_ID}}), "assign_licenses"),
            (json!({"assign_licenses": [5]}), "assign_licenses[0]"),
            (json!({"assign_licenses": [[MISSING_ID]]}), "assign_licenses[0]"),
            (json!({"user_app_status": 1}), "user_app_status"),
            (json!({"user_app_status": true}), "user_app_status"),
            (json!({"optimization_inclusion": false}), "optimization_inclusion"),
            (json!({"optimization_inclusion": ["exclude for unused"]}), "optimization_inclusion"),
        ];
        for (body, field) in cases {
            let (status, answer) = app.patch(&path(&app_id, &user_id), body.clone()).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
            assert_eq!(error_params(&answer), [field], "{body}: {answer}");
        }
        assert_eq!(fetch(&app, &app_id, &user_id).await["version"], 1);
    }

    async fn update_app_user_rejects_null_for_fields_that_cannot_be_cleared(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let (status, body) = app.patch(&path(&app_id, &user_id), json!({
            "user_app_archive": null, "assign_licenses": null, "user_app_status": null, "optimization_inclusion": null,
        })).await;
        assert_invalid(status, &body, &["user_app_archive", "assign_licenses", "user_app_status", "optimization_inclusion"]);
    }

    async fn update_app_user_rejects_a_body_that_is_not_an_object(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        for body in [json!(["user_app_status"]), json!("inactive"), json!(null), json!(3)] {
            let (status, answer) = app.patch(&path(&app_id, &user_id), body.clone()).await;
            assert_invalid(status, &answer, &["body"]);
        }
    }

    async fn update_app_user_rejects_malformed_json(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        for text in ["{\"user_app_status\": ", "{'user_app_status': 'inactive'}", "{\"user_app_archive\": tru}"] {
            let response = app.request(Method::PATCH, &path(&app_id, &user_id))
                .header("content-type", "application/json").body(text).send().await.expect("send");
            let (status, body) = read(response).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{text}: {body}");
            assert_eq!(body["code"], "MALFORMED_JSON", "{text}: {body}");
        }
        assert_eq!(fetch(&app, &app_id, &user_id).await["version"], 1);
    }

    async fn update_app_user_rejects_unknown_fields(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let (status, body) = app.patch(&path(&app_id, &user_id), json!({
            "user_app_stauts": "inactive", "licenses": [], "user_status": "inactive", "app_id": MISSING_ID,
        })).await;
        assert_invalid(status, &body, &["user_app_stauts", "licenses", "user_status", "app_id"]);
    }

    async fn update_app_user_reports_every_failing_field_at_once(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let (status, body) = app.patch(&path(&app_id, &user_id), json!({
            "user_app_role": 1, "optimization_inclusion": "all", "user_app_archive": "no",
            "assign_licenses": ["nope", MISSING_ID, 3], "user_app_status": "gone", "typo": 1,
        })).await;
        assert_invalid(status, &body, &["user_app_role", "optimization_inclusion", "user_app_archive",
            "assign_licenses[0]", "assign_licenses[2]", "user_app_status", "typo"]);
        let (status, body) = app.patch(&path(&app_id, &user_id),
            json!({"assign_licenses": [MISSING_ID], "user_app_status": "gone"})).await;
        assert_invalid(status, &body, &["assign_licenses[0]", "user_app_status"]);
        let (status, body) = app.patch(&path("not-an-id", &user_id),
            json!({"user_app_status": "gone", "typo": true})).await;
        assert_invalid(status, &body, &["appId", "user_app_status", "typo"]);
    }

    async fn update_app_user_writes_nothing_when_any_field_fails(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let license = app.license(&app_id, "Pro", Some(10), 8.0, "USD").await;
        let before = fetch(&app, &app_id, &user_id).await;
        let (status, _) = app.patch(&path(&app_id, &user_id), json!({
            "user_app_role": "Admin", "user_app_archive": true, "assign_licenses": [license],
            "optimization_inclusion": "exclude for unused", "user_app_status": "bogus",
        })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = app.patch(&path(&app_id, &user_id),
            json!({"user_app_role": "Admin", "assign_licenses": [license, MISSING_ID]})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let after = fetch(&app, &app_id, &user_id).await;
        assert_eq!(before, after);
        assert_eq!(after["version"], 1);
        assert_eq!(seats_used(&app, &license).await, 0);
        assert!(audited(&app, "app_user.update").await.is_empty());
    }

    async fn update_app_user_with_a_stale_if_match_is_412_and_changes_nothing(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let license = app.license(&app_id, "Pro", Some(10), 8.0, "USD").await;
        let (status, _) = app.patch(&path(&app_id, &user_id), json!({"user_app_role": "v2"})).await;
        assert_eq!(status, StatusCode::OK);
        for tag in ["\"1\"", "W/\"1\"", "\"abc\""] {
            let (status, body) = patch_if_match(&app, &path(&app_id, &user_id), tag,
                json!({"user_app_role": "stale", "assign_licenses": [license]})).await;
            assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{tag}: {body}");
            assert_eq!(body["code"], "PRECONDITION_FAILED");
        }
        let app_user = fetch(&app, &app_id, &user_id).await;
        assert_eq!(app_user["user_app_role"], "v2");
        assert_eq!(app_user["licenses"], json!([]));
        assert_eq!(app_user["version"], 2);
        assert_eq!(seats_used(&app, &license).await, 0);
    }

    async fn update_app_user_with_the_current_if_match_succeeds(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        app.patch(&path(&app_id, &user_id), json!({"user_app_role": "v2"})).await;
        let response = app.request(Method::GET, &path(&app_id, &user_id)).send().await.expect("send");
        let etag = etag_of(&response);
        assert_eq!(etag, "\"2\"");
        let (status, app_user) = patch_if_match(&app, &path(&app_id, &user_id), &etag,
            json!({"user_app_role": "fresh"})).await;
        assert_eq!(status, StatusCode::OK, "{app_user}");
        assert_eq!(app_user["user_app_role"], "fresh");
        assert_eq!(app_user["version"], 3);
        let (status, _) = patch_if_match(&app, &path(&app_id, &user_id), "*", json!({"user_app_role": "any"})).await;
        assert_eq!(status, StatusCode::OK, "If-Match: * matches any version");
    }

    async fn update_app_user_is_audited(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let license = app.license(&app_id, "Pro", Some(10), 8.0, "USD").await;
        let (status, _) = app.patch(&path(&app_id, &user_id),
            json!({"user_app_role": "Admin", "user_app_status": "inactive"})).await;
        assert_eq!(status, StatusCode::OK);
        let events = audited(&app, "app_user.update").await;
        assert_eq!(events.len(), 1, "{events:?}");
        let event = &events[0];
        assert_eq!(event["entity_id"], format!("{app_id}/{user_id}"));
        assert_eq!(event["changes"], json!([
            {"field": "role", "before": null, "after": "Admin"},
            {"field": "status", "before": "active", "after": "inactive"},
        ]));
        assert!(event["actor"]["key_id"].is_string(), "{event}");
        app.patch(&path(&app_id, &user_id), json!({"assign_licenses": [license]})).await;
        let events = audited(&app, "app_user.update").await;
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(events[0]["changes"], json!([{"field": "licenses", "before": [], "after": [license]}]),
            "newest first");
    }

    async fn update_app_user_with_a_read_key_is_403(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let (status, body) = as_reader(&app, Method::PATCH, &path(&app_id, &user_id),
            Some(json!({"user_app_status": "inactive"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["code"], "FORBIDDEN");
        assert_eq!(fetch(&app, &app_id, &user_id).await["user_app_status"], "active");
        let (status, _) = as_reader(&app, Method::GET, &path(&app_id, &user_id), None).await;
        assert_eq!(status, StatusCode::OK, "a read key may read");
    }

    async fn update_app_user_without_a_key_is_401(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        for key in [None, Some("rst_wrong"), Some("")] {
            let mut request = app.anonymous(Method::PATCH, &path(&app_id, &user_id))
                .json(&json!({"user_app_status": "inactive"}));
            if let Some(key) = key {
                request = request.header("api-key", key);
            }
            let (status, body) = read(request.send().await.expect("send")).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{key:?}: {body}");
            assert_eq!(body["code"], "UNAUTHORIZED");
        }
        assert_eq!(fetch(&app, &app_id, &user_id).await["user_app_status"], "active");
    }

    async fn update_app_user_null_role_clears_it(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let (_, app_user) = app.patch(&path(&app_id, &user_id), json!({"user_app_role": "Admin"})).await;
        assert_eq!(app_user["user_app_role"], "Admin");
        let (status, app_user) = app.patch(&path(&app_id, &user_id), json!({"user_app_role": null})).await;
        assert_eq!(status, StatusCode::OK, "{app_user}");
        assert!(app_user["user_app_role"].is_null(), "{app_user}");
        assert!(fetch(&app, &app_id, &user_id).await["user_app_role"].is_null());
    }

    async fn update_app_user_archive_can_be_set_and_unset(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        for value in [true, false] {
            let (status, app_user) = app.patch(&path(&app_id, &user_id), json!({"user_app_archive": value})).await;
            assert_eq!(status, StatusCode::OK, "{app_user}");
            assert_eq!(app_user["user_app_archive"], value);
        }
    }

    async fn update_app_user_two_concurrent_assignments_never_overbook_a_license(app) {
        let (app_id, ada) = ada_in_slack(&app).await;
        let grace = member(&app, &app_id, "grace@example.com", "Grace Hopper").await;
        let license = app.license(&app_id, "Enterprise", Some(1), 30.0, "USD").await;
        let (ada_path, grace_path) = (path(&app_id, &ada), path(&app_id, &grace));
        for round in 0..10 {
            let (first, second) = tokio::join!(
                app.patch(&ada_path, json!({"assign_licenses": [license]})),
                app.patch(&grace_path, json!({"assign_licenses": [license]})),
            );
            let mut statuses = [first.0, second.0];
            statuses.sort();
            assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT],
                "round {round}: exactly one wins: {} / {}", first.1, second.1);
            assert_eq!(seats_used(&app, &license).await, 1, "round {round}");
            let winner = if first.0 == StatusCode::OK { &ada_path } else { &grace_path };
            let loser = if first.0 == StatusCode::OK { &grace_path } else { &ada_path };
            let (_, lost) = app.get(loser).await;
            assert_eq!(lost["licenses"], json!([]), "round {round}");
            let (status, _) = app.patch(winner, json!({"assign_licenses": []})).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(seats_used(&app, &license).await, 0, "round {round}");
        }
    }

    async fn concurrent_updates_of_different_fields_both_land(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let target = path(&app_id, &user_id);
        for round in 0..5 {
            let role = format!("Role {round}");
            let archived = round % 2 == 0;
            let (first, second) = tokio::join!(
                app.patch(&target, json!({"user_app_role": role})),
                app.patch(&target, json!({"user_app_archive": archived})),
            );
            assert_eq!(first.0, StatusCode::OK, "{}", first.1);
            assert_eq!(second.0, StatusCode::OK, "{}", second.1);
            let app_user = fetch(&app, &app_id, &user_id).await;
            assert_eq!(app_user["user_app_role"], role.as_str());
            assert_eq!(app_user["user_app_archive"], archived);
        }
    }

    // ---- POST /v2/application/{appId}/add-user ----

    async fn add_app_user_creates_with_the_defaults(app) {
        let app_id = app.application("Slack").await;
        let user_id = app.user("ada@example.com", "Ada Lovelace").await;
        let response = app.request(Method::POST, &format!("/v2/application/{app_id}/add-user"))
            .json(&json!({"user_email": "ada@example.com"})).send().await.expect("send");
        let etag = etag_of(&response);
        let (status, app_user) = read(response).await;
        assert_eq!(status, StatusCode::CREATED, "{app_user}");
        assert_eq!(etag, format!("\"{}\"", app_user["version"]));
        assert_eq!(app_user["app_id"], app_id.as_str());
        assert_eq!(app_user["user_id"], user_id.as_str());
        assert_eq!(app_user["user_app_status"], "active");
        assert_eq!(app_user["optimization_inclusion"], "include for all optimizations");
        assert_eq!(app_user["licenses"], json!([]));
        assert_eq!(app_user["user_app_archive"], false);
        assert!(app_user["user_app_role"].is_null());
        assert!(app_user["user_app_last_used"].is_null());
        assert_eq!(app_user["version"], 1);
        assert_eq!(fetch(&app, &app_id, &user_id).await, app_user);
        let events = audited(&app, "app_user.create").await;
        assert_eq!(events.len(), 1, "adding is audited: {events:?}");
    }

    async fn add_app_user_sets_the_seed_fields_given(app) {
        let app_id = app.application("Slack").await;
        app.user("ada@example.com", "Ada Lovelace").await;
        let license = app.license(&app_id, "Pro", Some(2), 8.0, "USD").await;
        let app_user = app.app_user(&app_id, "ada@example.com", json!({
            "user_app_role": "Admin", "user_app_status": "inactive", "user_app_archive": true,
            "optimization_inclusion": "exclude for unused", "assign_licenses": [license],
        })).await;
        assert_eq!(app_user["user_app_role"], "Admin");
        assert_eq!(app_user["user_app_status"], "inactive");
        assert_eq!(app_user["user_app_archive"], true);
        assert_eq!(app_user["optimization_inclusion"], "exclude for unused");
        assert_eq!(app_user["licenses"], json!([license]));
        assert_eq!(seats_used(&app, &license).await, 1);
    }

    async fn add_app_user_finds_the_user_whatever_the_case_of_the_email(app) {
        let app_id = app.application("Slack").await;
        let user_id = app.user("ada@example.com", "Ada Lovelace").await;
        let app_user = app.app_user(&app_id, "ADA@Example.com", json!({})).await;
        assert_eq!(app_user["user_id"], user_id.as_str());
    }

    async fn add_app_user_rejects_an_email_no_user_has(app) {
        let app_id = app.application("Slack").await;
        let (status, body) = app.post(&format!("/v2/application/{app_id}/add-user"),
            json!({"user_email": "nobody@example.com"})).await;
        assert_invalid(status, &body, &["user_email"]);
        let (status, body) = app.post(&format!("/v2/application/{app_id}/add-user"),
            json!({"user_email": "not-an-email"})).await;
        assert_invalid(status, &body, &["user_email"]);
    }

    async fn add_app_user_rejects_a_user_of_another_tenant(app) {
        let app_id = app.application("Slack").await;
        let (status, _) = as_other(&app, Method::POST, "/v2/add-user",
            Some(json!({"user_name": "Eve", "user_email": "eve@example.com"}))).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, body) = app.post(&format!("/v2/application/{app_id}/add-user"),
            json!({"user_email": "eve@example.com"})).await;
        assert_invalid(status, &body, &["user_email"]);
    }

    async fn add_app_user_requires_the_email(app) {
        let app_id = app.application("Slack").await;
        let (status, body) = app.post(&format!("/v2/application/{app_id}/add-user"),
            json!({"user_app_role": "Admin"})).await;
        assert_invalid(status, &body, &["user_email"]);
    }

    async fn add_app_user_of_a_user_already_in_the_application_is_409(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        app.patch(&path(&app_id, &user_id), json!({"user_app_role": "Admin"})).await;
        let (status, body) = app.post(&format!("/v2/application/{app_id}/add-user"),
            json!({"user_email": "ada@example.com", "user_app_role": "Guest"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "CONFLICT");
        assert_eq!(error_params(&body), ["user_email"]);
        assert_eq!(fetch(&app, &app_id, &user_id).await["user_app_role"], "Admin");
    }

    async fn add_app_user_assigns_licenses_with_the_same_rules(app) {
        let app_id = app.application("Slack").await;
        app.user("ada@example.com", "Ada Lovelace").await;
        let grace = app.user("grace@example.com", "Grace Hopper").await;
        let full = app.license(&app_id, "Enterprise", Some(1), 30.0, "USD").await;
        let zoom = app.application("Zoom").await;
        let theirs = app.license(&zoom, "Zoom Pro", Some(10), 15.0, "USD").await;
        let (status, body) = add(&app, &app_id, "ada@example.com", json!([full, "nope"])).await;
        assert_invalid(status, &body, &["assign_licenses[1]"]);
        let (status, body) = add(&app, &app_id, "ada@example.com", json!([theirs])).await;
        assert_invalid(status, &body, &["assign_licenses[0]"]);
        let (status, body) = add(&app, &app_id, "ada@example.com", json!([MISSING_ID])).await;
        assert_invalid(status, &body, &["assign_licenses[0]"]);
        let (status, body) = add(&app, &app_id, "ada@example.com", json!([full, full])).await;
        assert_invalid(status, &body, &["assign_licenses[1]"]);
        let (status, body) = add(&app, &app_id, "ada@example.com", json!([full])).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = add(&app, &app_id, "grace@example.com", json!([full])).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(error_params(&body), ["assign_licenses[0]"]);
        assert_eq!(seats_used(&app, &full).await, 1);
        let (status, _) = app.get(&path(&app_id, &grace)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "nothing was created for grace");
    }

    async fn add_app_user_two_concurrent_adds_never_overbook_a_license(app) {
        let app_id = app.application("Slack").await;
        let full = app.license(&app_id, "Enterprise", Some(1), 30.0, "USD").await;
        for round in 0..5 {
            let (first, second) = (format!("a{round}@example.com"), format!("b{round}@example.com"));
            app.user(&first, "First").await;
            app.user(&second, "Second").await;
            let (one, two) = tokio::join!(
                add(&app, &app_id, &first, json!([full])),
                add(&app, &app_id, &second, json!([full])),
            );
            let mut statuses = [one.0, two.0];
            statuses.sort();
            if round == 0 {
                assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT],
                    "exactly one gets the seat: {} / {}", one.1, two.1);
            } else {
                assert_eq!(statuses, [StatusCode::CONFLICT, StatusCode::CONFLICT], "round {round}: {} / {}", one.1, two.1);
            }
            assert_eq!(seats_used(&app, &full).await, 1, "round {round}");
        }
    }

    async fn add_app_user_twice_at_once_adds_one(app) {
        let app_id = app.application("Slack").await;
        for round in 0..5 {
            let email = format!("u{round}@example.com");
            app.user(&email, "User").await;
            let (one, two) = tokio::join!(
                add(&app, &app_id, &email, json!([])),
                add(&app, &app_id, &email, json!([])),
            );
            let mut statuses = [one.0, two.0];
            statuses.sort();
            assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT],
                "round {round}: {} / {}", one.1, two.1);
        }
        let page = list(&app, &format!("/v2/applications/{app_id}/users"), json!({})).await;
        assert_eq!(page["count"], 5);
    }

    async fn add_app_user_to_an_unknown_application_is_404(app) {
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = app.post(&format!("/v2/application/{MISSING_ID}/add-user"),
            json!({"user_email": "ada@example.com"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = app.post("/v2/application/not-an-id/add-user",
            json!({"user_email": "ada@example.com"})).await;
        assert_invalid(status, &body, &["appId"]);
    }

    async fn add_app_user_to_another_tenants_application_is_404(app) {
        let app_id = app.application("Slack").await;
        let (status, _) = as_other(&app, Method::POST, "/v2/add-user",
            Some(json!({"user_name": "Eve", "user_email": "eve@example.com"}))).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, body) = as_other(&app, Method::POST, &format!("/v2/application/{app_id}/add-user"),
            Some(json!({"user_email": "eve@example.com"}))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let page = list(&app, &format!("/v2/applications/{app_id}/users"), json!({})).await;
        assert_eq!(page["count"], 0);
    }

    async fn add_app_user_rejects_unknown_fields_and_wrong_types(app) {
        let app_id = app.application("Slack").await;
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = app.post(&format!("/v2/application/{app_id}/add-user"), json!({
            "user_email": "ada@example.com", "user_id": MISSING_ID, "user_app_archive": "yes", "user_app_status": "gone",
        })).await;
        assert_invalid(status, &body, &["user_id", "user_app_archive", "user_app_status"]);
        let page = list(&app, &format!("/v2/applications/{app_id}/users"), json!({})).await;
        assert_eq!(page["count"], 0, "nothing was created");
    }

    async fn add_app_user_with_a_read_key_is_403(app) {
        let app_id = app.application("Slack").await;
        app.user("ada@example.com", "Ada Lovelace").await;
        let (status, body) = as_reader(&app, Method::POST, &format!("/v2/application/{app_id}/add-user"),
            Some(json!({"user_email": "ada@example.com"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }

    // ---- GET /v2/application/{appId}/user/{userId} ----

    async fn get_app_user_answers_404_for_a_user_who_is_not_an_app_user(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let grace = app.user("grace@example.com", "Grace Hopper").await;
        let (status, body) = app.get(&path(&app_id, &grace)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["code"], "NOT_FOUND");
        let zoom = app.application("Zoom").await;
        let (status, _) = app.get(&path(&zoom, &user_id)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "a user of Slack is not a user of Zoom");
        let (status, _) = app.get(&path(MISSING_ID, &user_id)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.get(&path(&app_id, MISSING_ID)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn get_app_user_rejects_ids_that_are_not_object_ids(app) {
        let (status, body) = app.get(&path("slack", "ada")).await;
        assert_invalid(status, &body, &["appId", "userId"]);
    }

    async fn get_app_user_of_another_tenant_is_404(app) {
        let (app_id, user_id) = ada_in_slack(&app).await;
        let (status, body) = as_other(&app, Method::GET, &path(&app_id, &user_id), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert!(!body.to_string().contains("ada@example.com"));
    }

    // ---- POST /v2/applications/{appId}/users ----

    async fn list_app_users_pages(app) {
        let app_id = app.application("Slack").await;
        let names = ["Ada", "Bob", "Cid", "Dee", "Eve"];
        for name in names {
            member(&app, &app_id, &format!("{}@example.com", name.to_lowercase()), name).await;
        }
        let users = format!("/v2/applications/{app_id}/users");
        let page = list(&app, &users, json!({"page": 2, "page_size": 2, "sort_by": [{"user_name": 1}]})).await;
        assert_eq!(page["count"], 5);
        assert_eq!(page["page"], 2);
        assert_eq!(page["page_size"], 2);
        assert_eq!(column(&page, "user_name"), strings(&["Cid", "Dee"]));
        let page = list(&app, &users, json!({"page": 3, "page_size": 2, "sort_by": [{"user_name": 1}]})).await;
        assert_eq!(column(&page, "user_name"), strings(&["Eve"]));
        let page = list(&app, &users, json!({"page": 4, "page_size": 2})).await;
        assert_eq!(page["count"], 5);
        assert_eq!(page["items"], json!([]));
        let page = list(&app, &users, json!({})).await;
        assert_eq!(page["page"], 1);
        assert_eq!(page["page_size"], 50);
        assert_eq!(page["items"].as_array().map(Vec::len), Some(5));
        let (status, body) = app.post(&users, json!({"page": 0})).await;
        assert_invalid(status, &body, &["page"]);
    }

    async fn list_app_users_lists_only_the_users_of_that_application(app) {
        let slack = app.application("Slack").await;
        let zoom = app.application("Zoom").await;
        member(&app, &slack, "ada@example.com", "Ada").await;
        member(&app, &zoom, "bob@example.com", "Bob").await;
        app.app_user(&zoom, "ada@example.com", json!({})).await;
        app.user("cid@example.com", "Cid").await;
        let page = list(&app, &format!("/v2/applications/{slack}/users"), json!({})).await;
        assert_eq!(page["count"], 1);
        assert_eq!(column(&page, "user_email"), strings(&["ada@example.com"]));
        assert_eq!(page["items"][0]["app_name"], "Slack");
        let page = list(&app, &format!("/v2/applications/{zoom}/users"), json!({"sort_by": [{"user_email": 1}]})).await;
        assert_eq!(column(&page, "user_email"), strings(&["ada@example.com", "bob@example.com"]));
    }

    async fn list_app_users_filters_by_user_app_status(app) {
        let app_id = app.application("Slack").await;
        let ada = member(&app, &app_id, "ada@example.com", "Ada").await;
        member(&app, &app_id, "bob@example.com", "Bob").await;
        app.patch(&path(&app_id, &ada), json!({"user_app_status": "inactive"})).await;
        let matches = filtered(&app, &app_id, json!({"field_id": "user_app_status", "field_values": ["inactive"]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, &app_id, json!({"field_id": "user_app_status", "field_values": ["active", "inactive"]})).await;
        assert_eq!(matches, strings(&["ada@example.com", "bob@example.com"]));
        let (status, body) = app.post(&format!("/v2/applications/{app_id}/users"),
            json!({"filter_by": [{"field_id": "user_app_status", "field_values": ["suspended"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }

    async fn list_app_users_filters_by_licenses(app) {
        let app_id = app.application("Slack").await;
        let pro = app.license(&app_id, "Pro", None, 8.0, "USD").await;
        let basic = app.license(&app_id, "Basic", None, 2.0, "USD").await;
        let free = app.license(&app_id, "Free", None, 0.0, "USD").await;
        app.user("ada@example.com", "Ada").await;
        app.user("bob@example.com", "Bob").await;
        app.user("cid@example.com", "Cid").await;
        app.app_user(&app_id, "ada@example.com", json!({"assign_licenses": [pro, basic]})).await;
        app.app_user(&app_id, "bob@example.com", json!({"assign_licenses": [basic]})).await;
        app.app_user(&app_id, "cid@example.com", json!({})).await;
        let matches = filtered(&app, &app_id, json!({"field_id": "licenses", "field_values": [pro]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, &app_id, json!({"field_id": "licenses", "field_values": [pro, basic]})).await;
        assert_eq!(matches, strings(&["ada@example.com", "bob@example.com"]), "holds any of them");
        let matches = filtered(&app, &app_id, json!({"field_id": "licenses", "field_values": [free]})).await;
        assert!(matches.is_empty());
        let (status, body) = app.post(&format!("/v2/applications/{app_id}/users"),
            json!({"filter_by": [{"field_id": "licenses", "field_values": ["nope"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }

    async fn list_app_users_filters_by_license_mapped(app) {
        let app_id = app.application("Slack").await;
        let pro = app.license(&app_id, "Pro", None, 8.0, "USD").await;
        app.user("ada@example.com", "Ada").await;
        app.app_user(&app_id, "ada@example.com", json!({"assign_licenses": [pro]})).await;
        member(&app, &app_id, "bob@example.com", "Bob").await;
        let matches = filtered(&app, &app_id, json!({"field_id": "license_mapped", "field_values": [true]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, &app_id, json!({"field_id": "license_mapped", "field_values": false})).await;
        assert_eq!(matches, strings(&["bob@example.com"]));
    }

    async fn list_app_users_filters_by_user_app_role(app) {
        let app_id = app.application("Slack").await;
        app.user("ada@example.com", "Ada").await;
        app.user("bob@example.com", "Bob").await;
        app.app_user(&app_id, "ada@example.com", json!({"user_app_role": "Admin"})).await;
        app.app_user(&app_id, "bob@example.com", json!({"user_app_role": "Member"})).await;
        member(&app, &app_id, "cid@example.com", "Cid").await;
        let matches = filtered(&app, &app_id, json!({"field_id": "user_app_role", "field_values": ["Admin"]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, &app_id, json!({"field_id": "user_app_role", "field_values": ["Admin", "Member"]})).await;
        assert_eq!(matches, strings(&["ada@example.com", "bob@example.com"]));
    }

    async fn list_app_users_filters_by_user_status(app) {
        let app_id = app.application("Slack").await;
        let ada = member(&app, &app_id, "ada@example.com", "Ada").await;
        member(&app, &app_id, "bob@example.com", "Bob").await;
        patch_user(&app, &ada, json!({"user_status": "suspended"})).await;
        let matches = filtered(&app, &app_id, json!({"field_id": "user_status", "field_values": ["suspended"]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, &app_id, json!({"field_id": "user_status", "field_values": ["active"]})).await;
        assert_eq!(matches, strings(&["bob@example.com"]));
    }

    async fn list_app_users_filters_by_user_archive(app) {
        let app_id = app.application("Slack").await;
        let ada = member(&app, &app_id, "ada@example.com", "Ada").await;
        member(&app, &app_id, "bob@example.com", "Bob").await;
        patch_user(&app, &ada, json!({"user_archive": true})).await;
        let matches = filtered(&app, &app_id, json!({"field_id": "user_archive", "field_values": [true]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, &app_id, json!({"field_id": "user_archive", "field_values": [false]})).await;
        assert_eq!(matches, strings(&["bob@example.com"]));
    }

    async fn list_app_users_filters_by_user_app_archive(app) {
        let app_id = app.application("Slack").await;
        let ada = member(&app, &app_id, "ada@example.com", "Ada").await;
        member(&app, &app_id, "bob@example.com", "Bob").await;
        app.patch(&path(&app_id, &ada), json!({"user_app_archive": true})).await;
        let matches = filtered(&app, &app_id, json!({"field_id": "user_app_archive", "field_values": [true]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, &app_id, json!({"field_id": "user_app_archive", "field_values": ["false"]})).await;
        assert_eq!(matches, strings(&["bob@example.com"]));
    }

    async fn list_app_users_filters_by_user_app_last_used(app) {
        let app_id = app.application("Slack").await;
        let ada = member(&app, &app_id, "ada@example.com", "Ada").await;
        let bob = member(&app, &app_id, "bob@example.com", "Bob").await;
        let cid = member(&app, &app_id, "cid@example.com", "Cid").await;
        member(&app, &app_id, "dee@example.com", "Dee").await;
        used(&app, &ada, &app_id, "2024-01-10T12:00:00Z").await;
        used(&app, &bob, &app_id, "2024-03-01T00:00:00Z").await;
        used(&app, &cid, &app_id, "2024-06-30T08:00:00Z").await;
        assert_eq!(fetch(&app, &app_id, &bob).await["user_app_last_used"], "2024-03-01T00:00:00Z");
        let range = |from: &str, to: &str| json!({"field_id": "user_app_last_used",
            "field_values": [from, to], "field_order": ["gte", "lte"]});
        let matches = filtered(&app, &app_id, range("2024-02-01T00:00:00Z", "2024-12-31T00:00:00Z")).await;
        assert_eq!(matches, strings(&["bob@example.com", "cid@example.com"]), "never used matches no bound");
        let matches = filtered(&app, &app_id, range("2024-03-01T00:00:00Z", "2024-03-01T00:00:00Z")).await;
        assert_eq!(matches, strings(&["bob@example.com"]), "both bounds are inclusive");
        let matches = filtered(&app, &app_id, json!({"field_id": "user_app_last_used",
            "field_values": ["2024-03-01T00:00:00Z"], "field_order": "lt"})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, &app_id, json!({"field_id": "user_app_last_used",
            "field_values": ["2024-03-01T00:00:00Z"], "field_order": ["gt"]})).await;
        assert_eq!(matches, strings(&["cid@example.com"]));
        for bad in [
            json!({"field_id": "user_app_last_used", "field_values": ["yesterday"], "field_order": ["gte"]}),
            json!({"field_id": "user_app_last_used", "field_values": ["2024-03-01T00:00:00Z"], "field_order": ["after"]}),
            json!({"field_id": "user_app_last_used", "field_values": ["2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z"], "field_order": ["gte"]}),
        ] {
            let (status, body) = app.post(&format!("/v2/applications/{app_id}/users"), json!({"filter_by": [bad]})).await;
            assert_invalid(status, &body, &["filter_by[0].field_values"]);
        }
    }

    async fn list_app_users_filters_by_user_account_type(app) {
        let app_id = app.application("Slack").await;
        let ada = member(&app, &app_id, "ada@example.com", "Ada").await;
        let bob = member(&app, &app_id, "bob@example.com", "Bob").await;
        member(&app, &app_id, "cid@example.com", "Cid").await;
        patch_user(&app, &ada, json!({"user_account_type": "service"})).await;
        patch_user(&app, &bob, json!({"user_account_type": "external"})).await;
        let matches = filtered(&app, &app_id, json!({"field_id": "user_account_type", "field_values": ["service", "external"]})).await;
        assert_eq!(matches, strings(&["ada@example.com", "bob@example.com"]));
        let matches = filtered(&app, &app_id, json!({"field_id": "user_account_type", "field_values": ["employee"]})).await;
        assert_eq!(matches, strings(&["cid@example.com"]));
    }

    async fn list_app_users_filters_by_dept_id(app) {
        let app_id = app.application("Slack").await;
        let engineering = app.department("Engineering").await;
        let sales = app.department("Sales").await;
        let ada = member(&app, &app_id, "ada@example.com", "Ada").await;
        let bob = member(&app, &app_id, "bob@example.com", "Bob").await;
        member(&app, &app_id, "cid@example.com", "Cid").await;
        patch_user(&app, &ada, json!({"user_department_id": engineering})).await;
        patch_user(&app, &bob, json!({"user_department_id": sales})).await;
        let matches = filtered(&app, &app_id, json!({"field_id": "dept_id", "field_values": [engineering]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
        let matches = filtered(&app, &app_id, json!({"field_id": "dept_id", "field_values": [engineering, sales]})).await;
        assert_eq!(matches, strings(&["ada@example.com", "bob@example.com"]));
        let (status, body) = app.post(&format!("/v2/applications/{app_id}/users"),
            json!({"filter_by": [{"field_id": "dept_id", "field_values": ["engineering"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }

    async fn list_app_users_filters_by_user_designation(app) {
        let app_id = app.application("Slack").await;
        let ada = member(&app, &app_id, "ada@example.com", "Ada").await;
        let bob = member(&app, &app_id, "bob@example.com", "Bob").await;
        member(&app, &app_id, "cid@example.com", "Cid").await;
        patch_user(&app, &ada, json!({"user_designation": "Engineer"})).await;
        patch_user(&app, &bob, json!({"user_designation": "Manager"})).await;
        let matches = filtered(&app, &app_id, json!({"field_id": "user_designation", "field_values": ["Engineer"]})).await;
        assert_eq!(matches, strings(&["ada@example.com"]));
    }

    async fn list_app_users_negative_inverts_a_filter(app) {
        let app_id = app.application("Slack").await;
        let ada = member(&app, &app_id, "ada@example.com", "Ada").await;
        member(&app, &app_id, "bob@example.com", "Bob").await;
        app.patch(&path(&app_id, &ada), json!({"user_app_status": "inactive", "user_app_role": "Admin"})).await;
        let matches = filtered(&app, &app_id, json!({"field_id": "user_app_status",
            "field_values": ["inactive"], "negative": true})).await;
        assert_eq!(matches, strings(&["bob@example.com"]));
        let matches = filtered(&app, &app_id, json!({"field_id": "user_app_role",
            "field_values": ["Admin"], "negative": true})).await;
        assert_eq!(matches, strings(&["bob@example.com"]), "an application user without a role is not an Admin");
    }

    async fn list_app_users_combines_filters(app) {
        let app_id = app.application("Slack").await;
        let ada = member(&app, &app_id, "ada@example.com", "Ada").await;
        let bob = member(&app, &app_id, "bob@example.com", "Bob").await;
        member(&app, &app_id, "cid@example.com", "Cid").await;
        app.patch(&path(&app_id, &ada), json!({"user_app_status": "inactive"})).await;
        app.patch(&path(&app_id, &bob), json!({"user_app_status": "inactive", "user_app_archive": true})).await;
        let page = list(&app, &format!("/v2/applications/{app_id}/users"), json!({"filter_by": [
            {"field_id": "user_app_status", "field_values": ["inactive"]},
            {"field_id": "user_app_archive", "field_values": [false]},
        ]})).await;
        assert_eq!(page["count"], 1);
        assert_eq!(column(&page, "user_email"), strings(&["ada@example.com"]));
    }

    async fn list_app_users_searches_user_names_and_emails(app) {
        let app_id = app.application("Slack").await;
        member(&app, &app_id, "ada@example.com", "Ada Lovelace").await;
        member(&app, &app_id, "grace@navy.example.org", "Grace Hopper").await;
        member(&app, &app_id, "alan@example.com", "Alan Turing").await;
        let users = format!("/v2/applications/{app_id}/users");
        let page = list(&app, &users, json!({"search_query": "hopper"})).await;
        assert_eq!(column(&page, "user_email"), strings(&["grace@navy.example.org"]));
        let page = list(&app, &users, json!({"search_query": "navy"})).await;
        assert_eq!(column(&page, "user_email"), strings(&["grace@navy.example.org"]));
        let page = list(&app, &users, json!({"search_query": "lovelace, TURING", "sort_by": [{"user_name": 1}]})).await;
        assert_eq!(column(&page, "user_email"), strings(&["ada@example.com", "alan@example.com"]));
        assert_eq!(page["count"], 2);
        let page = list(&app, &users, json!({"search_query": "nobody"})).await;
        assert_eq!(page["count"], 0);
    }

    async fn list_app_users_sorts_by_user_name(app) {
        let app_id = app.application("Slack").await;
        for (email, name) in [("b@example.com", "Bob"), ("c@example.com", "Cid"), ("a@example.com", "Ada")] {
            member(&app, &app_id, email, name).await;
        }
        let users = format!("/v2/applications/{app_id}/users");
        let page = list(&app, &users, json!({"sort_by": [{"user_name": 1}]})).await;
        assert_eq!(column(&page, "user_name"), strings(&["Ada", "Bob", "Cid"]));
        let page = list(&app, &users, json!({"sort_by": [{"user_name": -1}]})).await;
        assert_eq!(column(&page, "user_name"), strings(&["Cid", "Bob", "Ada"]));
        let (status, body) = app.post(&users, json!({"sort_by": [{"user_shoe_size": 1}]})).await;
        assert_invalid(status, &body, &["sort_by[0]"]);
        let (status, body) = app.post(&users, json!({"sort_by": [{"user_name": 2}]})).await;
        assert_invalid(status, &body, &["sort_by[0]"]);
    }

    async fn list_app_users_sorts_by_last_use(app) {
        let app_id = app.application("Slack").await;
        let ada = member(&app, &app_id, "ada@example.com", "Ada").await;
        let bob = member(&app, &app_id, "bob@example.com", "Bob").await;
        used(&app, &ada, &app_id, "2024-05-01T00:00:00Z").await;
        used(&app, &bob, &app_id, "2024-01-01T00:00:00Z").await;
        let page = list(&app, &format!("/v2/applications/{app_id}/users"),
            json!({"sort_by": [{"user_app_last_used": 1}]})).await;
        assert_eq!(column(&page, "user_name"), strings(&["Bob", "Ada"]));
    }

    async fn list_app_users_rejects_an_unknown_filter_field(app) {
        let app_id = app.application("Slack").await;
        let users = format!("/v2/applications/{app_id}/users");
        let (status, body) = app.post(&users,
            json!({"filter_by": [{"field_id": "user_shoe_size", "field_values": ["42"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
        let (status, body) = app.post(&users, json!({"filter": []})).await;
        assert_invalid(status, &body, &["filter"]);
        let (status, body) = app.post(&users,
            json!({"filter_by": [{"field_id": "user_app_status", "field_values": ["active"], "negativ": true}]})).await;
        assert_invalid(status, &body, &["filter_by[0].negativ"]);
    }

    async fn list_app_users_of_another_tenants_application_is_404(app) {
        let (app_id, _) = ada_in_slack(&app).await;
        let (status, body) = as_other(&app, Method::POST, &format!("/v2/applications/{app_id}/users"), Some(json!({}))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert!(!body.to_string().contains("ada@example.com"));
        let (status, body) = app.post(&format!("/v2/applications/{MISSING_ID}/users"), json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = app.post("/v2/applications/slack/users", json!({})).await;
        assert_invalid(status, &body, &["appId"]);
    }

    async fn list_app_users_with_a_read_key_is_allowed(app) {
        let (app_id, _) = ada_in_slack(&app).await;
        let (status, page) = as_reader(&app, Method::POST, &format!("/v2/applications/{app_id}/users"), Some(json!({}))).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["count"], 1);
    }

    // ---- POST /v2/users/{userId}/applications ----

    async fn list_user_apps_lists_the_applications_of_a_user(app) {
        let slack = app.application("Slack").await;
        let zoom = app.application("Zoom").await;
        let asana = app.application("Asana").await;
        app.application("Unused").await;
        let ada = member(&app, &slack, "ada@example.com", "Ada").await;
        app.app_user(&zoom, "ada@example.com", json!({"user_app_status": "inactive"})).await;
        app.app_user(&asana, "ada@example.com", json!({})).await;
        member(&app, &slack, "bob@example.com", "Bob").await;
        let apps = format!("/v2/users/{ada}/applications");
        let page = list(&app, &apps, json!({"sort_by": [{"app_name": 1}]})).await;
        assert_eq!(page["count"], 3);
        assert_eq!(column(&page, "app_name"), strings(&["Asana", "Slack", "Zoom"]));
        assert!(page["items"].as_array().expect("items").iter().all(|item| item["user_id"] == ada.as_str()));
        let page = list(&app, &apps, json!({"sort_by": [{"app_name": -1}], "page": 2, "page_size": 2})).await;
        assert_eq!(page["count"], 3);
        assert_eq!(column(&page, "app_name"), strings(&["Asana"]));
        let page = list(&app, &apps, json!({"filter_by": [{"field_id": "user_app_status", "field_values": ["inactive"]}]})).await;
        assert_eq!(column(&page, "app_name"), strings(&["Zoom"]));
        let page = list(&app, &apps, json!({"filter_by": [{"field_id": "user_app_status",
            "field_values": ["inactive"], "negative": true}], "sort_by": [{"app_name": 1}]})).await;
        assert_eq!(column(&page, "app_name"), strings(&["Asana", "Slack"]));
    }

    async fn list_user_apps_filters_by_licenses_and_last_use(app) {
        let slack = app.application("Slack").await;
        let zoom = app.application("Zoom").await;
        let pro = app.license(&slack, "Pro", None, 8.0, "USD").await;
        let ada = app.user("ada@example.com", "Ada").await;
        app.app_user(&slack, "ada@example.com", json!({"assign_licenses": [pro]})).await;
        app.app_user(&zoom, "ada@example.com", json!({})).await;
        used(&app, &ada, &zoom, "2024-04-01T00:00:00Z").await;
        let apps = format!("/v2/users/{ada}/applications");
        let page = list(&app, &apps, json!({"filter_by": [{"field_id": "license_mapped", "field_values": [true]}]})).await;
        assert_eq!(column(&page, "app_name"), strings(&["Slack"]));
        let page = list(&app, &apps, json!({"filter_by": [{"field_id": "user_app_last_used",
            "field_values": ["2024-01-01T00:00:00Z", "2024-12-31T00:00:00Z"], "field_order": ["gte", "lte"]}]})).await;
        assert_eq!(column(&page, "app_name"), strings(&["Zoom"]));
    }

    async fn list_user_apps_of_another_tenants_user_is_404(app) {
        let (_, ada) = ada_in_slack(&app).await;
        let (status, body) = as_other(&app, Method::POST, &format!("/v2/users/{ada}/applications"), Some(json!({}))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert!(!body.to_string().contains("Slack"));
        let (status, _) = app.post(&format!("/v2/users/{MISSING_ID}/applications"), json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = app.post("/v2/users/ada/applications", json!({})).await;
        assert_invalid(status, &body, &["userId"]);
    }

    async fn list_user_apps_rejects_an_unknown_filter_field(app) {
        let (_, ada) = ada_in_slack(&app).await;
        let (status, body) = app.post(&format!("/v2/users/{ada}/applications"),
            json!({"filter_by": [{"field_id": "app_colour", "field_values": ["red"]}]})).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
    }
}
