//! The `roster` command line, run as a real process: tenants, API keys, migrations, serving,
//! clean shutdown on SIGTERM, and durability of acknowledged writes across a crash.

use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

fn roster(database: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(args)
        .env("ROSTER_DATABASE_URL", database)
        .output()
        .expect("run roster")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "roster failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A tenant made with the CLI and a key's secret (the last line of `key create`).
fn tenant_and_key(database: &str, scope: &str) -> (String, String) {
    let created = stdout(&roster(database, &["tenant", "create", "Acme Corp"]));
    let slug = created
        .lines()
        .find_map(|line| line.strip_prefix("slug:"))
        .expect("slug line")
        .trim()
        .to_owned();
    let key = stdout(&roster(
        database,
        &[
            "key", "create", "--tenant", &slug, "--name", "ci", "--scope", scope,
        ],
    ));
    (
        slug,
        key.lines().last().expect("secret line").trim().to_owned(),
    )
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

/// Starts `roster serve` and waits until it answers.
async fn serve(database: &str) -> (Child, String) {
    let address = format!("127.0.0.1:{}", free_port());
    let child = Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["--database", database, "serve", "--listen", &address])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start roster serve");
    let base = format!("http://{address}");
    let started = Instant::now();
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "roster serve did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (child, base)
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

async fn patch_designation(base: &str, key: &str, id: &str, designation: &str) -> StatusCode {
    reqwest::Client::new()
        .patch(format!("{base}/v2/user/{id}"))
        .header("api-key", key)
        .json(&json!({"user_designation": designation}))
        .send()
        .await
        .expect("send")
        .status()
}

macro_rules! on_both_cli_backends {
    ($(async fn $test:ident($database:ident) $body:block)*) => {$(
        mod $test {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let database = roster_testkit::sqlite();
                let $database = database.url();
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(database) = roster_testkit::postgres() else { return };
                let $database = database.url();
                $body
            }
        }
    )*};
}

on_both_cli_backends! {
    async fn tenant_create_prints_the_id_and_slug(database) {
        let output = stdout(&roster(database, &["tenant", "create", "Acme Corp"]));
        assert!(output.lines().any(|line| line.starts_with("id:") && line.trim().len() == "id:   ".len() + 24), "{output}");
        assert!(output.contains("slug: acme-corp"), "{output}");
        let again = stdout(&roster(database, &["tenant", "create", "Acme Corp"]));
        assert!(again.contains("slug: acme-corp-2"), "slugs stay unique: {again}");
    }

    async fn key_create_prints_the_secret_alone_on_the_last_line_and_stores_only_a_hash(database) {
        let (slug, secret) = tenant_and_key(database, "write");
        assert!(secret.starts_with("rst_") && !secret.contains(' '), "{secret}");
        let listed = stdout(&roster(database, &["key", "list", "--tenant", &slug]));
        assert!(listed.contains("ci") && !listed.contains(&secret), "the list never shows secrets: {listed}");
    }

    async fn key_create_refuses_an_unknown_scope_or_tenant(database) {
        let (slug, _) = tenant_and_key(database, "read");
        assert!(!roster(database, &["key", "create", "--tenant", &slug, "--name", "x", "--scope", "root"]).status.success());
        assert!(!roster(database, &["key", "create", "--tenant", "nobody", "--name", "x"]).status.success());
    }

    async fn migrate_applies_the_schema_and_can_run_again(database) {
        assert!(stdout(&roster(database, &["migrate"])).contains("migration"));
        assert!(stdout(&roster(database, &["migrate"])).contains("migration"));
    }

    async fn a_served_key_works_until_it_is_revoked(database) {
        let (slug, secret) = tenant_and_key(database, "write");
        let (mut server, base) = serve(database).await;
        let users = || reqwest::Client::new().post(format!("{base}/v2/users")).header("api-key", &secret).json(&json!({})).send();
        assert_eq!(users().await.expect("send").status(), StatusCode::OK);
        let listed = stdout(&roster(database, &["key", "list", "--tenant", &slug]));
        let id = listed.lines().nth(1).and_then(|line| line.split_whitespace().next()).expect("key id").to_owned();
        assert!(stdout(&roster(database, &["key", "revoke", &id])).contains("revoked"));
        assert_eq!(users().await.expect("send").status(), StatusCode::UNAUTHORIZED);
        server.kill().expect("kill");
        let _ = server.wait();
    }

    async fn serve_stops_cleanly_on_sigterm(database) {
        tenant_and_key(database, "read");
        let (mut server, _base) = serve(database).await;
        signal(&server, "TERM");
        let started = Instant::now();
        loop {
            if let Some(status) = server.try_wait().expect("wait") {
                assert!(status.success(), "exit status {status}");
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "roster did not stop on SIGTERM");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn an_acknowledged_write_survives_a_crash_of_the_process(database) {
        let (_, secret) = tenant_and_key(database, "write");
        let (mut server, base) = serve(database).await;
        let response = reqwest::Client::new().post(format!("{base}/v2/add-user")).header("api-key", &secret)
            .json(&json!({"user_name": "Ada", "user_email": "ada@example.com"})).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::CREATED);
        let id = response.json::<serde_json::Value>().await.expect("json")["user_id"].as_str().expect("id").to_owned();
        assert_eq!(patch_designation(&base, &secret, &id, "acknowledged").await, StatusCode::OK);
        signal(&server, "KILL");
        let _ = server.wait();
        let (mut server, base) = serve(database).await;
        let user: serde_json::Value = reqwest::Client::new().get(format!("{base}/v2/user/{id}")).header("api-key", &secret)
            .send().await.expect("send").json().await.expect("json");
        assert_eq!(user["user_designation"], "acknowledged");
        server.kill().expect("kill");
        let _ = server.wait();
    }
}

#[test]
fn the_database_flag_overrides_the_environment() {
    let chosen = roster_testkit::sqlite();
    let output = Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["--database", chosen.url(), "tenant", "create", "Flagged"])
        .env("ROSTER_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .expect("run roster");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn an_unsupported_database_url_is_a_clear_error() {
    let output = roster("mysql://localhost/db", &["migrate"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unsupported database URL"));
}
