//! `PATCH /v2/user/{userId}`: every rule of seed 001 ("Update User"), one test each.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::{assert_invalid, error_params, read, TestApp};

const MISSING_ID: &str = "5f1d7a2b9c8e4d3f2a1b0c9e";

async fn ada(app: &TestApp) -> String {
    app.user("ada@example.com", "Ada Lovelace").await
}

on_both_backends! {
    async fn update_user_changes_only_the_fields_given(app) {
        let id = ada(&app).await;
        let (status, _) = app.patch(&format!("/v2/user/{id}"), json!({"user_designation": "Engineer"})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, user) = app.patch(&format!("/v2/user/{id}"), json!({"user_status": "inactive"})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(user["user_status"], "inactive");
        assert_eq!(user["user_designation"], "Engineer");
        assert_eq!(user["user_name"], "Ada Lovelace");
        assert_eq!(user["user_email"], "ada@example.com");
    }

    async fn update_user_answers_the_whole_user_with_an_etag(app) {
        let id = ada(&app).await;
        let response = app.request(Method::PATCH, &format!("/v2/user/{id}"))
            .json(&json!({"user_name": "Ada King"})).send().await.expect("send");
        let etag = response.headers().get("etag").expect("etag").to_str().expect("ascii").to_owned();
        let (status, user) = read(response).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(etag, format!("\"{}\"", user["version"]));
        let (_, fetched) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(user, fetched, "the update answers the user as a read returns it");
        for field in ["user_id", "user_name", "user_email", "user_personal_email", "user_department_id",
            "user_status", "reporting_manager_id", "user_designation", "user_account_type", "user_archive",
            "optimization_inclusion", "primary_source", "user_custom_fields"] {
            assert!(user.get(field).is_some(), "{field} missing from {user}");
        }
    }

    async fn update_user_sets_every_seed_field(app) {
        let id = ada(&app).await;
        let manager = app.user("grace@example.com", "Grace Hopper").await;
        let mut body = app.every_optional_user_field(&manager).await;
        body["user_name"] = json!("Ada King");
        body["user_email"] = json!("ada.king@example.com");
        let (status, user) = app.patch(&format!("/v2/user/{id}"), body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        for (key, value) in body.as_object().expect("object") {
            assert_eq!(&user[key], value, "{key}");
        }
    }

    async fn update_user_rejects_a_user_id_that_is_not_an_object_id(app) {
        let (status, body) = app.patch("/v2/user/not-an-id", json!({"user_status": "active"})).await;
        assert_invalid(status, &body, &["userId"]);
        assert_eq!(body["errors"][0]["location"], "params");
    }

    async fn update_user_rejects_ids_in_the_body_that_are_not_object_ids(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({
            "user_department_id": "123",
            "reporting_manager_id": "zzzzzzzzzzzzzzzzzzzzzzzz",
            "primary_source": {"keyword": "okta", "org_integration_id": "x", "integration_id": "y"},
            "user_custom_fields": [{"field_id": "nope", "field_value": "a"}],
        })).await;
        assert_invalid(status, &body, &["user_department_id", "reporting_manager_id",
            "primary_source.org_integration_id", "primary_source.integration_id", "user_custom_fields[0].field_id"]);
    }

    async fn update_user_rejects_an_invalid_email(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"user_email": "not-an-email"})).await;
        assert_invalid(status, &body, &["user_email"]);
    }

    async fn update_user_rejects_an_invalid_personal_email(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"user_personal_email": "ada@"})).await;
        assert_invalid(status, &body, &["user_personal_email"]);
    }

    async fn update_user_rejects_an_email_another_user_has_regardless_of_case(app) {
        let id = ada(&app).await;
        app.user("grace@example.com", "Grace Hopper").await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"user_email": "GRACE@example.com"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(error_params(&body), ["user_email"]);
    }

    async fn update_user_accepts_its_own_email_in_another_case(app) {
        let id = ada(&app).await;
        let (status, user) = app.patch(&format!("/v2/user/{id}"), json!({"user_email": "Ada@Example.com"})).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(user["user_email"], "Ada@Example.com");
    }

    async fn update_user_accepts_every_status(app) {
        let id = ada(&app).await;
        for value in ["active", "inactive", "suspended", "unknown"] {
            let (status, user) = app.patch(&format!("/v2/user/{id}"), json!({"user_status": value})).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(user["user_status"], value);
        }
    }

    async fn update_user_rejects_a_status_outside_the_four(app) {
        let id = ada(&app).await;
        for value in ["deleted", "Active", ""] {
            let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"user_status": value})).await;
            assert_invalid(status, &body, &["user_status"]);
        }
    }

    async fn update_user_accepts_every_account_type(app) {
        let id = ada(&app).await;
        for value in ["group", "service", "employee", "external"] {
            let (status, user) = app.patch(&format!("/v2/user/{id}"), json!({"user_account_type": value})).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(user["user_account_type"], value);
        }
    }

    async fn update_user_rejects_an_account_type_outside_the_four(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"user_account_type": "contractor"})).await;
        assert_invalid(status, &body, &["user_account_type"]);
    }

    async fn update_user_accepts_the_four_optimization_inclusion_strings(app) {
        let id = ada(&app).await;
        for value in ["include for all optimizations", "exclude for all optimizations",
            "exclude for undeprovisioned", "exclude for unused"] {
            let (status, user) = app.patch(&format!("/v2/user/{id}"), json!({"optimization_inclusion": value})).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(user["optimization_inclusion"], value);
        }
    }

    async fn update_user_rejects_optimization_inclusion_not_exactly_a_seed_string(app) {
        let id = ada(&app).await;
        for value in ["Exclude for unused", "exclude", "Excluded for Unused", "exclude for unused "] {
            let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"optimization_inclusion": value})).await;
            assert_invalid(status, &body, &["optimization_inclusion"]);
        }
    }

    async fn update_user_rejects_a_department_that_does_not_exist(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"user_department_id": MISSING_ID})).await;
        assert_invalid(status, &body, &["user_department_id"]);
    }

    async fn update_user_rejects_a_department_of_another_tenant(app) {
        let id = ada(&app).await;
        let response = app.anonymous(Method::POST, "/v2/add-department").header("api-key", &app.other_key)
            .json(&json!({"department_name": "Theirs"})).send().await.expect("send");
        let (_, department) = read(response).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_department_id": department["department_id"]})).await;
        assert_invalid(status, &body, &["user_department_id"]);
    }

    async fn update_user_sets_and_clears_the_department(app) {
        let id = ada(&app).await;
        let department = app.department("Engineering").await;
        let (_, user) = app.patch(&format!("/v2/user/{id}"), json!({"user_department_id": department})).await;
        assert_eq!(user["user_department_id"], department.as_str());
        let (status, user) = app.patch(&format!("/v2/user/{id}"), json!({"user_department_id": null})).await;
        assert_eq!(status, StatusCode::OK);
        assert!(user["user_department_id"].is_null());
    }

    async fn update_user_rejects_a_reporting_manager_that_does_not_exist(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"reporting_manager_id": MISSING_ID})).await;
        assert_invalid(status, &body, &["reporting_manager_id"]);
    }

    async fn update_user_rejects_the_user_as_its_own_reporting_manager(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"reporting_manager_id": id})).await;
        assert_invalid(status, &body, &["reporting_manager_id"]);
    }

    async fn update_user_rejects_a_reporting_manager_that_would_make_a_cycle(app) {
        let top = ada(&app).await;
        let middle = app.user("grace@example.com", "Grace Hopper").await;
        let bottom = app.user("alan@example.com", "Alan Turing").await;
        let (status, _) = app.patch(&format!("/v2/user/{middle}"), json!({"reporting_manager_id": top})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = app.patch(&format!("/v2/user/{bottom}"), json!({"reporting_manager_id": middle})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = app.patch(&format!("/v2/user/{top}"), json!({"reporting_manager_id": bottom})).await;
        assert_invalid(status, &body, &["reporting_manager_id"]);
        let (_, user) = app.get(&format!("/v2/user/{top}")).await;
        assert!(user["reporting_manager_id"].is_null());
    }

    async fn update_user_rejects_an_integration_that_does_not_exist(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({
            "primary_source": {"keyword": "okta", "org_integration_id": MISSING_ID, "integration_id": MISSING_ID}
        })).await;
        assert_invalid(status, &body, &["primary_source.org_integration_id"]);
    }

    async fn update_user_requires_the_primary_source_keyword(app) {
        let id = ada(&app).await;
        let (integration, catalogue_id) = app.integration("okta").await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({
            "primary_source": {"org_integration_id": integration, "integration_id": catalogue_id}
        })).await;
        assert_invalid(status, &body, &["primary_source.keyword"]);
    }

    async fn update_user_requires_the_primary_source_fields_together(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"primary_source": {"keyword": "okta"}})).await;
        assert_invalid(status, &body, &["primary_source.org_integration_id", "primary_source.integration_id"]);
    }

    async fn update_user_sets_and_clears_the_primary_source(app) {
        let id = ada(&app).await;
        let (integration, catalogue_id) = app.integration("okta").await;
        let source = json!({"keyword": "okta", "org_integration_id": integration, "integration_id": catalogue_id});
        let (_, user) = app.patch(&format!("/v2/user/{id}"), json!({"primary_source": source})).await;
        assert_eq!(user["primary_source"], source);
        let (_, user) = app.patch(&format!("/v2/user/{id}"), json!({"primary_source": null})).await;
        assert!(user["primary_source"].is_null());
    }

    async fn update_user_rejects_a_custom_field_that_does_not_exist(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_custom_fields": [{"field_id": MISSING_ID, "field_value": "x"}]})).await;
        assert_invalid(status, &body, &["user_custom_fields[0].field_id"]);
    }

    async fn update_user_rejects_a_custom_field_of_applications(app) {
        let id = ada(&app).await;
        let (_, field) = app.post("/v2/add-custom-field",
            json!({"field_name": "Cost center", "field_type": "text", "entity": "application"})).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_custom_fields": [{"field_id": field["field_id"], "field_value": "x"}]})).await;
        assert_invalid(status, &body, &["user_custom_fields[0].field_id"]);
    }

    async fn update_user_rejects_a_text_custom_value_that_is_not_a_string(app) {
        let id = ada(&app).await;
        let field = app.custom_field("Nickname", "text", &[]).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_custom_fields": [{"field_id": field, "field_value": 42}]})).await;
        assert_invalid(status, &body, &["user_custom_fields[0].field_value"]);
    }

    async fn update_user_rejects_a_number_custom_value_that_is_not_a_number(app) {
        let id = ada(&app).await;
        let field = app.custom_field("Floor", "number", &[]).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_custom_fields": [{"field_id": field, "field_value": "third"}]})).await;
        assert_invalid(status, &body, &["user_custom_fields[0].field_value"]);
        let (status, user) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_custom_fields": [{"field_id": field, "field_value": 3}]})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(user["user_custom_fields"][0]["field_value"], 3);
    }

    async fn update_user_rejects_a_date_custom_value_that_is_not_a_date(app) {
        let id = ada(&app).await;
        let field = app.custom_field("Start date", "date", &[]).await;
        for bad in [json!("2024-13-01"), json!("yesterday"), json!(20240101)] {
            let (status, body) = app.patch(&format!("/v2/user/{id}"),
                json!({"user_custom_fields": [{"field_id": field, "field_value": bad}]})).await;
            assert_invalid(status, &body, &["user_custom_fields[0].field_value"]);
        }
        let (status, _) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_custom_fields": [{"field_id": field, "field_value": "2024-02-29"}]})).await;
        assert_eq!(status, StatusCode::OK);
    }

    async fn update_user_rejects_a_bool_custom_value_that_is_not_a_boolean(app) {
        let id = ada(&app).await;
        let field = app.custom_field("Remote", "bool", &[]).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_custom_fields": [{"field_id": field, "field_value": "maybe"}]})).await;
        assert_invalid(status, &body, &["user_custom_fields[0].field_value"]);
        let (status, user) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_custom_fields": [{"field_id": field, "field_value": true}]})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(user["user_custom_fields"][0]["field_value"], true);
    }

    async fn update_user_rejects_a_select_custom_value_outside_its_options(app) {
        let id = ada(&app).await;
        let field = app.custom_field("Location", "select", &["India", "France"]).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_custom_fields": [{"field_id": field, "field_value": "Spain"}]})).await;
        assert_invalid(status, &body, &["user_custom_fields[0].field_value"]);
    }

    async fn update_user_sets_and_removes_custom_values_keeping_the_others(app) {
        let id = ada(&app).await;
        let location = app.custom_field("Location", "select", &["India", "France"]).await;
        let nickname = app.custom_field("Nickname", "text", &[]).await;
        app.patch(&format!("/v2/user/{id}"), json!({"user_custom_fields": [
            {"field_id": location, "field_value": "India"}, {"field_id": nickname, "field_value": "Countess"}]})).await;
        let (status, user) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_custom_fields": [{"field_id": location, "field_value": null}]})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(user["user_custom_fields"], json!([{"field_id": nickname, "field_value": "Countess"}]));
    }

    async fn update_user_rejects_the_same_custom_field_twice(app) {
        let id = ada(&app).await;
        let field = app.custom_field("Nickname", "text", &[]).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"user_custom_fields": [
            {"field_id": field, "field_value": "a"}, {"field_id": field, "field_value": "b"}]})).await;
        assert_invalid(status, &body, &["user_custom_fields[1].field_id"]);
    }

    async fn update_user_rejects_wrong_json_types(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({
            "user_name": 5, "user_archive": "yes", "user_custom_fields": {}, "primary_source": "okta",
            "user_status": ["active"],
        })).await;
        assert_invalid(status, &body, &["user_name", "user_archive", "user_custom_fields", "primary_source", "user_status"]);
    }

    async fn update_user_rejects_a_body_that_is_not_an_object(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!(["user_status"])).await;
        assert_invalid(status, &body, &["body"]);
    }

    async fn update_user_rejects_malformed_json(app) {
        let id = ada(&app).await;
        let response = app.request(Method::PATCH, &format!("/v2/user/{id}"))
            .header("content-type", "application/json").body("{\"user_status\": ").send().await.expect("send");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "MALFORMED_JSON");
    }

    async fn update_user_rejects_unknown_fields(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({"user_stauts": "active", "email": "a@b.co"})).await;
        assert_invalid(status, &body, &["user_stauts", "email"]);
    }

    async fn update_user_rejects_null_for_a_required_field(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_name": null, "user_email": null, "user_status": null, "user_archive": null})).await;
        assert_invalid(status, &body, &["user_name", "user_email", "user_status", "user_archive"]);
    }

    async fn update_user_clears_optional_fields_with_null(app) {
        let id = ada(&app).await;
        app.patch(&format!("/v2/user/{id}"), json!({"user_designation": "Engineer", "user_personal_email": "a@home.org"})).await;
        let (status, user) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_designation": null, "user_personal_email": null})).await;
        assert_eq!(status, StatusCode::OK);
        assert!(user["user_designation"].is_null());
        assert!(user["user_personal_email"].is_null());
    }

    async fn update_user_reports_every_failing_field_at_once(app) {
        let id = ada(&app).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({
            "user_email": "nope", "user_status": "gone", "user_account_type": "robot",
            "optimization_inclusion": "all", "user_department_id": MISSING_ID, "reporting_manager_id": id,
            "typo": 1,
        })).await;
        assert_invalid(status, &body, &["user_email", "user_status", "user_account_type",
            "optimization_inclusion", "user_department_id", "reporting_manager_id", "typo"]);
    }

    async fn update_user_writes_nothing_when_any_field_fails(app) {
        let id = ada(&app).await;
        let (_, before) = app.get(&format!("/v2/user/{id}")).await;
        let (status, _) = app.patch(&format!("/v2/user/{id}"),
            json!({"user_name": "Changed", "user_designation": "Changed", "user_status": "bogus"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (_, after) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(before, after);
        let (_, audit) = app.get("/v2/audit/list").await;
        assert!(audit["items"].as_array().expect("items").iter().all(|event| event["action"] != "user.update"));
    }

    async fn update_user_with_a_stale_if_match_is_refused_and_writes_nothing(app) {
        let id = ada(&app).await;
        app.patch(&format!("/v2/user/{id}"), json!({"user_designation": "v2"})).await;
        let response = app.request(Method::PATCH, &format!("/v2/user/{id}")).header("if-match", "\"1\"")
            .json(&json!({"user_designation": "stale"})).send().await.expect("send");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{body}");
        let (_, user) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(user["user_designation"], "v2");
    }

    async fn update_user_with_the_current_if_match_succeeds(app) {
        let id = ada(&app).await;
        let response = app.request(Method::GET, &format!("/v2/user/{id}")).send().await.expect("send");
        let etag = response.headers().get("etag").expect("etag").to_str().expect("ascii").to_owned();
        let response = app.request(Method::PATCH, &format!("/v2/user/{id}")).header("if-match", etag)
            .json(&json!({"user_designation": "fresh"})).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn update_user_of_another_tenant_is_not_found_and_untouched(app) {
        let id = ada(&app).await;
        let response = app.anonymous(Method::PATCH, &format!("/v2/user/{id}")).header("api-key", &app.other_key)
            .json(&json!({"user_status": "inactive"})).send().await.expect("send");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!body.to_string().contains("ada@example.com"));
        let (_, user) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(user["user_status"], "active");
    }

    async fn update_user_that_does_not_exist_is_not_found(app) {
        let (status, body) = app.patch(&format!("/v2/user/{MISSING_ID}"), json!({"user_status": "active"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["code"], "NOT_FOUND");
    }

    async fn update_user_with_a_read_only_key_is_forbidden(app) {
        let id = ada(&app).await;
        let response = app.anonymous(Method::PATCH, &format!("/v2/user/{id}")).header("api-key", &app.read_key)
            .json(&json!({"user_status": "inactive"})).send().await.expect("send");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["code"], "FORBIDDEN");
    }

    async fn update_user_without_a_valid_api_key_is_unauthorized(app) {
        let id = ada(&app).await;
        for key in [None, Some("rst_wrong"), Some("")] {
            let mut request = app.anonymous(Method::PATCH, &format!("/v2/user/{id}")).json(&json!({"user_status": "inactive"}));
            if let Some(key) = key {
                request = request.header("api-key", key);
            }
            let (status, body) = read(request.send().await.expect("send")).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        }
    }

    async fn update_user_is_audited_with_before_and_after(app) {
        let id = ada(&app).await;
        app.patch(&format!("/v2/user/{id}"), json!({"user_status": "inactive"})).await;
        let (status, audit) = app.get("/v2/audit/list").await;
        assert_eq!(status, StatusCode::OK);
        let event = &audit["items"][0];
        assert_eq!(event["action"], "user.update");
        assert_eq!(event["entity_id"], id.as_str());
        assert_eq!(event["changes"], json!([{"field": "status", "before": "active", "after": "inactive"}]));
        assert!(event["actor"]["key_id"].is_string());
    }

    async fn concurrent_updates_of_different_fields_both_land(app) {
        let id = ada(&app).await;
        for round in 0..5 {
            let designation = format!("Engineer {round}");
            let status = if round % 2 == 0 { "inactive" } else { "suspended" };
            let path = format!("/v2/user/{id}");
            let (first, second) = tokio::join!(
                app.patch(&path, json!({"user_designation": designation})),
                app.patch(&path, json!({"user_status": status})),
            );
            assert_eq!(first.0, StatusCode::OK);
            assert_eq!(second.0, StatusCode::OK);
            let (_, user) = app.get(&path).await;
            assert_eq!(user["user_designation"], designation.as_str());
            assert_eq!(user["user_status"], status);
        }
    }
}
