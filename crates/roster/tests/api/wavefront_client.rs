//! The real Wavefront Python client (`wavefront-api-client` from PyPI) against Roster: the suite in
//! `compat/wavefront` drives every operation of its UserApi, UserGroupApi and RoleApi.
//!
//! Without python3 (with venv) or a way to install the pinned packages the suite cannot run; that
//! is a loud skip, except under `CI=true`, where it is a failure.

use std::io::Write;
use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use tokio::process::Command;

use crate::on_both_backends;
use crate::support::TestApp;

/// The exit status of `compat/wavefront/run` when the suite cannot run here (see the script).
const SUITE_UNAVAILABLE: i32 = 3;

/// Generous: the first run also makes the virtualenv and installs the client.
const SUITE_TIMEOUT: Duration = Duration::from_secs(600);

/// The tenant `TestApp` makes is named "Acme"; Wavefront calls its slug the customer.
const CUSTOMER: &str = "acme";

on_both_backends! {
    async fn the_wavefront_python_client_passes_the_compat_suite(app) {
        run_suite(&app).await;
    }
}

async fn run_suite(app: &TestApp) {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../compat/wavefront/run");
    let suite = Command::new(&script)
        .args([app.base.as_str(), app.key.as_str(), CUSTOMER])
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(SUITE_TIMEOUT, suite)
        .await
        .unwrap_or_else(|_| panic!("{} took longer than {SUITE_TIMEOUT:?}", script.display()))
        .unwrap_or_else(|error| panic!("cannot start {}: {error}", script.display()));
    if output.status.code() == Some(SUITE_UNAVAILABLE) && !in_ci() {
        // Straight to the process's stderr: the harness would hide eprintln! of a passing test.
        let _ = writeln!(
            std::io::stderr(),
            "\n=== The Wavefront client compatibility suite was SKIPPED: {} ===\n",
            reason(&output)
        );
        return;
    }
    assert!(
        output.status.success(),
        "the Wavefront client suite failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

/// The script's last line of error output, which says why it could not run.
fn reason(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()
        .unwrap_or("no reason given")
        .to_owned()
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true")
}
