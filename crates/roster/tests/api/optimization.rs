//! License optimization (DESIGN §2, issue 3 §4): `GET /v2/optimization/summary`,
//! `POST /v2/optimization/candidates` and `POST /v2/optimization/reclaim`. *Undeprovisioned*: an
//! active application user whose user is inactive, suspended or archived. *Unused*: an active
//! application user holding a license who has not used the application for `unused_days` (default
//! 30), or never has. Left out of a kind when the user's or the application user's
//! `optimization_inclusion` excludes it. One test per rule, named after it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{as_other, as_reader, assert_invalid, id_of, TestApp};

const MISSING_ID: &str = "5f1d7a2b9c8e4d3f2a1b0c9e";
const UNDEPROVISIONED: &str = "undeprovisioned";
const UNUSED: &str = "unused";
const SUMMARY: &str = "/v2/optimization/summary";
const CANDIDATES: &str = "/v2/optimization/candidates";
const RECLAIM: &str = "/v2/optimization/reclaim";

/// The four seed strings of `optimization_inclusion`.
const INCLUSIONS: [&str; 4] = [
    "include for all optimizations",
    "exclude for all optimizations",
    "exclude for undeprovisioned",
    "exclude for unused",
];

/// Whether one level's `optimization_inclusion` excludes an application user from `kind`.
fn excludes(inclusion: &str, kind: &str) -> bool {
    match inclusion {
        "exclude for all optimizations" => true,
        "exclude for undeprovisioned" => kind == UNDEPROVISIONED,
        "exclude for unused" => kind == UNUSED,
        _ => false,
    }
}

/// Creates a user (named after the email) who uses the application holding these licenses, with
/// extra application-user fields; returns the user's id.
async fn holder(
    app: &TestApp,
    app_id: &str,
    email: &str,
    licenses: &[&str],
    extra: Value,
) -> String {
    let user_name = email.split('@').next().expect("a local part");
    let user = app.user(email, user_name).await;
    let mut body = json!({"assign_licenses": licenses});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    app.app_user(app_id, email, body).await;
    user
}

/// Changes a user (`user_status`, `user_archive`, `optimization_inclusion`).
async fn set_user(app: &TestApp, user_id: &str, change: Value) {
    let (status, body) = app.patch(&format!("/v2/user/{user_id}"), change).await;
    assert_eq!(status, StatusCode::OK, "update user: {body}");
}

/// Makes a user inactive.
async fn deactivate(app: &TestApp, user_id: &str) {
    set_user(app, user_id, json!({"user_status": "inactive"})).await;
}

/// An RFC 3339 time this many days ago.
fn days_ago(days: i64) -> String {
    (Utc::now() - Duration::days(days)).to_rfc3339()
}

/// Records that each `(user_id, app_id)` used its application `days` days ago.
async fn used(app: &TestApp, uses: &[(&str, &str)], days: i64) {
    let events: Vec<Value> = uses
        .iter()
        .map(|(user, app_id)| json!({"user_id": user, "app_id": app_id, "used_at": days_ago(days)}))
        .collect();
    let (status, body) = app.post("/v2/activity", json!({"events": events})).await;
    assert_eq!(status, StatusCode::OK, "activity: {body}");
    assert_eq!(body["failed"], 0, "activity: {body}");
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {page}"))
}

/// The candidates page for this body (200 expected).
async fn candidates(app: &TestApp, body: Value) -> Value {
    let (status, page) = app.post(CANDIDATES, body).await;
    assert_eq!(status, StatusCode::OK, "candidates: {page}");
    page
}

/// The emails of every candidate of a kind (one big page).
async fn candidate_emails(app: &TestApp, kind: &str) -> BTreeSet<String> {
    let page = candidates(app, json!({"kind": kind, "page_size": 1000})).await;
    emails(items(&page))
}

fn emails(candidates: &[Value]) -> BTreeSet<String> {
    candidates
        .iter()
        .map(|item| {
            item["app_user"]["user_email"]
                .as_str()
                .unwrap_or_else(|| panic!("no app_user.user_email in {item}"))
                .to_owned()
        })
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

/// The summary for this query string (200 expected).
async fn summary(app: &TestApp, query: &str) -> Value {
    let (status, body) = app.get(&format!("{SUMMARY}{query}")).await;
    assert_eq!(status, StatusCode::OK, "summary: {body}");
    body
}

/// One kind's entry of a summary.
fn kind_of<'a>(summary: &'a Value, kind: &str) -> &'a Value {
    summary["kinds"]
        .as_array()
        .unwrap_or_else(|| panic!("no kinds in {summary}"))
        .iter()
        .find(|entry| entry["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {summary}"))
}

/// One application's line of a summary kind.
fn line_of<'a>(kind: &'a Value, app_id: &str) -> &'a Value {
    kind["applications"]
        .as_array()
        .unwrap_or_else(|| panic!("no applications in {kind}"))
        .iter()
        .find(|line| line["app_id"] == app_id)
        .unwrap_or_else(|| panic!("no line for {app_id} in {kind}"))
}

/// `monthly_savings` as a map from currency to amount (each currency at most once).
fn savings(value: &Value) -> BTreeMap<String, f64> {
    let entries = value["monthly_savings"]
        .as_array()
        .unwrap_or_else(|| panic!("no monthly_savings in {value}"));
    let map: BTreeMap<String, f64> = entries
        .iter()
        .map(|entry| {
            (
                entry["currency"].as_str().expect("a currency").to_owned(),
                entry["amount"].as_f64().expect("an amount"),
            )
        })
        .collect();
    assert_eq!(map.len(), entries.len(), "one entry per currency: {value}");
    map
}

fn money(amounts: &[(&str, f64)]) -> BTreeMap<String, f64> {
    amounts
        .iter()
        .map(|(currency, amount)| ((*currency).to_owned(), *amount))
        .collect()
}

/// Asserts a kind (or a line) counts nothing.
#[track_caller]
fn assert_empty_kind(kind: &Value) {
    assert_eq!(kind["candidates"], 0, "{kind}");
    assert_eq!(kind["seats"], 0, "{kind}");
    assert_eq!(kind["monthly_savings"], json!([]), "{kind}");
    assert_eq!(kind["applications"], json!([]), "{kind}");
}

async fn license(app: &TestApp, license_id: &str) -> Value {
    let (status, body) = app.get(&format!("/v2/license/{license_id}")).await;
    assert_eq!(status, StatusCode::OK, "license: {body}");
    body
}

async fn seats_used(app: &TestApp, license_id: &str) -> u64 {
    license(app, license_id).await["seats_used"]
        .as_u64()
        .expect("seats_used")
}

async fn app_user(app: &TestApp, app_id: &str, user_id: &str) -> Value {
    let (status, body) = app
        .get(&format!("/v2/application/{app_id}/user/{user_id}"))
        .await;
    assert_eq!(status, StatusCode::OK, "application user: {body}");
    body
}

/// Asserts an application user is still active and holds exactly these licenses.
async fn assert_untouched(app: &TestApp, app_id: &str, user_id: &str, licenses: &[&str]) {
    let found = app_user(app, app_id, user_id).await;
    assert_eq!(found["user_app_status"], "active", "{found}");
    assert_eq!(found["licenses"], json!(licenses), "{found}");
}

