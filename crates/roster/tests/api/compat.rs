//! Running a compatibility suite of `compat/` (a script around pinned PyPI packages) against a
//! test server. Exit status 3 means the suite cannot run here (no python3 with venv, no PyPI):
//! a loud skip, except under `CI=true`, where it is a failure, like any other non-zero status.

use std::io::Write;
use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use tokio::process::Command;

/// The exit status of every `compat/*/run` when its suite cannot run here.
const SUITE_UNAVAILABLE: i32 = 3;

/// Runs `compat/{suite}/run` with `args`; `what` names the suite in messages.
pub async fn run_compat_suite(suite: &str, args: &[&str], what: &str, timeout: Duration) {
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../compat/{suite}/run"));
    let run = Command::new(&script).args(args).kill_on_drop(true).output();
    let output = tokio::time::timeout(timeout, run)
        .await
        .unwrap_or_else(|_| panic!("{} took longer than {timeout:?}", script.display()))
        .unwrap_or_else(|error| panic!("cannot start {}: {error}", script.display()));
    if output.status.code() == Some(SUITE_UNAVAILABLE) && !in_ci() {
        // Straight to the process's stderr: the harness would hide eprintln! of a passing test.
        let _ = writeln!(
            std::io::stderr(),
            "\n=== {what} was SKIPPED: {} ===\n",
            reason(&output)
        );
        return;
    }
    assert!(
        output.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
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
