//! Two independent SCIM 2.0 conformance tools against Roster's `/scim/v2`: scim2-tester (through
//! scim2-cli) and scim-sanity, from PyPI at pinned versions, run by `compat/scim/run`. Both create,
//! change and delete Users and Groups in the tenant; `compat/scim/CHECKS.md` says what each checks.
//!
//! Without python3 >= 3.11 (with venv) or a way to install the pinned packages the tools cannot
//! run; that is a loud skip, except under `CI=true`, where it is a failure.

use std::io::Write;
use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use tokio::process::Command;

use crate::on_both_backends;
use crate::support::TestApp;

/// The exit status of `compat/scim/run` when the tools cannot run here (see the script).
const TOOLS_UNAVAILABLE: i32 = 3;

/// Generous: the first run also makes the virtualenv and installs the tools, and the script gives
/// each of its two tools up to 480 s; past that it reports which one timed out, which this leaves
/// room to show.
const TOOLS_TIMEOUT: Duration = Duration::from_secs(1200);

on_both_backends! {
    async fn the_scim_conformance_tools_pass_every_check(app) {
        run_tools(&app).await;
    }
}

async fn run_tools(app: &TestApp) {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../compat/scim/run");
    let base = format!("{}/scim/v2", app.base);
    let tools = Command::new(&script)
        .args([base.as_str(), app.key.as_str()])
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(TOOLS_TIMEOUT, tools)
        .await
        .unwrap_or_else(|_| panic!("{} took longer than {TOOLS_TIMEOUT:?}", script.display()))
        .unwrap_or_else(|error| panic!("cannot start {}: {error}", script.display()));
    if output.status.code() == Some(TOOLS_UNAVAILABLE) && !in_ci() {
        // Straight to the process's stderr: the harness would hide eprintln! of a passing test.
        let _ = writeln!(
            std::io::stderr(),
            "\n=== The SCIM conformance tools were SKIPPED: {} ===\n",
            reason(&output)
        );
        return;
    }
    assert!(
        output.status.success(),
        "the SCIM conformance tools failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
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
