//! The test harness: a real Roster server on a random port over a fresh database, with API keys
//! for a tenant and for a second tenant, and helpers that speak HTTP like any client.

use std::sync::Arc;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use roster_core::values::{Name, Scope};
use roster_core::Directory;
use roster_store::SqlStore;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub base: String,
    /// A write key of the tenant under test.
    pub key: String,
    /// A read-only key of the same tenant.
    pub read_key: String,
    /// A write key of another tenant, for isolation tests.
    pub other_key: String,
    pub database_url: String,
    /// The slug of the tenant under test.
    pub tenant_slug: String,
    client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    _database: roster_testkit::TestDatabase,
}

impl TestApp {
    /// A fresh server, or `None` when PostgreSQL is wanted but cannot run here (the testkit has
    /// already said loudly that the PostgreSQL half is skipped; under CI it panics instead).
    pub async fn start(backend: Backend) -> Option<TestApp> {
        let database = match backend {
            Backend::Sqlite => roster_testkit::sqlite(),
            Backend::Postgres => roster_testkit::postgres()?,
        };
        let store = SqlStore::open(database.url())
            .await
            .expect("open the test database");
        let directory = Directory::new(Arc::new(store));
        let tenant = directory.create_tenant(name("Acme")).await.expect("tenant");
        let key = |scope| directory.create_api_key(&tenant.slug, name("tests"), scope, None);
        let write = key(Scope::Write).await.expect("write key").secret;
        let read = key(Scope::Read).await.expect("read key").secret;
        let other = directory
            .create_tenant(name("Other"))
            .await
            .expect("other tenant");
        let other_key = directory
            .create_api_key(&other.slug, name("other"), Scope::Write, None)
            .await
            .expect("key")
            .secret;
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(roster_http::serve(listener, directory, async {
            let _ = stopped.await;
        }));
        Some(TestApp {
            base,
            key: write,
            read_key: read,
            other_key,
            database_url: database.url().to_owned(),
            tenant_slug: tenant.slug.clone(),
            client: reqwest::Client::new(),
            shutdown: Some(shutdown),
            _database: database,
        })
    }

    /// A new write key of the tenant that acts for `user` (an id or email), as
    /// `roster key create --user` makes one.
    pub async fn key_for_user(&self, user: &str) -> String {
        let store = SqlStore::open(&self.database_url)
            .await
            .expect("open the test database");
        let directory = Directory::new(Arc::new(store));
        directory
            .create_api_key(&self.tenant_slug, name("bound"), Scope::Write, Some(user))
            .await
            .expect("bound key")
            .secret
    }