/// Asserts an application user was reclaimed: inactive, no licenses.
async fn assert_reclaimed(app: &TestApp, app_id: &str, user_id: &str) {
    let found = app_user(app, app_id, user_id).await;
    assert_eq!(found["user_app_status"], "inactive", "{found}");
    assert_eq!(found["licenses"], json!([]), "{found}");
}

/// A reclaim (200 expected).
async fn reclaim(app: &TestApp, body: Value) -> Value {
    let (status, answer) = app.post(RECLAIM, body).await;
    assert_eq!(status, StatusCode::OK, "reclaim: {answer}");
    answer
}

fn reclaimed_emails(answer: &Value) -> BTreeSet<String> {
    emails(
        answer["reclaimed"]
            .as_array()
            .unwrap_or_else(|| panic!("no reclaimed in {answer}")),
    )
}

/// Every audit event of the tenant with this action.
async fn audit_events(app: &TestApp, action: &str) -> Vec<Value> {
    let (status, page) = app.get("/v2/audit/list?page_size=1000").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    items(&page)
        .iter()
        .filter(|event| event["action"] == action)
        .cloned()
        .collect()
}

/// Builds one application user per (user setting × application-user setting) in one application,
/// each a candidate of `kind` but for the settings, and checks that exactly those not excluded at
/// either level are listed and counted.
async fn check_every_combination(app: &TestApp, kind: &str) {
    let suite = app.application("Suite").await;
    let seat = app.license(&suite, "Seat", None, 5.0, "EUR").await;
    let mut expected = BTreeSet::new();
    let mut uses = Vec::new();
    for (u, user_setting) in INCLUSIONS.iter().enumerate() {
        for (a, app_user_setting) in INCLUSIONS.iter().enumerate() {
            let email = format!("u{u}a{a}@example.com");
            let user = holder(
                app,
                &suite,
                &email,
                &[&seat],
                json!({"optimization_inclusion": app_user_setting}),
            )
            .await;
            let mut change = json!({"optimization_inclusion": user_setting});
            if kind == UNDEPROVISIONED {
                change["user_status"] = json!("inactive");
            }
            set_user(app, &user, change).await;
            let found = app_user(app, &suite, &user).await;
            assert_eq!(found["optimization_inclusion"], *app_user_setting);
            if !excludes(user_setting, kind) && !excludes(app_user_setting, kind) {
                expected.insert(email);
            }
            uses.push(user);
        }
    }
    assert_eq!(expected.len(), 4, "two settings of four keep each level in");
    if kind == UNDEPROVISIONED {
        // Used today: none is also an unused candidate.
        let pairs: Vec<(&str, &str)> = uses
            .iter()
            .map(|user| (user.as_str(), suite.as_str()))
            .collect();
        used(app, &pairs, 0).await;
    }
    let other = if kind == UNUSED {
        UNDEPROVISIONED
    } else {
        UNUSED
    };

    let page = candidates(app, json!({"kind": kind, "page_size": 1000})).await;
    assert_eq!(page["count"], 4, "{page}");
    assert_eq!(emails(items(&page)), expected);
    for item in items(&page) {
        assert_eq!(item["kind"], kind, "{item}");
    }
    assert!(
        candidate_emails(app, other).await.is_empty(),
        "no {other} candidates"
    );

    let summary = summary(app, "").await;
    let counted = kind_of(&summary, kind);
    assert_eq!(counted["candidates"], 4, "{counted}");
    assert_eq!(counted["seats"], 4, "{counted}");
    assert_eq!(savings(counted), money(&[("EUR", 20.0)]));
    let line = line_of(counted, &suite);
    assert_eq!(line["candidates"], 4, "{line}");
    assert_eq!(line["seats"], 4, "{line}");
    assert_empty_kind(kind_of(&summary, other));
}

/// A user of "Design" holding its one license, then made a candidate of undeprovisioned by
/// `change`; returns `(app_id, license_id, user_id)`.
async fn undeprovisioned_by(app: &TestApp, change: Value) -> (String, String, String) {
    let design = app.application("Design").await;
    let pro = app.license(&design, "Pro", Some(10), 9.99, "EUR").await;
    let user = holder(app, &design, "ann@example.com", &[&pro], json!({})).await;
    set_user(app, &user, change).await;
    (design, pro, user)
}

