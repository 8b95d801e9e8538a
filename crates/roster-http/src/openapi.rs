//! The OpenAPI document's frame: title, security schemes, tags. The paths come from the route code.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Roster",
        description = "A self-hosted user directory and SaaS access-management server. One directory, \
                       served through several wire-compatible APIs. This document describes them all; \
                       the native API follows Zluri's `/v2` conventions.",
    ),
    modifiers(&SecuritySchemes),
    tags(
        (name = "users", description = "People and accounts in the directory (native API)"),
        (name = "departments", description = "Departments users belong to"),
        (name = "custom fields", description = "Custom field definitions and their types"),
        (name = "integrations", description = "The organisation's integrations (users' primary sources)"),
        (name = "applications", description = "The SaaS applications (and websites, devices, …) the organisation uses"),
        (name = "licenses", description = "Licenses of an application: seats, cost per seat and month, currency"),
        (name = "application users", description = "Who uses which application, in which role, holding which licenses"),
        (name = "activity", description = "Usage events that keep application users' last use current"),
        (name = "optimization", description = "Seats held by people who left or who do not use them, and reclaiming them"),
        (name = "audit", description = "Who changed what, and when"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "api-key",
                "An API key made with `roster key create`. Read keys may only read.",
            ))),
        );
    }
}
