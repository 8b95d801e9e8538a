//! The HTTP edge and operations: body limits, content types, malformed JSON, unknown paths and
//! methods, authentication headers, request ids, the `/ext` alias, health, readiness, metrics, the
//! OpenAPI document and its browser, plus two sweeping checks: the documented update body agrees
//! with the reader field by field, and hostile bodies never cause a server error. One test per
//! rule, named after it.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::{assert_invalid, error_params, id_of, read, TestApp};

const MISSING_ID: &str = "5f1d7a2b9c8e4d3f2a1b0c9e";

/// The seed's twelve fields of `PATCH /v2/user/{userId}`.
/// The seed's fields, and the user's permissions, roles and groups (which Wavefront writes too).
const UPDATE_FIELDS: [&str; 15] = [
    "user_name",
    "user_email",
    "user_personal_email",
    "user_department_id",
    "user_status",
    "reporting_manager_id",
    "user_designation",
    "user_account_type",
    "user_archive",
    "optimization_inclusion",
    "primary_source",
    "user_custom_fields",
    "user_permissions",
    "user_role_ids",
    "user_group_ids",
];

async fn ada(app: &TestApp) -> String {
    app.user("ada@example.com", "Ada Lovelace").await
}

/// Sends `body` as it is, with the given content type (none when `None`).
async fn send_raw(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, Value) {
    let mut request = app.request(method, path).body(body);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    read(request.send().await.expect("send")).await
}

/// Asserts a native error body with this code: `{"errors": [{"msg": …}, …], "code": …}`.
#[track_caller]
fn assert_native_error(body: &Value, code: &str) {
    assert_eq!(body["code"], code, "{body}");
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {body}"));
    assert!(!errors.is_empty(), "{body}");
    assert!(
        errors
            .iter()
            .all(|error| error["msg"].as_str().is_some_and(|msg| !msg.is_empty())),
        "{body}"
    );
}

fn request_id(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("x-request-id")
        .unwrap_or_else(|| panic!("no x-request-id on a {} response", response.status()))
        .to_str()
        .expect("ascii")
        .to_owned()
}

async fn openapi(app: &TestApp) -> Value {
    let response = app
        .anonymous(Method::GET, "/openapi.json")
        .send()
        .await
        .expect("send");
    let (status, document) = read(response).await;
    assert_eq!(status, StatusCode::OK);
    document
}

/// A schema of the document's components.
fn component<'a>(document: &'a Value, name: &str) -> &'a Value {
    let schema = &document["components"]["schemas"][name];
    assert!(
        schema.is_object(),
        "no schema {name} in the OpenAPI document"
    );
    schema
}

/// The JSON types a schema admits (`integer` counts as `number`), following `$ref`s and unions.
fn json_types(schema: &Value, document: &Value) -> BTreeSet<String> {
    let mut types = BTreeSet::new();
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .expect("a local $ref");
        types.extend(json_types(component(document, name), document));
    }
    match &schema["type"] {
        Value::String(kind) => {
            types.insert(kind.clone());
        }
        Value::Array(kinds) => {
            types.extend(kinds.iter().filter_map(Value::as_str).map(str::to_owned))
        }
        _ => {}
    }
    for union in ["oneOf", "anyOf", "allOf"] {
        for part in schema[union].as_array().into_iter().flatten() {
            types.extend(json_types(part, document));
        }
    }
    if types.remove("integer") {
        types.insert("number".to_owned());
    }
    types
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `depth` arrays nested in each other: `[[[…]]]`.
fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// `depth` objects nested in each other: `{"a":{"a":…1…}}`.
fn nested_objects(depth: usize) -> String {
    format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
}

/// Text that does not compress (so that a database cannot shrink it under a size limit).
fn incompressible(chars: usize) -> String {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..chars)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b'!' + u8::try_from(state % 94).expect("small"))
        })
        .collect()
}

