//! The real Wavefront Python client (`wavefront-api-client` from PyPI) against Roster: the suite in
//! `compat/wavefront` drives every operation of its UserApi, UserGroupApi and RoleApi.
//!
//! Without python3 (with venv) or a way to install the pinned packages the suite cannot run; that
//! is a loud skip, except under `CI=true`, where it is a failure.

use std::time::Duration;

use crate::compat::run_compat_suite;
use crate::on_both_backends;

/// Generous: the first run also makes the virtualenv and installs the client.
const SUITE_TIMEOUT: Duration = Duration::from_secs(600);

/// The tenant `TestApp` makes is named "Acme"; Wavefront calls its slug the customer.
const CUSTOMER: &str = "acme";

on_both_backends! {
    async fn the_wavefront_python_client_passes_the_compat_suite(app) {
        let args = [app.base.as_str(), app.key.as_str(), CUSTOMER];
        run_compat_suite("wavefront", &args, "The Wavefront client compatibility suite", SUITE_TIMEOUT).await;
    }
}
