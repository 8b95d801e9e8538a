//! Two independent SCIM 2.0 conformance tools against Roster's `/scim/v2`: scim2-tester (through
//! scim2-cli) and scim-sanity, from PyPI at pinned versions, run by `compat/scim/run`. Both create,
//! change and delete Users and Groups in the tenant; `compat/scim/CHECKS.md` says what each checks.
//!
//! Without python3 >= 3.11 (with venv) or a way to install the pinned packages the tools cannot
//! run; that is a loud skip, except under `CI=true`, where it is a failure.

use std::time::Duration;

use crate::compat::run_compat_suite;
use crate::on_both_backends;

/// Generous: the first run also makes the virtualenv and installs the tools, and the script gives
/// each of its two tools up to 480 s; past that it reports which one timed out, which this leaves
/// room to show.
const TOOLS_TIMEOUT: Duration = Duration::from_secs(1200);

on_both_backends! {
    async fn the_scim_conformance_tools_pass_every_check(app) {
        let base = format!("{}/scim/v2", app.base);
        let args = [base.as_str(), app.key.as_str()];
        run_compat_suite("scim", &args, "The SCIM conformance tools", TOOLS_TIMEOUT).await;
    }
}
