//! SCIM 2.0 at `/scim/v2` (RFC 7643/7644) against the one directory: the filter grammar, PATCH
//! paths, Bulk with `bulkId` references, ETags and `If-Match`, errors, and what identity providers
//! change showing through the native API and license optimization.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{read, TestApp};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

async fn scim(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
    if_match: Option<&str>,
) -> (StatusCode, Value, Option<String>) {
    let mut request = app
        .anonymous(method, &format!("/scim/v2{path}"))
        .header("Authorization", format!("Bearer {}", app.key));
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/scim+json")
            .body(body.to_string());
    }
    let response = request.send().await.expect("send");
    let etag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().expect("etag").to_owned());
    let (status, body) = read(response).await;
    (status, body, etag)
}

async fn create_user(app: &TestApp, user_name: &str, extra: Value) -> Value {
    let mut body = json!({"schemas": [USER], "userName": user_name, "displayName": "Ada Lovelace"});
    for (key, value) in extra.as_object().expect("object") {
        body[key] = value.clone();
    }
    let (status, created, _) = scim(app, Method::POST, "/Users", Some(body), None).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

async fn patch(app: &TestApp, path: &str, operations: Value) -> (StatusCode, Value) {
    let body = json!({"schemas": [PATCH_OP], "Operations": operations});
    let (status, body, _) = scim(app, Method::PATCH, path, Some(body), None).await;
    (status, body)
}

async fn user_names(app: &TestApp, filter: &str) -> Vec<String> {
    let query = format!("/Users?filter={}", urlencode(filter));
    let (status, list, _) = scim(app, Method::GET, &query, None, None).await;
    assert_eq!(status, StatusCode::OK, "{filter}: {list}");
    let mut names: Vec<String> = list["Resources"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|r| r["userName"].as_str().expect("userName").to_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

on_both_backends! {
    async fn create_user_maps_user_name_to_the_email_and_answers_location_and_etag(app) {
        let body = json!({"schemas": [USER], "userName": "ada@example.com",
            "name": {"givenName": "Ada", "familyName": "Lovelace"}, "title": "Engineer",
            ENTERPRISE: {"department": "Research", "employeeNumber": "42"}});
        let response = app.anonymous(Method::POST, "/scim/v2/Users")
            .header("Authorization", format!("Bearer {}", app.key))
            .header("content-type", "application/scim+json")
            .body(body.to_string()).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers()["content-type"], "application/scim+json");
        let location = response.headers()["location"].to_str().expect("location").to_owned();
        let etag = response.headers()["etag"].to_str().expect("etag").to_owned();
        let (_, user) = read(response).await;
        assert_eq!(user["meta"]["location"], location.as_str());
        assert_eq!(user["meta"]["version"], etag.as_str());
        let id = user["id"].as_str().expect("id");
        let (_, native) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(native["user_email"], "ada@example.com");
        assert_eq!(native["user_name"], "Ada Lovelace");
        assert_eq!(native["user_designation"], "Engineer", "{native}");
        assert_eq!(user[ENTERPRISE]["department"], "Research");
    }

    async fn a_user_deactivated_over_scim_is_inactive_and_an_undeprovisioned_candidate(app) {
        let user = create_user(&app, "ada@example.com", json!({"active": true})).await;
        let id = user["id"].as_str().expect("id");
        let zoom = app.application("Zoom").await;
        let pro = app.license(&zoom, "Pro", Some(5), 10.0, "USD").await;
        app.app_user(&zoom, "ada@example.com", json!({"assign_licenses": [pro]})).await;
        let (status, patched) = patch(&app, &format!("/Users/{id}"),
            json!([{"op": "Replace", "path": "active", "value": "False"}])).await;
        assert_eq!(status, StatusCode::OK, "{patched}");
        assert_eq!(patched["active"], false);
        let (_, native) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(native["user_status"], "inactive");
        let (_, page) = app.post("/v2/optimization/candidates",
            json!({"kind": "undeprovisioned", "page_size": 100})).await;
        assert!(page.to_string().contains("ada@example.com"), "{page}");
    }

    async fn filters_support_every_operator_logic_and_grouping(app) {
        create_user(&app, "ada@example.com", json!({"title": "Engineer", "active": true})).await;
        create_user(&app, "bob@example.org", json!({"title": "Analyst", "active": false})).await;
        create_user(&app, "carol@example.com", json!({"active": true})).await;
        assert_eq!(user_names(&app, r#"userName eq "ADA@example.com""#).await, ["ada@example.com"]);
        assert_eq!(user_names(&app, r#"userName ne "ada@example.com""#).await.len(), 2);
        assert_eq!(user_names(&app, r#"userName co "example.org""#).await, ["bob@example.org"]);
        assert_eq!(user_names(&app, r#"userName sw "car""#).await, ["carol@example.com"]);
        assert_eq!(user_names(&app, r#"userName ew ".org""#).await, ["bob@example.org"]);
        assert_eq!(user_names(&app, "title pr").await, ["ada@example.com", "bob@example.org"]);
        assert_eq!(user_names(&app, r#"userName gt "b""#).await, ["bob@example.org", "carol@example.com"]);
        assert_eq!(user_names(&app, r#"userName le "bob@example.org""#).await, ["ada@example.com", "bob@example.org"]);
        assert_eq!(user_names(&app, r#"title pr and active eq true"#).await, ["ada@example.com"]);
        assert_eq!(user_names(&app, r#"not (title pr) or userName sw "bob""#).await, ["bob@example.org", "carol@example.com"]);
        assert_eq!(user_names(&app, r#"emails[type eq "work" and value co "example.org"]"#).await, ["bob@example.org"]);
        assert_eq!(user_names(&app, r#"meta.created gt "2000-01-01T00:00:00Z""#).await.len(), 3);
    }

    async fn a_malformed_filter_is_an_invalid_filter_error(app) {
        let (status, error, _) = scim(&app, Method::GET, &format!("/Users?filter={}", urlencode("userName eq")), None, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
        assert_eq!(error["scimType"], "invalidFilter");
        assert_eq!(error["status"], "400");
        assert_eq!(error["schemas"], json!(["urn:ietf:params:scim:api:messages:2.0:Error"]));
    }

    async fn sorting_paging_and_count_zero(app) {
        for name in ["carol@example.com", "ada@example.com", "bob@example.com"] {
            create_user(&app, name, json!({})).await;
        }
        let (_, list, _) = scim(&app, Method::GET, "/Users?sortBy=userName&sortOrder=descending&startIndex=2&count=1", None, None).await;
        assert_eq!(list["totalResults"], 3);
        assert_eq!(list["startIndex"], 2);
        assert_eq!(list["Resources"][0]["userName"], "bob@example.com");
        let (_, empty, _) = scim(&app, Method::GET, "/Users?count=0", None, None).await;
        assert_eq!(empty["Resources"], json!([]));
        assert_eq!(empty["totalResults"], 3);
        let (_, projected, _) = scim(&app, Method::GET, "/Users?attributes=userName", None, None).await;
        let first = &projected["Resources"][0];
        assert!(first.get("displayName").is_none() && first.get("id").is_some(), "{first}");
    }

    async fn patch_paths_with_value_filters_sub_attributes_and_extensions(app) {
        let user = create_user(&app, "ada@example.com", json!({})).await;
        let path = format!("/Users/{}", user["id"].as_str().expect("id"));
        let (status, patched) = patch(&app, &path, json!([
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "ada@lovelace.org"},
            {"op": "add", "path": "name.familyName", "value": "King"},
            {"op": "add", "path": format!("{ENTERPRISE}:employeeNumber"), "value": "7"},
            {"op": "add", "value": {"title": "Countess"}},
        ])).await;
        assert_eq!(status, StatusCode::OK, "{patched}");
        assert_eq!(patched["emails"][0]["value"], "ada@lovelace.org");
        assert_eq!(patched["name"]["familyName"], "King");
        assert_eq!(patched[ENTERPRISE]["employeeNumber"], "7");
        assert_eq!(patched["title"], "Countess");
        let (status, removed) = patch(&app, &path, json!([{"op": "remove", "path": "title"}])).await;
        assert_eq!(status, StatusCode::OK);
        assert!(removed.get("title").is_none());
        let (status, error) = patch(&app, &path, json!([{"op": "remove"}])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(error["scimType"], "noTarget");
        let (status, error) = patch(&app, &path, json!([{"op": "replace", "path": "groups", "value": []}])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(error["scimType"], "mutability");
    }

    async fn a_failing_patch_writes_nothing(app) {
        let user = create_user(&app, "ada@example.com", json!({"title": "Engineer"})).await;
        let path = format!("/Users/{}", user["id"].as_str().expect("id"));
        let (status, _) = patch(&app, &path, json!([
            {"op": "replace", "path": "title", "value": "Countess"},
            {"op": "replace", "path": "entitlements", "value": [{"value": "no_such_permission"}]},
        ])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (_, again, _) = scim(&app, Method::GET, &path, None, None).await;
        assert_eq!(again["title"], "Engineer");
    }

    async fn if_match_with_a_stale_etag_is_412_and_the_current_one_applies(app) {
        let user = create_user(&app, "ada@example.com", json!({})).await;
        let path = format!("/Users/{}", user["id"].as_str().expect("id"));
        let version = user["meta"]["version"].as_str().expect("version").to_owned();
        let body = json!({"schemas": [PATCH_OP], "Operations": [{"op": "add", "path": "title", "value": "A"}]});
        let (status, _, etag) = scim(&app, Method::PATCH, &path, Some(body.clone()), Some(&version)).await;
        assert_eq!(status, StatusCode::OK);
        assert_ne!(etag.as_deref(), Some(version.as_str()));
        let (status, _, _) = scim(&app, Method::PATCH, &path, Some(body), Some(&version)).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    }

    async fn user_name_must_be_unique(app) {
        create_user(&app, "ada@example.com", json!({})).await;
        let body = json!({"schemas": [USER], "userName": "ADA@example.com"});
        let (status, error, _) = scim(&app, Method::POST, "/Users", Some(body), None).await;
        assert_eq!(status, StatusCode::CONFLICT, "{error}");
        assert_eq!(error["scimType"], "uniqueness");
    }

    async fn group_members_are_added_and_removed_atomically(app) {
        let ada = create_user(&app, "ada@example.com", json!({})).await;
        let bob = create_user(&app, "bob@example.com", json!({})).await;
        let body = json!({"schemas": [GROUP], "displayName": "Engineers",
            "members": [{"value": ada["id"]}, {"value": "not-a-user"}]});
        let (status, group, _) = scim(&app, Method::POST, "/Groups", Some(body), None).await;
        assert_eq!(status, StatusCode::CREATED, "{group}");
        assert_eq!(group["members"].as_array().expect("members").len(), 1);
        let path = format!("/Groups/{}", group["id"].as_str().expect("id"));
        let (status, group) = patch(&app, &path, json!([
            {"op": "add", "path": "members", "value": [{"value": bob["id"]}]},
            {"op": "remove", "path": format!("members[value eq \"{}\"]", ada["id"].as_str().expect("id"))},
        ])).await;
        assert_eq!(status, StatusCode::OK, "{group}");
        assert_eq!(group["members"], json!([{"value": bob["id"], "type": "User",
            "$ref": format!("{}/scim/v2/Users/{}", app.base, bob["id"].as_str().expect("id"))}]));
        let (_, native) = app.get(&format!("/v2/user/{}", bob["id"].as_str().expect("id"))).await;
        assert_eq!(native["user_group_ids"], json!([group["id"]]));
    }

    async fn bulk_runs_operations_in_order_with_bulk_id_references(app) {
        let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [
            {"method": "POST", "path": "/Users", "bulkId": "ada",
                "data": {"schemas": [USER], "userName": "ada@example.com"}},
            {"method": "POST", "path": "/Groups", "bulkId": "eng",
                "data": {"schemas": [GROUP], "displayName": "Engineers", "members": [{"value": "bulkId:ada"}]}},
            {"method": "PATCH", "path": "/Users/bulkId:ada",
                "data": {"schemas": [PATCH_OP], "Operations": [{"op": "add", "path": "title", "value": "Engineer"}]}},
            {"method": "DELETE", "path": "/Users/5f1d7a2b9c8e4d3f2a1b0c9e"},
        ]});
        let (status, response, _) = scim(&app, Method::POST, "/Bulk", Some(body), None).await;
        assert_eq!(status, StatusCode::OK, "{response}");
        let statuses: Vec<&str> = response["Operations"].as_array().expect("operations")
            .iter().map(|op| op["status"].as_str().expect("status")).collect();
        assert_eq!(statuses, ["201", "201", "200", "404"]);
        assert_eq!(user_names(&app, r#"title eq "Engineer""#).await, ["ada@example.com"]);
    }

    async fn bulk_fail_on_errors_stops_after_that_many_errors(app) {
        let bad = json!({"method": "POST", "path": "/Users", "data": {"schemas": [USER]}});
        let good = json!({"method": "POST", "path": "/Users", "data": {"schemas": [USER], "userName": "ada@example.com"}});
        let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
            "failOnErrors": 1, "Operations": [bad, good]});
        let (_, response, _) = scim(&app, Method::POST, "/Bulk", Some(body), None).await;
        assert_eq!(response["Operations"].as_array().expect("operations").len(), 1);
        assert!(user_names(&app, "userName pr").await.is_empty());
    }

    async fn unknown_ids_paths_and_keys_answer_scim_errors(app) {
        let (status, error, _) = scim(&app, Method::GET, "/Users/nonexistent-id-000000", None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error["status"], "404");
        let (status, error, _) = scim(&app, Method::GET, "/nothing-here", None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error["schemas"], json!(["urn:ietf:params:scim:api:messages:2.0:Error"]));
        let (status, _, _) = scim(&app, Method::DELETE, "/Schemas", None, None).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        let (status, _) = read(app.anonymous(Method::GET, "/scim/v2/Users").send().await.expect("send")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let other = read(app.anonymous(Method::GET, &format!("/scim/v2/Users/{}",
            create_user(&app, "ada@example.com", json!({})).await["id"].as_str().expect("id")))
            .header("Authorization", format!("Bearer {}", app.other_key)).send().await.expect("send")).await;
        assert_eq!(other.0, StatusCode::NOT_FOUND, "another tenant's user is not found");
    }
}