/// Bodies no well-behaved client sends. Each must be answered without a server error.
fn hostile_bodies(text_field: &str, number_field: &str, user: &str) -> Vec<String> {
    let custom = |value: &str, field: &str| {
        format!(r#"{{"user_custom_fields": [{{"field_id": "{field}", "field_value": {value}}}]}}"#)
    };
    let mut bodies: Vec<String> = vec![
        // Deep nesting, beyond and within serde_json's recursion limit.
        nested_arrays(1000),
        nested_objects(1000),
        format!(r#"{{"user_name": {}}}"#, nested_arrays(1000)),
        format!(r#"{{"user_custom_fields": {}}}"#, nested_arrays(1000)),
        format!(r#"{{"filter_by": {}}}"#, nested_arrays(1000)),
        custom(&nested_arrays(100), text_field),
        custom(&nested_objects(100), number_field),
        format!(r#"{{"primary_source": {}}}"#, nested_objects(100)),
        format!(r#"{{"filter_by": [{{"field_id": "user_email", "field_values": {}}}]}}"#, nested_arrays(100)),
        // Huge and odd numbers.
        "1e400".to_owned(),
        r#"{"page": 1e400}"#.to_owned(),
        r#"{"page": 123456789012345678901234567890, "page_size": 1000}"#.to_owned(),
        r#"{"page": 18446744073709551615, "page_size": 18446744073709551615}"#.to_owned(),
        r#"{"page": 4294967295, "page_size": 1000}"#.to_owned(),
        r#"{"page": -1, "page_size": 1.5}"#.to_owned(),
        r#"{"user_archive": 1e308, "user_status": -0}"#.to_owned(),
        custom("1e308", number_field),
        custom("-1.7976931348623157e308", number_field),
        custom("18446744073709551615", number_field),
        custom("5e-324", number_field),
        custom("123456789012345678901234567890", number_field),
        // Unicode: astral planes, joiners, bidi overrides, NUL and other control characters.
        r#"{"user_name": "👩‍💻 Ada Łovelace 中文 \u202e \ud83d\ude00"}"#.to_owned(),
        r#"{"user_name": "Ada\u0000Lovelace"}"#.to_owned(),
        r#"{"user_designation": "\u0000\u0001\u001f\u007f"}"#.to_owned(),
        r#"{"user_email": "ada\u0000@example.com"}"#.to_owned(),
        r#"{"user_email": "üñí@exämple.com", "user_personal_email": "ａｄａ@example.com"}"#.to_owned(),
        r#"{"user_name": "\ud800"}"#.to_owned(),
        custom(r#""\u0000""#, text_field),
        custom(r#""𝕬𝖉𝖆 \u202e \u0000 \\ % _ ' \" ; --""#, text_field),
        r#"{"search_query": "\u0000"}"#.to_owned(),
        r#"{"search_query": "%_\\'\";--,,,, ,\u0000"}"#.to_owned(),
        r#"{"filter_by": [{"field_id": "user_designation", "field_values": ["\u0000", "%"]}]}"#.to_owned(),
        format!(
            r#"{{"filter_by": [{{"field_id": "custom_fields", "field_values": {{"custom_field_id": "{text_field}", "custom_field_values": ["\u0000"]}}}}]}}"#
        ),
        "\u{feff}{}".to_owned(),
        // Empty strings.
        String::new(),
        r#""""#.to_owned(),
        r#"{"": ""}"#.to_owned(),
        r#"{"user_name": "", "user_email": "", "user_status": "", "user_department_id": "", "reporting_manager_id": ""}"#.to_owned(),
        r#"{"search_query": "", "filter_by": [{"field_id": "", "field_values": [""]}], "sort_by": [{"": 1}]}"#.to_owned(),
        r#"{"primary_source": {"keyword": "", "org_integration_id": "", "integration_id": ""}}"#.to_owned(),
        custom(r#""""#, text_field),
        custom(r#""""#, number_field),
        // Arrays where objects are expected, and the other way round.
        "[]".to_owned(),
        "[{}]".to_owned(),
        r#"[{"user_name": "Ada"}]"#.to_owned(),
        r#"{"primary_source": []}"#.to_owned(),
        r#"{"primary_source": [{"keyword": "okta"}]}"#.to_owned(),
        r#"{"user_custom_fields": [[]]}"#.to_owned(),
        r#"{"user_custom_fields": {"field_id": "x"}}"#.to_owned(),
        r#"{"filter_by": [[]], "sort_by": [[]]}"#.to_owned(),
        r#"{"filter_by": {}, "sort_by": {}}"#.to_owned(),
        r#"{"filter_by": [{"field_id": "custom_fields", "field_values": []}]}"#.to_owned(),
        r#"{"filter_by": [{"field_id": "user_archive", "field_values": [[], {}]}]}"#.to_owned(),
        r#"{"sort_by": [{"user_name": [1]}, {"user_name": {"$gt": 1}}]}"#.to_owned(),
        // Nulls.
        "null".to_owned(),
        "[null]".to_owned(),
        r#"{"user_custom_fields": null, "primary_source": null, "filter_by": null, "sort_by": null, "search_query": null}"#.to_owned(),
        r#"{"user_custom_fields": [null], "filter_by": [null], "sort_by": [null]}"#.to_owned(),
        r#"{"user_custom_fields": [{"field_id": null, "field_value": null}]}"#.to_owned(),
        r#"{"primary_source": {"keyword": null, "org_integration_id": null, "integration_id": null}}"#.to_owned(),
        r#"{"filter_by": [{"field_id": "custom_fields", "field_values": null}]}"#.to_owned(),
        r#"{"filter_by": [{"field_id": null, "field_values": null, "negative": null}]}"#.to_owned(),
        // Scalars as bodies, duplicate keys, prototype-pollution keys.
        "true".to_owned(),
        "0".to_owned(),
        r#""user_name""#.to_owned(),
        r#"{"user_name": "Ada", "user_name": "Grace"}"#.to_owned(),
        r#"{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}"#.to_owned(),
        // Ids that are almost ObjectIds, and the user as its own everything.
        format!(r#"{{"reporting_manager_id": "{user}", "user_department_id": "{user}"}}"#),
        r#"{"user_department_id": "ＡＢＣＤＥＦ０１２３４５６７８９０１２３４５", "reporting_manager_id": "5F1D7A2B9C8E4D3F2A1B0C9E"}"#.to_owned(),
        // Long values, under the body limit.
        format!(r#"{{"user_name": "{}"}}"#, "a".repeat(100_000)),
        format!(r#"{{"user_designation": "{}"}}"#, incompressible(300_000)),
        format!(r#"{{"search_query": "{}"}}"#, incompressible(100_000).replace(['"', '\\'], "x")),
        custom(&format!("\"{}\"", incompressible(50_000).replace(['"', '\\'], "x")), text_field),
        custom(&format!("\"{}\"", incompressible(4096).replace(['"', '\\'], "x")), text_field),
    ];
    // Many values in one request (more than a database takes as bind parameters).
    let many = |count: usize, item: &str| vec![item; count].join(",");
    bodies.push(format!(r#"{{"search_query": "{}"}}"#, many(40_000, "a")));
    bodies.push(format!(
        r#"{{"filter_by": [{{"field_id": "user_email", "field_values": [{}]}}]}}"#,
        many(70_000, r#""a""#)
    ));
    bodies.push(format!(
        r#"{{"filter_by": [{{"field_id": "user_status", "field_values": [{}], "negative": true}}]}}"#,
        many(40_000, r#""active""#)
    ));
    bodies.push(format!(
        r#"{{"filter_by": [{}]}}"#,
        many(
            5_000,
            r#"{"field_id": "user_archive", "field_values": [true]}"#
        )
    ));
    bodies.push(format!(
        r#"{{"user_custom_fields": [{}]}}"#,
        many(
            10_000,
            &format!(r#"{{"field_id": "{text_field}", "field_value": "x"}}"#)
        )
    ));
    bodies.push(format!(
        r#"{{"sort_by": [{}]}}"#,
        many(20_000, r#"{"user_name": 1}"#)
    ));
    bodies
}

on_both_backends! {
    // ---- bodies ----

    async fn a_body_over_one_mebibyte_is_refused_with_413(app) {
        let id = ada(&app).await;
        let padding = "x".repeat(1024 * 1024);
        let body = json!({"user_designation": padding}).to_string();
        assert!(body.len() > 1024 * 1024);
        for (method, path) in [(Method::POST, "/v2/add-user".to_owned()), (Method::PATCH, format!("/v2/user/{id}")),
            (Method::POST, "/v2/users".to_owned()), (Method::POST, "/v2/add-department".to_owned())] {
            let (status, error) = send_raw(&app, method, &path, Some("application/json"), body.clone()).await;
            assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}: {error}");
            assert_native_error(&error, "PAYLOAD_TOO_LARGE");
        }
        let (_, user) = app.get(&format!("/v2/user/{id}")).await;
        assert!(user["user_designation"].is_null(), "nothing was written");
    }

    async fn a_body_just_under_one_mebibyte_is_read(app) {
        let id = ada(&app).await;
        let designation = "x".repeat(1024 * 1024 - 64);
        let body = json!({"user_designation": designation}).to_string();
        assert!(body.len() <= 1024 * 1024);
        let (status, user) = send_raw(&app, Method::PATCH, &format!("/v2/user/{id}"), Some("application/json"), body).await;
        assert_eq!(status, StatusCode::OK, "{}", user["errors"]);
        assert_eq!(user["user_designation"].as_str().map(str::len), Some(designation.len()));
    }

    async fn a_body_that_is_not_declared_json_is_refused_with_415(app) {
        let id = ada(&app).await;
        let body = r#"{"user_status": "inactive"}"#;
        for content_type in [Some("text/plain"), None, Some("application/x-www-form-urlencoded"),
            Some("application/jsonx"), Some("text/json")] {
            for (method, path) in [(Method::PATCH, format!("/v2/user/{id}")), (Method::POST, "/v2/add-user".to_owned()),
                (Method::POST, "/v2/users".to_owned()), (Method::POST, "/v2/add-department".to_owned())] {
                let (status, error) = send_raw(&app, method, &path, content_type, body).await;
                assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type:?} {path}: {error}");
                assert_native_error(&error, "UNSUPPORTED_MEDIA_TYPE");
            }
        }
        let (_, user) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(user["user_status"], "active", "nothing was written");
    }

    async fn a_json_content_type_with_parameters_or_a_json_suffix_is_accepted(app) {
        let id = ada(&app).await;
        for content_type in ["application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"] {
            let (status, user) = send_raw(&app, Method::PATCH, &format!("/v2/user/{id}"), Some(content_type),
                r#"{"user_designation": "Countess"}"#).await;
            assert_eq!(status, StatusCode::OK, "{content_type}: {user}");
        }
    }

    async fn malformed_json_is_refused_with_400(app) {
        let id = ada(&app).await;
        for body in ["{", "{\"user_status\": }", "not json", "", "{} {}", "{'user_status': 'active'}",
            "{\"user_status\": \"active\",}", "\u{feff}{}", "{\"user_name\": \"\\ud800\"}"] {
            let (status, error) = send_raw(&app, Method::PATCH, &format!("/v2/user/{id}"), Some("application/json"), body).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body:?}: {error}");
            assert_native_error(&error, "MALFORMED_JSON");
        }
        let (status, error) = send_raw(&app, Method::POST, "/v2/add-department", Some("application/json"), "[").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_native_error(&error, "MALFORMED_JSON");
    }

    async fn a_nul_character_in_any_string_is_refused_naming_the_field(app) {
        let id = ada(&app).await;
        let field = app.custom_field("Nickname", "text", &[]).await;
        let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({
            "user_name": "Ada\u{0}Lovelace", "user_designation": "\u{0}",
            "user_custom_fields": [{"field_id": field, "field_value": "a\u{0}"}],
        })).await;
        assert_invalid(status, &body, &["user_name", "user_designation", "user_custom_fields[0].field_value"]);
        let (status, body) = app.post("/v2/users", json!({"search_query": "\u{0}",
            "filter_by": [{"field_id": "user_designation", "field_values": ["ok", "\u{0}"]}]})).await;
        assert_invalid(status, &body, &["search_query", "filter_by[0].field_values[1]"]);
        let (status, body) = app.post("/v2/add-department", json!({"department_name": "R&D\u{0}"})).await;
        assert_invalid(status, &body, &["department_name"]);
        let (status, body) = app.post("/v2/add-department", json!("\u{0}")).await;
        assert_invalid(status, &body, &["body"]);
        let (_, user) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(user["user_name"], "Ada Lovelace", "nothing was written");
    }

    async fn list_bodies_beyond_what_a_database_takes_are_refused_by_name(app) {
        let many = |count: usize| vec!["a@example.com"; count];
        let condition = json!({"field_id": "user_status", "field_values": ["active"]});
        let (status, body) = app.post("/v2/users", json!({
            "filter_by": [{"field_id": "user_email", "field_values": many(1001)}],
        })).await;
        assert_invalid(status, &body, &["filter_by[0].field_values"]);
        let (status, body) = app.post("/v2/users", json!({"filter_by": vec![condition.clone(); 11]})).await;
        assert_invalid(status, &body, &["filter_by"]);
        let (status, body) = app.post("/v2/users", json!({"sort_by": vec![json!({"user_name": 1}); 11]})).await;
        assert_invalid(status, &body, &["sort_by"]);
        let (status, body) = app.post("/v2/users", json!({"search_query": vec!["a"; 101].join(",")})).await;
        assert_invalid(status, &body, &["search_query"]);
        let (status, body) = app.post("/v2/users", json!({"search_query": "a".repeat(257)})).await;
        assert_invalid(status, &body, &["search_query"]);
        let (status, page) = app.post("/v2/users", json!({
            "filter_by": vec![json!({"field_id": "user_email", "field_values": many(1000)}); 10],
            "sort_by": vec![json!({"user_name": 1}); 10],
            "search_query": vec!["a".repeat(256); 100].join(","),
        })).await;
        assert_eq!(status, StatusCode::OK, "at the limits: {}", page["errors"]);
    }

    // ---- routing ----

    async fn an_unknown_path_answers_a_json_404(app) {
        for path in ["/v2/nope", "/nope", "/v2/user", "/v2/user/a/b", "/v3/users", "/ext/healthz"] {
            let (status, body) = app.get(path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
            assert_native_error(&body, "NOT_FOUND");
            let response = app.anonymous(Method::POST, path).send().await.expect("send");
            let (status, body) = read(response).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "without a key too: {path}");
            assert_native_error(&body, "NOT_FOUND");
        }
    }

    async fn a_wrong_method_on_a_known_path_answers_a_json_405(app) {
        let id = ada(&app).await;
        for (method, path) in [(Method::PUT, format!("/v2/user/{id}")), (Method::POST, format!("/v2/user/{id}")),
            (Method::GET, "/v2/add-user".to_owned()), (Method::DELETE, "/v2/users".to_owned()),
            (Method::PUT, format!("/ext/v2/user/{id}")), (Method::POST, "/healthz".to_owned())] {
            let response = app.request(method.clone(), &path).json(&json!({})).send().await.expect("send");
            let allow = response.headers().get("allow").map(|value| value.to_str().expect("ascii").to_owned());
            let (status, body) = read(response).await;
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}: {body}");
            assert_native_error(&body, "METHOD_NOT_ALLOWED");
            let allow = allow.unwrap_or_else(|| panic!("no Allow header on {method} {path}"));
            assert!(!allow.contains(method.as_str()), "{allow}");
        }
        let (_, user) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(user["user_name"], "Ada Lovelace");
    }

    // ---- authentication ----

    async fn a_request_without_an_api_key_is_unauthorized(app) {
        let id = ada(&app).await;
        for (method, path) in [(Method::GET, format!("/v2/user/{id}")), (Method::POST, "/v2/users".to_owned()),
            (Method::POST, "/v2/add-user".to_owned()), (Method::DELETE, format!("/v2/user/{id}")),
            (Method::GET, "/v2/custom-fields".to_owned()), (Method::GET, "/v2/audit/list".to_owned()),
            (Method::GET, format!("/ext/v2/user/{id}"))] {
            let response = app.anonymous(method.clone(), &path).json(&json!({})).send().await.expect("send");
            let (status, body) = read(response).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}: {body}");
            assert_native_error(&body, "UNAUTHORIZED");
        }
        let (status, _) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(status, StatusCode::OK, "still there");
    }

    async fn an_unknown_or_blank_api_key_is_unauthorized(app) {
        let id = ada(&app).await;
        for key in ["rst_not-a-key".to_owned(), " ".to_owned(), "x".repeat(10_000), format!("{}x", app.key)] {
            let response = app.anonymous(Method::GET, &format!("/v2/user/{id}")).header("api-key", &key)
                .send().await.expect("send");
            let (status, body) = read(response).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
            assert_native_error(&body, "UNAUTHORIZED");
        }
    }

    async fn the_api_key_header_may_be_spelt_with_an_underscore(app) {
        let id = ada(&app).await;
        let response = app.anonymous(Method::GET, &format!("/v2/user/{id}")).header("api_key", &app.key)
            .send().await.expect("send");
        let (status, user) = read(response).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(user["user_id"], id.as_str());
        let response = app.anonymous(Method::PATCH, &format!("/v2/user/{id}")).header("api_key", &app.key)
            .json(&json!({"user_designation": "Countess"})).send().await.expect("send");
        let (status, user) = read(response).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(user["user_designation"], "Countess");
    }

    // ---- request ids ----

    async fn every_response_carries_a_request_id(app) {
        let mut seen = BTreeSet::new();
        for (method, path, key) in [(Method::GET, "/healthz", true), (Method::GET, "/v2/nope", true),
            (Method::GET, "/v2/audit/list", false), (Method::GET, "/v2/user/nope", true),
            (Method::PUT, "/v2/users", true), (Method::GET, "/openapi.json", false)] {
            let request = if key { app.request(method, path) } else { app.anonymous(method, path) };
            let response = request.send().await.expect("send");
            let id = request_id(&response);
            assert!(!id.is_empty() && id.len() <= 128, "{path}: {id:?}");
            assert!(seen.insert(id), "request ids are fresh per request");
        }
    }

    async fn a_client_request_id_is_echoed_back(app) {
        for path in ["/healthz", "/v2/nope", "/v2/audit/list"] {
            let response = app.request(Method::GET, path).header("x-request-id", "trace-me-42").send().await.expect("send");
            assert_eq!(request_id(&response), "trace-me-42", "{path}");
        }
        let id = ada(&app).await;
        let response = app.request(Method::PATCH, &format!("/v2/user/{id}")).header("x-request-id", "patch-7")
            .json(&json!({"user_status": "bogus"})).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(request_id(&response), "patch-7");
    }

    async fn an_unreasonable_client_request_id_is_replaced(app) {
        let long = "r".repeat(500);
        let response = app.request(Method::GET, "/healthz").header("x-request-id", &long).send().await.expect("send");
        let id = request_id(&response);
        assert_ne!(id, long);
        assert!(!id.is_empty() && id.len() <= 128, "{id:?}");
    }

    // ---- the /ext alias ----

    async fn the_native_api_also_answers_under_ext(app) {
        let id = ada(&app).await;
        let (status, direct) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        let (status, aliased) = app.get(&format!("/ext/v2/user/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{aliased}");
        assert_eq!(aliased, direct);
        let (status, user) = app.patch(&format!("/ext/v2/user/{id}"), json!({"user_designation": "Countess"})).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(user["user_designation"], "Countess");
        let (status, page) = app.post("/ext/v2/users", json!({"search_query": "ada"})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["count"], 1);
        let (status, department) = app.post("/ext/v2/add-department", json!({"department_name": "Engineering"})).await;
        assert_eq!(status, StatusCode::CREATED, "{department}");
        let (status, _) = app.get(&format!("/v2/department/{}", id_of(&department, "department_id"))).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = app.patch("/ext/v2/user/nope", json!({})).await;
        assert_invalid(status, &body, &["userId"]);
        let (status, body) = app.get(&format!("/ext/v2/user/{MISSING_ID}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_native_error(&body, "NOT_FOUND");
    }

    // ---- operations ----

    async fn healthz_answers_200_without_a_key(app) {
        let response = app.anonymous(Method::GET, "/healthz").send().await.expect("send");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["status"], "ok");
    }

    async fn readyz_answers_ready_and_names_the_database(app) {
        let response = app.anonymous(Method::GET, "/readyz").send().await.expect("send");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let database = if app.database_url.starts_with("postgres") { "postgres" } else { "sqlite" };
        assert_eq!(body, json!({"status": "ready", "database": database}));
    }

    async fn metrics_are_prometheus_text_counting_requests(app) {
        let id = ada(&app).await;
        let (status, _) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        let response = app.anonymous(Method::GET, "/metrics").send().await.expect("send");
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers().get("content-type").expect("content type").to_str().expect("ascii").to_owned();
        assert!(content_type.starts_with("text/plain"), "{content_type}");
        let text = response.text().await.expect("body");
        let counted = |route: &str| text.lines().any(|line| line.starts_with("http_requests_total{")
            && line.contains(&format!("route=\"{route}\"")));
        assert!(counted("/v2/user/{userId}"), "{text}");
        assert!(counted("/v2/add-user"), "{text}");
        assert!(text.lines().any(|line| line.starts_with("# TYPE http_requests_total counter")), "{text}");
        assert!(text.contains("http_request_duration_seconds"), "{text}");
        assert!(!text.contains(&id), "routes are labelled by pattern, not by raw path");
    }

    // ---- the OpenAPI document and its browser ----

    async fn openapi_json_is_an_openapi_3_document_of_every_native_path(app) {
        let document = openapi(&app).await;
        assert!(document["openapi"].as_str().is_some_and(|version| version.starts_with("3.")), "{}", document["openapi"]);
        assert!(document["info"]["title"].is_string());
        let paths = document["paths"].as_object().expect("paths");
        for (path, methods) in [
            ("/v2/user/{userId}", &["get", "patch", "delete"][..]),
            ("/v2/add-user", &["post"]),
            ("/v2/users", &["post"]),
            ("/v2/userIds", &["post"]),
            ("/v2/add-department", &["post"]),
            ("/v2/departments", &["post"]),
            ("/v2/department/{departmentId}", &["get", "patch", "delete"]),
            ("/v2/add-custom-field", &["post"]),
            ("/v2/custom-fields", &["get"]),
            ("/v2/custom-field/{fieldId}", &["get", "patch", "delete"]),
            ("/v2/add-integration", &["post"]),
            ("/v2/integrations", &["post"]),
            ("/v2/integration/{integrationId}", &["get", "patch", "delete"]),
            ("/v2/audit/list", &["get"]),
        ] {
            let item = paths.get(path).unwrap_or_else(|| panic!("{path} is not documented"));
            for method in methods {
                assert!(item[*method].is_object(), "{method} {path} is not documented");
            }
        }
        let patch = &paths["/v2/user/{userId}"]["patch"];
        assert_eq!(patch["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/UserUpdateBody");
        for status in ["200", "400", "401", "403", "404", "409", "412"] {
            assert!(patch["responses"][status].is_object(), "PATCH /v2/user/{{userId}} does not document {status}");
        }
        assert!(document["components"]["securitySchemes"]["api_key"].is_object());
    }

    async fn openapi_user_update_body_lists_exactly_the_update_fields(app) {
        let document = openapi(&app).await;
        let schema = component(&document, "UserUpdateBody");
        let properties: BTreeSet<&str> = schema["properties"].as_object().expect("properties")
            .keys().map(String::as_str).collect();
        assert_eq!(properties, UPDATE_FIELDS.into_iter().collect::<BTreeSet<_>>());
        assert!(schema["required"].as_array().is_none_or(Vec::is_empty), "every field is optional: {schema}");
    }

    async fn openapi_user_status_is_exactly_the_four_statuses(app) {
        let document = openapi(&app).await;
        assert_eq!(component(&document, "UserStatusSchema")["enum"], json!(["active", "inactive", "suspended", "unknown"]));
    }

    async fn openapi_json_needs_no_key(app) {
        let response = app.anonymous(Method::GET, "/openapi.json").send().await.expect("send");
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers().get("content-type").expect("content type").to_str().expect("ascii").to_owned();
        assert!(content_type.starts_with("application/json"), "{content_type}");
    }

    async fn docs_serve_swagger_ui_from_roster_itself(app) {
        for path in ["/docs/", "/docs"] {
            let response = app.anonymous(Method::GET, path).send().await.expect("send");
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert!(response.url().as_str().starts_with(&app.base), "{path} stays on Roster: {}", response.url());
            let content_type = response.headers().get("content-type").expect("content type").to_str().expect("ascii").to_owned();
            assert!(content_type.starts_with("text/html"), "{content_type}");
            let html = response.text().await.expect("body");
            assert!(html.to_lowercase().contains("swagger"), "{html}");
            assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("//unpkg")
                && !html.contains("//cdn"), "no assets from elsewhere: {html}");
        }
        for asset in ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-initializer.js"] {
            let response = app.anonymous(Method::GET, &format!("/docs/{asset}")).send().await.expect("send");
            assert_eq!(response.status(), StatusCode::OK, "{asset} is served by Roster");
            let text = response.text().await.expect("body");
            assert!(!text.is_empty(), "{asset}");
            if asset == "swagger-initializer.js" {
                assert!(text.contains("/openapi.json"), "the browser shows Roster's document: {text}");
            }
        }
    }

    // ---- sweeping checks ----

    async fn every_documented_update_field_refuses_a_wrong_json_type_by_name(app) {
        let id = ada(&app).await;
        let (_, before) = app.get(&format!("/v2/user/{id}")).await;
        let document = openapi(&app).await;
        let properties = component(&document, "UserUpdateBody")["properties"].as_object().expect("properties").clone();
        assert_eq!(properties.len(), UPDATE_FIELDS.len());
        let candidates = [json!({}), json!([]), json!(42), json!(1.5), json!(true), json!("text")];
        for (field, schema) in &properties {
            let allowed = json_types(schema, &document);
            assert!(!allowed.is_empty(), "{field}: no type in {schema}");
            let mut tried = 0;
            for value in candidates.iter().filter(|value| !allowed.contains(json_type(value))) {
                tried += 1;
                let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({field.as_str(): value})).await;
                assert_invalid(status, &body, &[field.as_str()]);
                let message = body["errors"][0]["msg"].as_str().unwrap_or_default();
                assert!(!message.contains("not a known field"), "{field} = {value}: {body}");
            }
            assert!(tried >= 3, "{field}: {allowed:?}");
        }
        let (_, after) = app.get(&format!("/v2/user/{id}")).await;
        assert_eq!(after, before, "nothing was written");
    }

    async fn every_documented_update_field_is_known_to_the_reader(app) {
        let id = ada(&app).await;
        let document = openapi(&app).await;
        let properties = component(&document, "UserUpdateBody")["properties"].as_object().expect("properties").clone();
        let samples = [json!({}), json!([]), json!(true), json!("text")];
        for (field, schema) in &properties {
            let allowed = json_types(schema, &document);
            for value in samples.iter().filter(|value| allowed.contains(json_type(value))) {
                let (status, body) = app.patch(&format!("/v2/user/{id}"), json!({field.as_str(): value})).await;
                if status == StatusCode::OK {
                    continue;
                }
                assert_eq!(status, StatusCode::BAD_REQUEST, "{field} = {value}: {body}");
                for param in error_params(&body) {
                    assert!(param.starts_with(field.as_str()), "{field} = {value}: {body}");
                }
                assert!(!body.to_string().contains("not a known field"), "{field} = {value}: {body}");
            }
        }
    }

    async fn hostile_bodies_never_cause_a_server_error(app) {
        let user = ada(&app).await;
        let text_field = app.custom_field("Nickname", "text", &[]).await;
        let number_field = app.custom_field("Floor", "number", &[]).await;
        let bodies = hostile_bodies(&text_field, &number_field, &user);
        assert!(bodies.len() >= 36, "a few dozen: {}", bodies.len());
        let endpoints = [(Method::PATCH, format!("/v2/user/{user}")), (Method::POST, "/v2/add-user".to_owned()),
            (Method::POST, "/v2/users".to_owned())];
        let mut failures = Vec::new();
        for body in &bodies {
            for (method, path) in &endpoints {
                let response = app.request(method.clone(), path).header("content-type", "application/json")
                    .body(body.clone()).send().await.expect("send");
                let status = response.status();
                let text = response.text().await.expect("body");
                if status.is_server_error() {
                    let shown: String = body.chars().take(160).collect();
                    failures.push(format!("{method} {path} {shown:?} ({} bytes) → {status}: {text}", body.len()));
                } else if !text.is_empty() {
                    assert!(serde_json::from_str::<Value>(&text).is_ok(), "{method} {path}: not JSON: {text}");
                }
            }
        }
        assert!(failures.is_empty(), "{} server errors:\n{}", failures.len(), failures.join("\n"));
        let (status, _) = app.get(&format!("/v2/user/{user}")).await;
        assert_eq!(status, StatusCode::OK, "the server still answers");
        let (status, page) = app.post("/v2/users", json!({})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
}
