//! SCIM 2.0 at `/scim/v2` (RFC 7643/7644) against the one directory: the filter grammar, PATCH
//! paths, Bulk with `bulkId` references, ETags and `If-Match`, errors, and what identity providers
//! change showing through the native API and license optimization.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{read, TestApp};

pub(crate) const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub(crate) const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub(crate) const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

pub(crate) async fn scim(
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

pub(crate) async fn create_user(app: &TestApp, user_name: &str, extra: Value) -> Value {
    let mut body = json!({"schemas": [USER], "userName": user_name, "displayName": "Ada Lovelace"});
    for (key, value) in extra.as_object().expect("object") {
        body[key] = value.clone();
    }
    let (status, created, _) = scim(app, Method::POST, "/Users", Some(body), None).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

pub(crate) async fn patch(app: &TestApp, path: &str, operations: Value) -> (StatusCode, Value) {
    let body = json!({"schemas": [PATCH_OP], "Operations": operations});
    let (status, body, _) = scim(app, Method::PATCH, path, Some(body), None).await;
    (status, body)
}

pub(crate) async fn user_names(app: &TestApp, filter: &str) -> Vec<String> {
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

pub(crate) fn urlencode(text: &str) -> String {
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

const ROSTER: &str = "urn:roster:params:scim:schemas:extension:roster:2.0:User";

/// The users `filter` finds, checked against the same filter read as a full scan: `… or not
/// (userName pr)` adds no user (every user has a userName) but cannot narrow what is read.
async fn found_as_by_a_full_scan(app: &TestApp, filter: &str) -> Vec<String> {
    let narrowed = user_names(app, filter).await;
    let scanned = user_names(app, &format!("({filter}) or not (userName pr)")).await;
    assert_eq!(narrowed, scanned, "{filter}");
    narrowed
}

async fn ids_of(app: &TestApp, path: &str, body: Option<Value>) -> (Value, Vec<String>) {
    let method = if body.is_some() {
        Method::POST
    } else {
        Method::GET
    };
    let (status, list, _) = scim(app, method, path, body, None).await;
    assert_eq!(status, StatusCode::OK, "{path}: {list}");
    let ids = list["Resources"]
        .as_array()
        .expect("Resources")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect();
    (list, ids)
}

on_both_backends! {
    async fn filters_narrowed_by_the_store_find_the_same_users_as_a_full_scan(app) {
        let bob = create_user(&app, "bob", json!({"emails": [{"value": "Bob@Example.com", "type": "work"}],
            "active": false, "title": "Analyst", "externalId": "ext-ada", "userType": "service"})).await;
        let bob_id = bob["id"].as_str().expect("id");
        let ada = create_user(&app, "ada@example.com", json!({"externalId": "ext-Ada", "title": "Engineer",
            "active": true, "emails": [{"value": "ada@example.com", "type": "work"},
                {"value": "Ada.Home@Example.org", "type": "home"}],
            ENTERPRISE: {"manager": {"value": bob_id}}})).await;
        let ada_id = ada["id"].as_str().expect("id");
        create_user(&app, "carol@example.com", json!({"active": true,
            ROSTER: {"archived": true, "optimizationInclusion": "exclude for unused"}})).await;
        for (name, status) in [("dave@example.com", "suspended"), ("erin@example.com", "unknown")] {
            let user = create_user(&app, name, json!({})).await;
            let (code, body) = app.patch(&format!("/v2/user/{}", user["id"].as_str().expect("id")),
                json!({"user_status": status})).await;
            assert_eq!(code, StatusCode::OK, "{body}");
        }
        let cases: Vec<(String, Vec<&str>)> = vec![
            (r#"userName eq "ADA@Example.COM""#.into(), vec!["ada@example.com"]),
            (format!(r#"{USER}:userName eq "BOB""#), vec!["bob"]),
            (r#"userName eq "bob@example.com""#.into(), vec![]),
            (r#"externalId eq "ext-Ada""#.into(), vec!["ada@example.com"]),
            (r#"externalId eq "ext-ada""#.into(), vec!["bob"]),
            (r#"externalId eq "EXT-ADA""#.into(), vec![]),
            (format!(r#"id eq "{ada_id}""#), vec!["ada@example.com"]),
            (r#"id eq "not-an-id""#.into(), vec![]),
            (r#"emails eq "ada.home@EXAMPLE.org""#.into(), vec!["ada@example.com"]),
            (r#"emails.value eq "bob@example.COM""#.into(), vec!["bob"]),
            (r#"emails[type eq "work" and value eq "ADA@example.com"]"#.into(), vec!["ada@example.com"]),
            (r#"emails[type eq "work" and value eq "ada.home@example.org"]"#.into(), vec![]),
            ("active eq true".into(), vec!["ada@example.com", "carol@example.com"]),
            ("active eq false".into(), vec!["bob", "dave@example.com"]),
            (r#"userType eq "SERVICE""#.into(), vec!["bob"]),
            (r#"userType eq "intern""#.into(), vec![]),
            (r#"title eq "engineer""#.into(), vec!["ada@example.com"]),
            (format!("{ROSTER}:archived eq true"), vec!["carol@example.com"]),
            ("archived eq false".into(), vec!["ada@example.com", "bob", "dave@example.com", "erin@example.com"]),
            (format!(r#"{ROSTER}:optimizationInclusion eq "exclude for unused""#), vec!["carol@example.com"]),
            (format!(r#"{ENTERPRISE}:manager.value eq "{bob_id}""#), vec!["ada@example.com"]),
            (format!(r#"manager eq "{bob_id}""#), vec!["ada@example.com"]),
            (r#"userName eq "ada@example.com" or userName eq "BOB""#.into(), vec!["ada@example.com", "bob"]),
            (r#"userName eq "ada@example.com" or title eq "analyst""#.into(), vec!["ada@example.com", "bob"]),
            (r#"not (userName eq "ada@example.com") and active eq true"#.into(), vec!["carol@example.com"]),
            (r#"userName ne "bob" and userType eq "service""#.into(), vec![]),
            (r#"title eq "Engineer" and active eq true and externalId eq "ext-Ada""#.into(), vec!["ada@example.com"]),
        ];
        for (filter, expected) in cases {
            assert_eq!(found_as_by_a_full_scan(&app, &filter).await, expected, "{filter}");
        }
    }

    async fn unfiltered_pages_are_cut_by_the_store_with_the_same_users_and_totals(app) {
        for index in 0..5 {
            create_user(&app, &format!("user{index}@example.com"), json!({})).await;
        }
        let (_, all) = ids_of(&app, "/Users", None).await;
        assert_eq!(all.len(), 5);
        for (start, count) in [(1, 2), (2, 2), (3, 2), (2, 3), (4, 4), (5, 3), (6, 2), (100, 1), (1, 1000)] {
            let expected: Vec<String> = all.iter().skip(start - 1).take(count).cloned().collect();
            let query = format!("startIndex={start}&count={count}");
            let (list, ids) = ids_of(&app, &format!("/Users?{query}"), None).await;
            assert_eq!(ids, expected, "{query}");
            assert_eq!(list["totalResults"], 5, "{query}");
            assert_eq!(list["startIndex"], start, "{query}");
            assert_eq!(list["itemsPerPage"], expected.len(), "{query}");
            let scanned = format!("/Users?{query}&filter={}", urlencode("userName pr"));
            assert_eq!(ids_of(&app, &scanned, None).await.1, expected, "{query}");
            let search = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                "startIndex": start, "count": count});
            assert_eq!(ids_of(&app, "/Users/.search", Some(search)).await.1, expected, "{query}");
        }
        let (none, ids) = ids_of(&app, "/Users?count=0", None).await;
        assert!(ids.is_empty());
        assert_eq!(none["totalResults"], 5);
        assert_eq!(none["itemsPerPage"], 0);
        let (none, ids) = ids_of(&app, "/Users?startIndex=3&count=0", None).await;
        assert!(ids.is_empty());
        assert_eq!(none["totalResults"], 5);
    }

    async fn listed_groups_show_their_members_and_display_name_filters_ignore_case(app) {
        let ada = create_user(&app, "ada@example.com", json!({})).await;
        let bob = create_user(&app, "bob@example.com", json!({})).await;
        let mut groups = Vec::new();
        for (name, members) in [("Engineers", vec![&ada, &bob]), ("Analysts", vec![&bob]), ("Empty", vec![])] {
            let members: Vec<Value> = members.iter().map(|user| json!({"value": user["id"]})).collect();
            let body = json!({"schemas": [GROUP], "displayName": name, "members": members});
            let (status, group, _) = scim(&app, Method::POST, "/Groups", Some(body), None).await;
            assert_eq!(status, StatusCode::CREATED, "{group}");
            groups.push(group);
        }
        let (status, list, _) = scim(&app, Method::GET, "/Groups", None, None).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list["totalResults"], 3);
        for group in &groups {
            let path = format!("/Groups/{}", group["id"].as_str().expect("id"));
            let (_, alone, _) = scim(&app, Method::GET, &path, None, None).await;
            let listed = list["Resources"].as_array().expect("Resources").iter()
                .find(|r| r["id"] == group["id"]).expect("listed");
            assert_eq!(listed, &alone, "a listed group is the group read alone");
        }
        let names = |filter: &'static str| {
            let app = &app;
            async move {
                let query = format!("/Groups?filter={}", urlencode(filter));
                let (status, list, _) = scim(app, Method::GET, &query, None, None).await;
                assert_eq!(status, StatusCode::OK, "{list}");
                let mut names: Vec<String> = list["Resources"].as_array().expect("Resources").iter()
                    .map(|r| r["displayName"].as_str().expect("displayName").to_owned()).collect();
                names.sort();
                names
            }
        };
        assert_eq!(names(r#"displayName eq "ENGINEERS""#).await, ["Engineers"]);
        assert_eq!(names(r#"displayName eq "Eng""#).await, Vec::<String>::new());
        assert_eq!(names(r#"displayName eq "engineers" or displayName eq "Analysts""#).await, ["Analysts", "Engineers"]);
        assert_eq!(names(r#"not (displayName eq "Engineers")"#).await, ["Analysts", "Empty"]);
        let (_, engineers, _) = scim(&app, Method::GET,
            &format!("/Groups?filter={}", urlencode(r#"displayName eq "Engineers""#)), None, None).await;
        assert_eq!(engineers["Resources"][0]["members"].as_array().expect("members").len(), 2);
    }
}