/// A creation by the other tenant (201 expected); returns the body.
async fn other_create(app: &TestApp, path: &str, body: Value) -> Value {
    let (status, body) = as_other(app, Method::POST, path, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

/// Two apps with candidates of both kinds, for reclaim tests. "Design" (license Pro, 5 seats, EUR
/// 10): ann and bob inactive (undeprovisioned, used today), carl active and used today (no
/// candidate), dave active and never used (unused). "Chat" (license Basic, USD 4): eve inactive
/// (undeprovisioned, used today).
struct Estate {
    design: String,
    pro: String,
    chat: String,
    basic: String,
    ann: String,
    bob: String,
    carl: String,
    dave: String,
    eve: String,
}

async fn estate(app: &TestApp) -> Estate {
    let design = app.application("Design").await;
    let pro = app.license(&design, "Pro", Some(5), 10.0, "EUR").await;
    let chat = app.application("Chat").await;
    let basic = app.license(&chat, "Basic", None, 4.0, "USD").await;
    let ann = holder(app, &design, "ann@example.com", &[&pro], json!({})).await;
    let bob = holder(app, &design, "bob@example.com", &[&pro], json!({})).await;
    let carl = holder(app, &design, "carl@example.com", &[&pro], json!({})).await;
    let dave = holder(app, &design, "dave@example.com", &[&pro], json!({})).await;
    let eve = holder(app, &chat, "eve@example.com", &[&basic], json!({})).await;
    for user in [&ann, &bob, &eve] {
        deactivate(app, user).await;
    }
    used(
        app,
        &[
            (&ann, &design),
            (&bob, &design),
            (&carl, &design),
            (&eve, &chat),
        ],
        0,
    )
    .await;
    Estate {
        design,
        pro,
        chat,
        basic,
        ann,
        bob,
        carl,
        dave,
        eve,
    }
}

on_both_backends! {
    // ---- who is a candidate ----

    async fn optimization_honours_every_combination_of_user_and_app_user_inclusion_for_undeprovisioned(app) {
        check_every_combination(&app, UNDEPROVISIONED).await;
    }

    async fn optimization_honours_every_combination_of_user_and_app_user_inclusion_for_unused(app) {
        check_every_combination(&app, UNUSED).await;
    }

    async fn an_archived_user_with_an_active_app_user_is_undeprovisioned(app) {
        let (_, _, user) = undeprovisioned_by(&app, json!({"user_archive": true})).await;
        let page = candidates(&app, json!({"kind": UNDEPROVISIONED})).await;
        assert_eq!(page["count"], 1, "{page}");
        let item = &items(&page)[0];
        assert_eq!(item["app_user"]["user_id"], user.as_str());
        assert_eq!(item["app_user"]["user_status"], "active", "archived, not inactive");
        assert_eq!(item["app_user"]["user_archive"], true);
        assert!(item["reason"].as_str().expect("a reason").contains("archived"), "{item}");
    }

    async fn a_suspended_user_with_an_active_app_user_is_undeprovisioned(app) {
        let (_, _, user) = undeprovisioned_by(&app, json!({"user_status": "suspended"})).await;
        let page = candidates(&app, json!({"kind": UNDEPROVISIONED})).await;
        assert_eq!(page["count"], 1, "{page}");
        let item = &items(&page)[0];
        assert_eq!(item["app_user"]["user_id"], user.as_str());
        assert!(item["reason"].as_str().expect("a reason").contains("suspended"), "{item}");
    }

    async fn an_inactive_user_with_an_active_app_user_is_undeprovisioned(app) {
        let (_, _, user) = undeprovisioned_by(&app, json!({"user_status": "inactive"})).await;
        let page = candidates(&app, json!({"kind": UNDEPROVISIONED})).await;
        assert_eq!(page["count"], 1, "{page}");
        let item = &items(&page)[0];
        assert_eq!(item["app_user"]["user_id"], user.as_str());
        assert!(item["reason"].as_str().expect("a reason").contains("inactive"), "{item}");
    }

    async fn a_user_both_suspended_and_archived_is_one_candidate(app) {
        let (_, pro, _) = undeprovisioned_by(&app, json!({"user_status": "suspended", "user_archive": true})).await;
        let page = candidates(&app, json!({"kind": UNDEPROVISIONED})).await;
        assert_eq!(page["count"], 1, "{page}");
        assert_eq!(items(&page).len(), 1, "{page}");
        let summary = summary(&app, "").await;
        let kind = kind_of(&summary, UNDEPROVISIONED);
        assert_eq!((kind["candidates"].clone(), kind["seats"].clone()), (json!(1), json!(1)), "{kind}");
        assert_eq!(savings(kind), money(&[("EUR", 9.99)]));
        let answer = reclaim(&app, json!({"kind": UNDEPROVISIONED})).await;
        assert_eq!(answer["reclaimed"].as_array().expect("reclaimed").len(), 1, "{answer}");
        assert_eq!(answer["seats_freed"], 1);
        assert_eq!(seats_used(&app, &pro).await, 0);
    }

    async fn an_undeprovisioned_user_needs_no_license_and_saves_nothing(app) {
        let design = app.application("Design").await;
        let user = holder(&app, &design, "ann@example.com", &[], json!({})).await;
        deactivate(&app, &user).await;
        let page = candidates(&app, json!({"kind": UNDEPROVISIONED})).await;
        assert_eq!(page["count"], 1, "{page}");
        let item = &items(&page)[0];
        assert_eq!(item["licenses"], json!([]), "{item}");
        assert_eq!(item["monthly_savings"], json!([]), "{item}");
        let summary = summary(&app, "").await;
        let kind = kind_of(&summary, UNDEPROVISIONED);
        assert_eq!(kind["candidates"], 1, "{kind}");
        assert_eq!(kind["seats"], 0, "{kind}");
        assert_eq!(kind["monthly_savings"], json!([]), "{kind}");
    }

    async fn an_active_user_is_not_undeprovisioned(app) {
        let (_, _, _) = undeprovisioned_by(&app, json!({"user_status": "active", "user_archive": false})).await;
        assert!(candidate_emails(&app, UNDEPROVISIONED).await.is_empty());
        assert_empty_kind(kind_of(&summary(&app, "").await, UNDEPROVISIONED));
    }

    async fn a_user_of_unknown_status_is_not_undeprovisioned(app) {
        let (_, _, _) = undeprovisioned_by(&app, json!({"user_status": "unknown"})).await;
        assert!(candidate_emails(&app, UNDEPROVISIONED).await.is_empty());
        assert_empty_kind(kind_of(&summary(&app, "").await, UNDEPROVISIONED));
    }

    async fn an_inactive_app_user_is_never_a_candidate(app) {
        let design = app.application("Design").await;
        let pro = app.license(&design, "Pro", None, 9.99, "EUR").await;
        // Inactive user (undeprovisioned but for the app user), licensed and never used (unused but
        // for the app user).
        let user = holder(&app, &design, "ann@example.com", &[&pro], json!({"user_app_status": "inactive"})).await;
        deactivate(&app, &user).await;
        assert_eq!(app_user(&app, &design, &user).await["licenses"], json!([pro]));
        let page = candidates(&app, json!({"page_size": 1000})).await;
        assert_eq!(page["count"], 0, "{page}");
        let summary = summary(&app, "").await;
        assert_empty_kind(kind_of(&summary, UNDEPROVISIONED));
        assert_empty_kind(kind_of(&summary, UNUSED));
    }

    async fn a_user_without_licenses_is_not_an_unused_candidate(app) {
        let design = app.application("Design").await;
        app.license(&design, "Pro", None, 9.99, "EUR").await;
        holder(&app, &design, "ann@example.com", &[], json!({})).await;
        assert!(candidate_emails(&app, UNUSED).await.is_empty());
        assert_empty_kind(kind_of(&summary(&app, "").await, UNUSED));
    }

    async fn a_never_used_seat_is_unused(app) {
        let design = app.application("Design").await;
        let pro = app.license(&design, "Pro", None, 9.99, "EUR").await;
        let user = holder(&app, &design, "ann@example.com", &[&pro], json!({})).await;
        let page = candidates(&app, json!({"kind": UNUSED})).await;
        assert_eq!(page["count"], 1, "{page}");
        let item = &items(&page)[0];
        assert_eq!(item["kind"], UNUSED);
        assert_eq!(item["app_user"]["user_id"], user.as_str());
        assert!(item["app_user"]["user_app_last_used"].is_null(), "{item}");
        assert!(item["reason"].as_str().expect("a reason").contains("never"), "{item}");
        // Never used stays unused however short or long the window.
        for days in [1, 3650] {
            let page = candidates(&app, json!({"kind": UNUSED, "unused_days": days})).await;
            assert_eq!(page["count"], 1, "unused_days {days}: {page}");
            let kind = kind_of(&summary(&app, &format!("?unused_days={days}")).await, UNUSED).clone();
            assert_eq!(kind["candidates"], 1, "unused_days {days}: {kind}");
        }
    }

    async fn a_seat_used_within_unused_days_is_not_unused(app) {
        let design = app.application("Design").await;
        let pro = app.license(&design, "Pro", None, 9.99, "EUR").await;
        let user = holder(&app, &design, "ann@example.com", &[&pro], json!({})).await;
        used(&app, &[(&user, &design)], 10).await;
        // Within the default 30 days, and within 11.
        for body in [json!({"kind": UNUSED}), json!({"kind": UNUSED, "unused_days": 11})] {
            let page = candidates(&app, body.clone()).await;
            assert_eq!(page["count"], 0, "{body}: {page}");
        }
        for query in ["", "?unused_days=11"] {
            assert_empty_kind(kind_of(&summary(&app, query).await, UNUSED));
        }
        // Outside a 9-day window it is unused.
        let page = candidates(&app, json!({"kind": UNUSED, "unused_days": 9})).await;
        assert_eq!(page["count"], 1, "{page}");
        let summary = summary(&app, "?unused_days=9").await;
        assert_eq!(summary["unused_days"], 9);
        assert_eq!(kind_of(&summary, UNUSED)["candidates"], 1, "{summary}");
    }

    async fn a_seat_used_longer_ago_than_unused_days_is_unused(app) {
        let design = app.application("Design").await;
        let pro = app.license(&design, "Pro", None, 9.99, "EUR").await;
        let user = holder(&app, &design, "ann@example.com", &[&pro], json!({})).await;
        used(&app, &[(&user, &design)], 40).await;
        let page = candidates(&app, json!({"kind": UNUSED})).await;
        assert_eq!(page["count"], 1, "older than the default 30 days: {page}");
        let reason = items(&page)[0]["reason"].as_str().expect("a reason").to_owned();
        assert!(reason.contains("40"), "says how long: {reason}");
        assert_eq!(kind_of(&summary(&app, "").await, UNUSED)["candidates"], 1);
        let page = candidates(&app, json!({"kind": UNUSED, "unused_days": 39})).await;
        assert_eq!(page["count"], 1, "{page}");
        assert_eq!(kind_of(&summary(&app, "?unused_days=39").await, UNUSED)["candidates"], 1);
        // A 60-day window still counts it as used.
        let page = candidates(&app, json!({"kind": UNUSED, "unused_days": 60})).await;
        assert_eq!(page["count"], 0, "{page}");
        assert_empty_kind(kind_of(&summary(&app, "?unused_days=60").await, UNUSED));
    }

    async fn unused_days_must_be_between_1_and_3650(app) {
        for days in ["0", "3651", "-1", "abc", "1.5", ""] {
            let (status, body) = app.get(&format!("{SUMMARY}?unused_days={days}")).await;
            assert_invalid(status, &body, &["unused_days"]);
            assert_eq!(body["errors"][0]["location"], "query", "{days:?}: {body}");
        }
        for days in [json!(0), json!(3651), json!(-1), json!("30"), json!(1.5), json!(null)] {
            let (status, body) = app.post(CANDIDATES, json!({"unused_days": days})).await;
            assert_invalid(status, &body, &["unused_days"]);
            assert_eq!(body["errors"][0]["location"], "body", "{days}: {body}");
            let (status, body) = app.post(RECLAIM, json!({"kind": UNUSED, "unused_days": days, "dry_run": true})).await;
            assert_invalid(status, &body, &["unused_days"]);
        }
        for days in [1, 3650] {
            let summary = summary(&app, &format!("?unused_days={days}")).await;
            assert_eq!(summary["unused_days"], days);
            candidates(&app, json!({"unused_days": days})).await;
            reclaim(&app, json!({"kind": UNUSED, "unused_days": days, "dry_run": true})).await;
        }
    }

    // ---- summary ----

    async fn summary_answers_both_kinds_with_totals_and_application_lines(app) {
        let (design, _, _) = undeprovisioned_by(&app, json!({"user_status": "inactive"})).await;
        let summary = summary(&app, "").await;
        let mut keys: Vec<&str> = summary.as_object().expect("object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["kinds", "unused_days", "unused_since"]);
        assert_eq!(summary["unused_days"], 30, "the default");
        let since = DateTime::parse_from_rfc3339(summary["unused_since"].as_str().expect("a time")).expect("RFC 3339");
        let expected = Utc::now() - Duration::days(30);
        assert!((since.with_timezone(&Utc) - expected).num_seconds().abs() < 60, "{since} vs {expected}");
        let kinds: Vec<&Value> = summary["kinds"].as_array().expect("kinds").iter().map(|kind| &kind["kind"]).collect();
        assert_eq!(kinds, [UNDEPROVISIONED, UNUSED]);
        for kind in summary["kinds"].as_array().expect("kinds") {
            let mut keys: Vec<&str> = kind.as_object().expect("object").keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["applications", "candidates", "kind", "monthly_savings", "seats"]);
            // Ann is inactive and has never used the application: a candidate of both kinds.
            assert_eq!(kind["candidates"], 1, "{kind}");
            assert_eq!(kind["seats"], 1, "{kind}");
            assert_eq!(kind["monthly_savings"], json!([{"currency": "EUR", "amount": 9.99}]), "{kind}");
            let line = &kind["applications"][0];
            let mut keys: Vec<&str> = line.as_object().expect("object").keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["app_id", "app_name", "candidates", "monthly_savings", "seats"]);
            assert_eq!(line["app_id"], design.as_str());
            assert_eq!(line["app_name"], "Design");
            assert_eq!(line["candidates"], 1);
            assert_eq!(line["seats"], 1);
            assert_eq!(line["monthly_savings"], json!([{"currency": "EUR", "amount": 9.99}]));
        }
    }

    async fn summary_of_an_empty_tenant_counts_nothing(app) {
        let summary = summary(&app, "").await;
        assert_eq!(summary["kinds"].as_array().expect("kinds").len(), 2, "{summary}");
        assert_empty_kind(kind_of(&summary, UNDEPROVISIONED));
        assert_empty_kind(kind_of(&summary, UNUSED));
    }

    async fn summary_sums_savings_per_currency_exactly(app) {
        let design = app.application("Design").await;
        let pro = app.license(&design, "Pro", None, 9.99, "EUR").await;
        let team = app.license(&design, "Team", None, 20.0, "USD").await;
        let chat = app.application("Chat").await;
        let basic = app.license(&chat, "Basic", None, 0.1, "EUR").await;
        let mut users = vec![
            (holder(&app, &design, "ann@example.com", &[&pro], json!({})).await, design.clone()),
            (holder(&app, &design, "bob@example.com", &[&pro, &team], json!({})).await, design.clone()),
        ];
        for email in ["cid@example.com", "dan@example.com", "eve@example.com"] {
            users.push((holder(&app, &chat, email, &[&basic], json!({})).await, chat.clone()));
        }
        for (user, _) in &users {
            deactivate(&app, user).await;
        }
        let pairs: Vec<(&str, &str)> = users.iter().map(|(user, app_id)| (user.as_str(), app_id.as_str())).collect();
        used(&app, &pairs, 0).await;

        let summary = summary(&app, "").await;
        let kind = kind_of(&summary, UNDEPROVISIONED);
        assert_eq!(kind["candidates"], 5, "{kind}");
        assert_eq!(kind["seats"], 6, "{kind}");
        // 9.99 + 9.99 + 0.1 + 0.1 + 0.1, with no binary rounding (0.1 * 3 is not 0.30000000000000004).
        assert_eq!(savings(kind), money(&[("EUR", 20.28), ("USD", 20.0)]));
        let line = line_of(kind, &design);
        assert_eq!(line["app_name"], "Design");
        assert_eq!(line["candidates"], 2, "{line}");
        assert_eq!(line["seats"], 3, "{line}");
        assert_eq!(savings(line), money(&[("EUR", 19.98), ("USD", 20.0)]));
        let line = line_of(kind, &chat);
        assert_eq!(line["app_name"], "Chat");
        assert_eq!(line["candidates"], 3, "{line}");
        assert_eq!(line["seats"], 3, "{line}");
        assert_eq!(savings(line), money(&[("EUR", 0.3)]));
        assert_eq!(kind["applications"].as_array().expect("lines").len(), 2);
        assert_empty_kind(kind_of(&summary, UNUSED));
    }

    async fn summary_has_one_line_per_application_with_candidates(app) {
        let estate = estate(&app).await;
        let quiet = app.application("Quiet").await;
        let seat = app.license(&quiet, "Seat", None, 1.0, "EUR").await;
        let user = holder(&app, &quiet, "zoe@example.com", &[&seat], json!({})).await;
        used(&app, &[(&user, &quiet)], 0).await;
        let summary = summary(&app, "").await;
        let kind = kind_of(&summary, UNDEPROVISIONED);
        let mut apps: Vec<&str> = kind["applications"].as_array().expect("lines").iter()
            .map(|line| line["app_name"].as_str().expect("a name")).collect();
        apps.sort_unstable();
        assert_eq!(apps, ["Chat", "Design"], "no line for an application without candidates");
        assert_eq!(kind["candidates"], 3);
        let design = line_of(kind, &estate.design);
        assert_eq!((design["candidates"].clone(), design["seats"].clone()), (json!(2), json!(2)));
        assert_eq!(savings(design), money(&[("EUR", 20.0)]));
        let chat = line_of(kind, &estate.chat);
        assert_eq!((chat["candidates"].clone(), chat["seats"].clone()), (json!(1), json!(1)));
        assert_eq!(savings(chat), money(&[("USD", 4.0)]));
        let unused = kind_of(&summary, UNUSED);
        assert_eq!(unused["candidates"], 1, "dave: {unused}");
        let apps: Vec<&Value> = unused["applications"].as_array().expect("lines").iter().map(|line| &line["app_id"]).collect();
        assert_eq!(apps, [&json!(estate.design)]);
    }

    async fn summary_never_counts_another_tenants_data(app) {
        let (design, _, _) = undeprovisioned_by(&app, json!({"user_status": "inactive"})).await;
        // The other tenant has its own candidate, with the same email and names.
        let theirs = id_of(&other_create(&app, "/v2/add-application", json!({"app_name": "Design"})).await, "app_id");
        let seat = id_of(&other_create(&app, &format!("/v2/application/{theirs}/add-license"),
            json!({"license_name": "Pro", "license_seats": null, "license_cost_per_seat": 100, "license_currency": "GBP"})).await, "license_id");
        let user = id_of(&other_create(&app, "/v2/add-user", json!({"user_name": "ann", "user_email": "ann@example.com"})).await, "user_id");
        other_create(&app, &format!("/v2/application/{theirs}/add-user"), json!({"user_email": "ann@example.com", "assign_licenses": [seat]})).await;
        let (status, body) = as_other(&app, Method::PATCH, &format!("/v2/user/{user}"), Some(json!({"user_status": "inactive"}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let ours = summary(&app, "").await;
        for kind in [UNDEPROVISIONED, UNUSED] {
            let kind = kind_of(&ours, kind);
            assert_eq!(kind["candidates"], 1, "{kind}");
            assert_eq!(savings(kind), money(&[("EUR", 9.99)]));
            let apps: Vec<&Value> = kind["applications"].as_array().expect("lines").iter().map(|line| &line["app_id"]).collect();
            assert_eq!(apps, [&json!(design)]);
        }
        let (status, their_summary) = as_other(&app, Method::GET, SUMMARY, None).await;
        assert_eq!(status, StatusCode::OK, "{their_summary}");
        for kind in [UNDEPROVISIONED, UNUSED] {
            let kind = kind_of(&their_summary, kind);
            assert_eq!(kind["candidates"], 1, "{kind}");
            assert_eq!(savings(kind), money(&[("GBP", 100.0)]));
            assert_eq!(line_of(kind, &theirs)["candidates"], 1);
        }
        // Nor are their candidates listed to us, or ours to them.
        let page = candidates(&app, json!({"page_size": 1000})).await;
        assert!(items(&page).iter().all(|item| item["app_user"]["app_id"] == design.as_str()), "{page}");
        assert_eq!(page["count"], 2);
        let (status, page) = as_other(&app, Method::POST, CANDIDATES, Some(json!({"app_id": design}))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{page}");
    }

    async fn summary_is_readable_with_a_read_key(app) {
        undeprovisioned_by(&app, json!({"user_status": "inactive"})).await;
        let (status, body) = as_reader(&app, Method::GET, SUMMARY, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(kind_of(&body, UNDEPROVISIONED)["candidates"], 1);
        let (status, body) = as_reader(&app, Method::POST, CANDIDATES, Some(json!({}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["count"], 2);
    }

    async fn summary_requires_an_api_key(app) {
        let response = app.anonymous(Method::GET, SUMMARY).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let response = app.anonymous(Method::POST, CANDIDATES).json(&json!({})).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let response = app.anonymous(Method::POST, RECLAIM).json(&json!({"kind": UNUSED})).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }

    // ---- candidates ----

    async fn candidates_are_paged(app) {
        let design = app.application("Design").await;
        let pro = app.license(&design, "Pro", None, 1.0, "EUR").await;
        for n in 0..5 {
            let email = format!("user{n}@example.com");
            let user = holder(&app, &design, &email, &[&pro], json!({})).await;
            deactivate(&app, &user).await;
        }
        let mut seen = Vec::new();
        for (page_number, size) in [(1, 2), (2, 2), (3, 1)] {
            let page = candidates(&app, json!({"kind": UNDEPROVISIONED, "page": page_number, "page_size": 2})).await;
            assert_eq!(page["count"], 5, "{page}");
            assert_eq!(page["page"], page_number);
            assert_eq!(page["page_size"], 2);
            assert_eq!(items(&page).len(), size, "{page}");
            seen.extend(items(&page).iter().map(|item| item["app_user"]["user_email"].as_str().expect("email").to_owned()));
        }
        let distinct: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(distinct.len(), 5, "pages do not overlap: {seen:?}");
        let page = candidates(&app, json!({"kind": UNDEPROVISIONED, "page": 4, "page_size": 2})).await;
        assert_eq!(page["count"], 5);
        assert!(items(&page).is_empty(), "{page}");
        let page = candidates(&app, json!({"kind": UNDEPROVISIONED})).await;
        assert_eq!(page["page"], 1);
        assert_eq!(page["page_size"], 50, "the default");
        let (status, body) = app.post(CANDIDATES, json!({"page": 0})).await;
        assert_invalid(status, &body, &["page"]);
        let (status, body) = app.post(CANDIDATES, json!({"page_size": 0})).await;
        assert_invalid(status, &body, &["page_size"]);
    }

    async fn candidates_filter_by_kind(app) {
        let design = app.application("Design").await;
        let pro = app.license(&design, "Pro", None, 1.0, "EUR").await;
        let ann = holder(&app, &design, "ann@example.com", &[&pro], json!({})).await;
        deactivate(&app, &ann).await;
        used(&app, &[(&ann, &design)], 0).await;
        holder(&app, &design, "bob@example.com", &[&pro], json!({})).await;
        let cid = holder(&app, &design, "cid@example.com", &[&pro], json!({})).await;
        set_user(&app, &cid, json!({"user_status": "suspended"})).await;

        assert_eq!(candidate_emails(&app, UNDEPROVISIONED).await, set(&["ann@example.com", "cid@example.com"]));
        assert_eq!(candidate_emails(&app, UNUSED).await, set(&["bob@example.com", "cid@example.com"]));
        // Without a kind: both, undeprovisioned first.
        let page = candidates(&app, json!({})).await;
        assert_eq!(page["count"], 4, "{page}");
        let kinds: Vec<&Value> = items(&page).iter().map(|item| &item["kind"]).collect();
        assert_eq!(kinds, [UNDEPROVISIONED, UNDEPROVISIONED, UNUSED, UNUSED], "{page}");
        for kind in ["Unused", "deprovisioned", ""] {
            let (status, body) = app.post(CANDIDATES, json!({"kind": kind})).await;
            assert_invalid(status, &body, &["kind"]);
        }
        let (status, body) = app.post(CANDIDATES, json!({"kind": 1})).await;
        assert_invalid(status, &body, &["kind"]);
    }

    async fn candidates_filter_by_application(app) {
        let estate = estate(&app).await;
        let page = candidates(&app, json!({"kind": UNDEPROVISIONED, "app_id": estate.chat})).await;
        assert_eq!(emails(items(&page)), set(&["eve@example.com"]));
        assert_eq!(page["count"], 1);
        let page = candidates(&app, json!({"kind": UNDEPROVISIONED, "app_id": estate.design})).await;
        assert_eq!(emails(items(&page)), set(&["ann@example.com", "bob@example.com"]));
        let page = candidates(&app, json!({"app_id": estate.design})).await;
        assert_eq!(page["count"], 3, "both kinds in Design: {page}");
        let page = candidates(&app, json!({"kind": UNUSED, "app_id": estate.chat})).await;
        assert_eq!(page["count"], 0, "{page}");
        assert!(items(&page).is_empty());
    }

    async fn candidates_of_an_application_that_does_not_exist_are_not_found(app) {
        let (status, body) = app.post(CANDIDATES, json!({"app_id": MISSING_ID})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = as_other(&app, Method::POST, "/v2/add-application", Some(json!({"app_name": "Theirs"}))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let theirs = id_of(&body, "app_id");
        let (status, body) = app.post(CANDIDATES, json!({"app_id": theirs})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another tenant's application: {body}");
    }

    async fn candidates_reject_an_app_id_that_is_not_an_object_id(app) {
        for id in [json!("not-an-id"), json!("5F1D7A2B9C8E4D3F2A1B0C9E0"), json!(7), json!(null)] {
            let (status, body) = app.post(CANDIDATES, json!({"app_id": id})).await;
            assert_invalid(status, &body, &["app_id"]);
        }
    }

    async fn candidates_reject_unknown_fields_and_malformed_bodies(app) {
        let (status, body) = app.post(CANDIDATES, json!({"kind": UNUSED, "dry_run": true})).await;
        assert_invalid(status, &body, &["dry_run"]);
        let (status, body) = app.post(CANDIDATES, json!({"kind": "nope", "app_id": "x", "unused_days": 0})).await;
        assert_invalid(status, &body, &["kind", "app_id", "unused_days"]);
        let response = app.request(Method::POST, CANDIDATES).header("content-type", "application/json")
            .body("{\"kind\":").send().await.expect("send");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }

    async fn a_candidate_says_why_and_what_reclaiming_it_would_save(app) {
        let design = app.application("Design").await;
        let pro = app.license(&design, "Pro", Some(3), 9.99, "EUR").await;
        let team = app.license(&design, "Team", None, 20.0, "USD").await;
        let user = holder(&app, &design, "ann@example.com", &[&pro, &team], json!({"user_app_role": "editor"})).await;
        deactivate(&app, &user).await;
        let expected_view = app_user(&app, &design, &user).await;
        for (kind, word) in [(UNDEPROVISIONED, "inactive"), (UNUSED, "never")] {
            let page = candidates(&app, json!({"kind": kind})).await;
            assert_eq!(page["count"], 1, "{page}");
            let item = &items(&page)[0];
            let mut keys: Vec<&str> = item.as_object().expect("object").keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["app_user", "kind", "licenses", "monthly_savings", "reason"]);
            assert_eq!(item["kind"], kind);
            let reason = item["reason"].as_str().expect("a reason");
            assert!(!reason.trim().is_empty() && reason.contains(word), "{kind}: {reason}");
            assert_eq!(item["app_user"], expected_view, "the application user as a read answers it");
            let mut licenses: Vec<Value> = item["licenses"].as_array().expect("licenses").clone();
            licenses.sort_by_key(|license| license["license_name"].as_str().map(str::to_owned));
            assert_eq!(licenses, [
                json!({"license_id": pro, "license_name": "Pro", "license_cost_per_seat": 9.99, "license_currency": "EUR"}),
                json!({"license_id": team, "license_name": "Team", "license_cost_per_seat": 20.0, "license_currency": "USD"}),
            ]);
            assert_eq!(savings(item), money(&[("EUR", 9.99), ("USD", 20.0)]));
        }
    }

    // ---- reclaim ----

    async fn reclaim_dry_run_answers_what_a_real_run_would_do_and_changes_nothing(app) {
        let estate = estate(&app).await;
        assert_eq!(seats_used(&app, &estate.pro).await, 4);
        let before = summary(&app, "").await;
        let dry = reclaim(&app, json!({"kind": UNDEPROVISIONED, "dry_run": true})).await;
        assert_eq!(dry["dry_run"], true);
        assert_eq!(reclaimed_emails(&dry), set(&["ann@example.com", "bob@example.com", "eve@example.com"]));
        assert_eq!(dry["seats_freed"], 3);
        assert_eq!(savings(&dry), money(&[("EUR", 20.0), ("USD", 4.0)]));
        assert_eq!(dry["remaining"], 0);
        for item in dry["reclaimed"].as_array().expect("reclaimed") {
            assert_eq!(item["kind"], UNDEPROVISIONED);
            assert_eq!(item["app_user"]["user_app_status"], "active", "answered as it is now: {item}");
        }
        // Nothing changed.
        assert_eq!(seats_used(&app, &estate.pro).await, 4);
        assert_eq!(seats_used(&app, &estate.basic).await, 1);
        assert_untouched(&app, &estate.design, &estate.ann, &[&estate.pro]).await;
        assert_untouched(&app, &estate.design, &estate.bob, &[&estate.pro]).await;
        assert_untouched(&app, &estate.chat, &estate.eve, &[&estate.basic]).await;
        assert_eq!(summary(&app, "").await["kinds"], before["kinds"]);
        assert!(audit_events(&app, "app_user.reclaim").await.is_empty());
        // A real run does exactly what the dry run said.
        let real = reclaim(&app, json!({"kind": UNDEPROVISIONED})).await;
        assert_eq!(real["dry_run"], false);
        assert_eq!(real["reclaimed"], dry["reclaimed"]);
        assert_eq!(real["seats_freed"], dry["seats_freed"]);
        assert_eq!(real["monthly_savings"], dry["monthly_savings"]);
    }

    async fn reclaim_sets_candidates_inactive_and_frees_their_licenses(app) {
        let estate = estate(&app).await;
        let pro = license(&app, &estate.pro).await;
        assert_eq!((pro["seats_used"].clone(), pro["seats_free"].clone()), (json!(4), json!(1)));
        let answer = reclaim(&app, json!({"kind": UNDEPROVISIONED})).await;
        assert_eq!(answer["dry_run"], false);
        assert_eq!(reclaimed_emails(&answer), set(&["ann@example.com", "bob@example.com", "eve@example.com"]));
        assert_eq!(answer["seats_freed"], 3);
        assert_eq!(savings(&answer), money(&[("EUR", 20.0), ("USD", 4.0)]));
        assert_eq!(answer["remaining"], 0);
        assert_reclaimed(&app, &estate.design, &estate.ann).await;
        assert_reclaimed(&app, &estate.design, &estate.bob).await;
        assert_reclaimed(&app, &estate.chat, &estate.eve).await;
        assert_untouched(&app, &estate.design, &estate.carl, &[&estate.pro]).await;
        assert_untouched(&app, &estate.design, &estate.dave, &[&estate.pro]).await;
        let pro = license(&app, &estate.pro).await;
        assert_eq!((pro["seats_used"].clone(), pro["seats_free"].clone()), (json!(2), json!(3)));
        assert_eq!(seats_used(&app, &estate.basic).await, 0);
        let summary = summary(&app, "").await;
        assert_empty_kind(kind_of(&summary, UNDEPROVISIONED));
        assert_eq!(kind_of(&summary, UNUSED)["candidates"], 1, "dave is still unused");
        assert!(candidate_emails(&app, UNDEPROVISIONED).await.is_empty());
        // A second run finds nothing.
        let again = reclaim(&app, json!({"kind": UNDEPROVISIONED})).await;
        assert_eq!(again["reclaimed"], json!([]));
        assert_eq!(again["seats_freed"], 0);
        assert_eq!(again["monthly_savings"], json!([]));
    }

    async fn reclaim_of_unused_seats_honours_unused_days(app) {
        let estate = estate(&app).await;
        used(&app, &[(&estate.dave, &estate.design)], 40).await;
        let answer = reclaim(&app, json!({"kind": UNUSED, "unused_days": 60})).await;
        assert_eq!(answer["reclaimed"], json!([]), "used within 60 days");
        assert_untouched(&app, &estate.design, &estate.dave, &[&estate.pro]).await;
        let answer = reclaim(&app, json!({"kind": UNUSED})).await;
        assert_eq!(reclaimed_emails(&answer), set(&["dave@example.com"]));
        assert_eq!(answer["seats_freed"], 1);
        assert_eq!(savings(&answer), money(&[("EUR", 10.0)]));
        assert_reclaimed(&app, &estate.design, &estate.dave).await;
        // Undeprovisioned candidates were not touched by an unused reclaim.
        assert_untouched(&app, &estate.design, &estate.ann, &[&estate.pro]).await;
        assert_empty_kind(kind_of(&summary(&app, "").await, UNUSED));
        assert_eq!(kind_of(&summary(&app, "").await, UNDEPROVISIONED)["candidates"], 3);
    }

    async fn reclaim_restricted_to_an_application_leaves_other_applications_alone(app) {
        let estate = estate(&app).await;
        let answer = reclaim(&app, json!({"kind": UNDEPROVISIONED, "app_id": estate.chat})).await;
        assert_eq!(reclaimed_emails(&answer), set(&["eve@example.com"]));
        assert_eq!(answer["seats_freed"], 1);
        assert_eq!(savings(&answer), money(&[("USD", 4.0)]));
        assert_reclaimed(&app, &estate.chat, &estate.eve).await;
        assert_untouched(&app, &estate.design, &estate.ann, &[&estate.pro]).await;
        assert_untouched(&app, &estate.design, &estate.bob, &[&estate.pro]).await;
        assert_eq!(seats_used(&app, &estate.pro).await, 4);
        let summary = summary(&app, "").await;
        let kind = kind_of(&summary, UNDEPROVISIONED);
        assert_eq!(kind["candidates"], 2, "{kind}");
        assert_eq!(line_of(kind, &estate.design)["candidates"], 2);
    }

    async fn reclaim_restricted_to_candidates_touches_only_those(app) {
        let estate = estate(&app).await;
        // Ann is a candidate; carl is not (active, used today); dave is an unused candidate, not an
        // undeprovisioned one.
        let answer = reclaim(&app, json!({"kind": UNDEPROVISIONED, "candidates": [
            {"app_id": estate.design, "user_id": estate.ann},
            {"app_id": estate.design, "user_id": estate.carl},
            {"app_id": estate.design, "user_id": estate.dave},
        ]})).await;
        assert_eq!(reclaimed_emails(&answer), set(&["ann@example.com"]));
        assert_eq!(answer["seats_freed"], 1);
        assert_reclaimed(&app, &estate.design, &estate.ann).await;
        assert_untouched(&app, &estate.design, &estate.bob, &[&estate.pro]).await;
        assert_untouched(&app, &estate.design, &estate.carl, &[&estate.pro]).await;
        assert_untouched(&app, &estate.design, &estate.dave, &[&estate.pro]).await;
        assert_untouched(&app, &estate.chat, &estate.eve, &[&estate.basic]).await;
        assert_eq!(seats_used(&app, &estate.pro).await, 3);
        // A pair naming the wrong application is no candidate either.
        let answer = reclaim(&app, json!({"kind": UNDEPROVISIONED, "candidates": [
            {"app_id": estate.chat, "user_id": estate.bob},
        ]})).await;
        assert_eq!(answer["reclaimed"], json!([]));
        assert_untouched(&app, &estate.design, &estate.bob, &[&estate.pro]).await;
    }

    async fn reclaim_of_a_candidate_listed_twice_reclaims_it_once(app) {
        let estate = estate(&app).await;
        let pair = json!({"app_id": estate.design, "user_id": estate.ann});
        let answer = reclaim(&app, json!({"kind": UNDEPROVISIONED, "candidates": [pair, pair]})).await;
        assert_eq!(reclaimed_emails(&answer), set(&["ann@example.com"]));
        assert_eq!(answer["reclaimed"].as_array().expect("reclaimed").len(), 1, "{answer}");
        assert_eq!(answer["seats_freed"], 1);
        assert_eq!(savings(&answer), money(&[("EUR", 10.0)]));
        assert_eq!(audit_events(&app, "app_user.reclaim").await.len(), 1);
        assert_eq!(seats_used(&app, &estate.pro).await, 3);
    }

    async fn concurrent_reclaims_free_each_seat_once(app) {
        let design = app.application("Design").await;
        let pro = app.license(&design, "Pro", None, 1.0, "EUR").await;
        for n in 0..40 {
            let user = holder(&app, &design, &format!("user{n}@example.com"), &[&pro], json!({})).await;
            deactivate(&app, &user).await;
        }
        let body = json!({"kind": UNDEPROVISIONED});
        let (first, second) = tokio::join!(app.post(RECLAIM, body.clone()), app.post(RECLAIM, body.clone()));
        assert_eq!(first.0, StatusCode::OK, "{}", first.1);
        assert_eq!(second.0, StatusCode::OK, "{}", second.1);
        let (first, second) = (reclaimed_emails(&first.1), reclaimed_emails(&second.1));
        assert!(first.is_disjoint(&second), "both requests claim to have reclaimed {:?}", first.intersection(&second).collect::<Vec<_>>());
        assert_eq!(first.len() + second.len(), 40);
        assert_eq!(audit_events(&app, "app_user.reclaim").await.len(), 40, "one audit event per application user reclaimed");
        assert_eq!(seats_used(&app, &pro).await, 0);
    }

    async fn reclaim_of_an_empty_candidate_list_touches_nobody(app) {
        let estate = estate(&app).await;
        let answer = reclaim(&app, json!({"kind": UNDEPROVISIONED, "candidates": []})).await;
        assert_eq!(answer["reclaimed"], json!([]), "{answer}");
        assert_eq!(answer["seats_freed"], 0);
        assert_untouched(&app, &estate.design, &estate.ann, &[&estate.pro]).await;
        assert_eq!(kind_of(&summary(&app, "").await, UNDEPROVISIONED)["candidates"], 3);
    }

    async fn reclaim_honours_optimization_inclusion(app) {
        let estate = estate(&app).await;
        let (status, body) = app.patch(&format!("/v2/application/{}/user/{}", estate.design, estate.ann),
            json!({"optimization_inclusion": "exclude for undeprovisioned"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        set_user(&app, &estate.bob, json!({"optimization_inclusion": "exclude for all optimizations"})).await;
        let answer = reclaim(&app, json!({"kind": UNDEPROVISIONED, "candidates": [
            {"app_id": estate.design, "user_id": estate.ann},
            {"app_id": estate.design, "user_id": estate.bob},
        ]})).await;
        assert_eq!(answer["reclaimed"], json!([]), "excluded: {answer}");
        let answer = reclaim(&app, json!({"kind": UNDEPROVISIONED})).await;
        assert_eq!(reclaimed_emails(&answer), set(&["eve@example.com"]));
        assert_untouched(&app, &estate.design, &estate.ann, &[&estate.pro]).await;
        assert_untouched(&app, &estate.design, &estate.bob, &[&estate.pro]).await;
    }

    async fn reclaim_audits_each_application_user(app) {
        let estate = estate(&app).await;
        reclaim(&app, json!({"kind": UNDEPROVISIONED, "dry_run": true})).await;
        assert!(audit_events(&app, "app_user.reclaim").await.is_empty(), "a dry run audits nothing");
        reclaim(&app, json!({"kind": UNDEPROVISIONED})).await;
        let events = audit_events(&app, "app_user.reclaim").await;
        assert_eq!(events.len(), 3, "{events:?}");
        let mut entities: Vec<&str> = events.iter().map(|event| event["entity_id"].as_str().expect("entity")).collect();
        entities.sort_unstable();
        let mut expected = vec![
            format!("{}/{}", estate.design, estate.ann),
            format!("{}/{}", estate.design, estate.bob),
            format!("{}/{}", estate.chat, estate.eve),
        ];
        expected.sort_unstable();
        assert_eq!(entities, expected);
        for event in &events {
            assert_eq!(event["actor"]["name"], "tests", "{event}");
            let changes = event["changes"].as_array().expect("changes");
            let afters: Vec<&Value> = changes.iter().map(|change| &change["after"]).collect();
            assert!(afters.contains(&&json!("inactive")), "status change audited: {event}");
            assert!(afters.contains(&&json!([])), "licenses change audited: {event}");
        }
    }

    async fn reclaim_requires_a_kind(app) {
        let (status, body) = app.post(RECLAIM, json!({"dry_run": true})).await;
        assert_invalid(status, &body, &["kind"]);
        let (status, body) = app.post(RECLAIM, json!({})).await;
        assert_invalid(status, &body, &["kind"]);
        let (status, body) = app.post(RECLAIM, json!({"kind": "everything"})).await;
        assert_invalid(status, &body, &["kind"]);
        let (status, body) = app.post(RECLAIM, json!({"kind": null})).await;
        assert_invalid(status, &body, &["kind"]);
    }

    async fn reclaim_rejects_malformed_fields_all_at_once(app) {
        let estate = estate(&app).await;
        let (status, body) = app.post(RECLAIM, json!({
            "kind": UNDEPROVISIONED, "app_id": "nope", "dry_run": "yes", "page": 1,
            "candidates": [{"app_id": estate.design, "user_id": "bad"}, {"app_id": estate.design}],
        })).await;
        assert_invalid(status, &body, &["app_id", "dry_run", "page", "candidates[0].user_id", "candidates[1].user_id"]);
        let (status, body) = app.post(RECLAIM, json!({"kind": UNDEPROVISIONED, "candidates": "all"})).await;
        assert_invalid(status, &body, &["candidates"]);
        assert_untouched(&app, &estate.design, &estate.ann, &[&estate.pro]).await;
    }

    async fn reclaim_in_an_application_that_does_not_exist_is_not_found(app) {
        let estate = estate(&app).await;
        let (status, body) = app.post(RECLAIM, json!({"kind": UNDEPROVISIONED, "app_id": MISSING_ID})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        // Another tenant cannot reclaim ours, by application or by candidate.
        let (status, body) = as_other(&app, Method::POST, RECLAIM,
            Some(json!({"kind": UNDEPROVISIONED, "app_id": estate.design}))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = as_other(&app, Method::POST, RECLAIM, Some(json!({"kind": UNDEPROVISIONED,
            "candidates": [{"app_id": estate.design, "user_id": estate.ann}]}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["reclaimed"], json!([]), "{body}");
        let (status, body) = as_other(&app, Method::POST, RECLAIM, Some(json!({"kind": UNDEPROVISIONED}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["reclaimed"], json!([]), "{body}");
        assert_untouched(&app, &estate.design, &estate.ann, &[&estate.pro]).await;
        assert_eq!(kind_of(&summary(&app, "").await, UNDEPROVISIONED)["candidates"], 3);
    }

    async fn reclaim_is_refused_to_a_read_key(app) {
        let estate = estate(&app).await;
        for body in [json!({"kind": UNDEPROVISIONED}), json!({"kind": UNDEPROVISIONED, "dry_run": true})] {
            let (status, answer) = as_reader(&app, Method::POST, RECLAIM, Some(body)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
        }
        assert_untouched(&app, &estate.design, &estate.ann, &[&estate.pro]).await;
        assert_eq!(kind_of(&summary(&app, "").await, UNDEPROVISIONED)["candidates"], 3);
    }
}