    /// A request with the tenant's write key.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .header("api-key", &self.key)
    }

    /// A request without any key.
    pub fn anonymous(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        read(self.request(Method::GET, path).send().await.expect("send")).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        read(
            self.request(Method::DELETE, path)
                .send()
                .await
                .expect("send"),
        )
        .await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        read(
            self.request(Method::POST, path)
                .json(&body)
                .send()
                .await
                .expect("send"),
        )
        .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        read(
            self.request(Method::PATCH, path)
                .json(&body)
                .send()
                .await
                .expect("send"),
        )
        .await
    }

    /// A request with the given key and an optional JSON body.
    pub async fn send_with_key(
        &self,
        key: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.anonymous(method, path).header("api-key", key);
        if let Some(body) = body {
            request = request.json(&body);
        }
        read(request.send().await.expect("send")).await
    }

    /// Creates a user and returns its id.
    pub async fn user(&self, email: &str, user_name: &str) -> String {
        let (status, body) = self
            .post(
                "/v2/add-user",
                json!({"user_name": user_name, "user_email": email}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "create user: {body}");
        id_of(&body, "user_id")
    }

    pub async fn department(&self, department_name: &str) -> String {
        let (status, body) = self
            .post(
                "/v2/add-department",
                json!({"department_name": department_name}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "create department: {body}");
        id_of(&body, "department_id")
    }

    /// Creates a user custom field; `options` only for select fields.
    pub async fn custom_field(
        &self,
        field_name: &str,
        field_type: &str,
        options: &[&str],
    ) -> String {
        let mut body =
            json!({"field_name": field_name, "field_type": field_type, "entity": "user"});
        if !options.is_empty() {
            body["field_options"] = json!(options);
        }
        let (status, body) = self.post("/v2/add-custom-field", body).await;
        assert_eq!(status, StatusCode::CREATED, "create custom field: {body}");
        id_of(&body, "field_id")
    }

    /// A user body setting every optional seed field (all but name and email) to a value other
    /// than its default, creating the department, integration and custom field it refers to.
    pub async fn every_optional_user_field(&self, manager: &str) -> Value {
        let department = self.department("Engineering").await;
        let (integration, catalogue_id) = self.integration("okta").await;
        let field = self
            .custom_field("Location", "select", &["India", "France"])
            .await;
        json!({
            "user_personal_email": "ada@home.example.org",
            "user_department_id": department,
            "user_status": "suspended",
            "reporting_manager_id": manager,
            "user_designation": "Countess",
            "user_account_type": "external",
            "user_archive": true,
            "optimization_inclusion": "exclude for unused",
            "primary_source": {"keyword": "okta", "org_integration_id": integration, "integration_id": catalogue_id},
            "user_custom_fields": [{"field_id": field, "field_value": "France"}],
        })
    }

    /// Creates an application and returns its id.
    pub async fn application(&self, app_name: &str) -> String {
        let (status, body) = self
            .post("/v2/add-application", json!({"app_name": app_name}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "create application: {body}");
        id_of(&body, "app_id")
    }

    /// Adds a license to an application and returns its id; `seats: None` is unlimited.
    pub async fn license(
        &self,
        app_id: &str,
        license_name: &str,
        seats: Option<u64>,
        cost_per_seat: f64,
        currency: &str,
    ) -> String {
        let (status, body) = self
            .post(
                &format!("/v2/application/{app_id}/add-license"),
                json!({"license_name": license_name, "license_seats": seats,
                       "license_cost_per_seat": cost_per_seat, "license_currency": currency}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "create license: {body}");
        id_of(&body, "license_id")
    }

    /// Makes the user with this email a user of the application, with extra body fields
    /// (`user_app_role`, `assign_licenses`, …); returns the application user.
    pub async fn app_user(&self, app_id: &str, email: &str, extra: Value) -> Value {
        let mut body = json!({"user_email": email});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let (status, body) = self
            .post(&format!("/v2/application/{app_id}/add-user"), body)
            .await;
        assert_eq!(status, StatusCode::CREATED, "add application user: {body}");
        body
    }

    /// Creates an integration and returns `(org_integration_id, integration_id)`.
    pub async fn integration(&self, keyword: &str) -> (String, String) {
        let integration_id = "5f1d7a2b9c8e4d3f2a1b0c9d";
        let (status, body) = self
            .post(
                "/v2/add-integration",
                json!({"keyword": keyword, "integration_id": integration_id, "integration_name": keyword}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "create integration: {body}");
        (
            id_of(&body, "org_integration_id"),
            integration_id.to_owned(),
        )
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// A request of the other tenant, with its write key.
pub async fn as_other(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    app.send_with_key(&app.other_key, method, path, body).await
}

/// A request with the tenant's read-only key.
pub async fn as_reader(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    app.send_with_key(&app.read_key, method, path, body).await
}

pub fn name(text: &str) -> Name {
    Name::parse(text).expect("a valid name")
}

pub fn id_of(body: &Value, field: &str) -> String {
    body[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {body}"))
        .to_owned()
}

/// The status and JSON body of a response (`null` for an empty body).
pub async fn read(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"))
    };
    (status, body)
}

/// The `param`s a native error body names.
pub fn error_params(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("not an error body: {body}"))
        .iter()
        .filter_map(|error| error["param"].as_str().map(str::to_owned))
        .collect()
}

/// Asserts a 400 whose errors name exactly these params (in any order).
#[track_caller]
pub fn assert_invalid(status: StatusCode, body: &Value, params: &[&str]) {
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "expected 400, got {status}: {body}"
    );
    let mut named = error_params(body);
    named.sort();
    let mut expected: Vec<String> = params.iter().map(|p| p.to_string()).collect();
    expected.sort();
    assert_eq!(named, expected, "errors: {body}");
}

/// Runs each test body against SQLite and against PostgreSQL: `<test>::sqlite` and
/// `<test>::postgres`. The body sees the running server as `$app`.
#[macro_export]
macro_rules! on_both_backends {
    ($(async fn $test:ident($app:ident) $body:block)*) => {$(
        mod $test {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = $crate::support::TestApp::start($crate::support::Backend::Sqlite)
                    .await
                    .expect("SQLite is always available");
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) = $crate::support::TestApp::start($crate::support::Backend::Postgres).await else {
                    return;
                };
                $body
            }
        }
    )*};
}
