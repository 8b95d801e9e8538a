//! The OpenAPI document's frame: title, security schemes, tags. The paths come from the route code.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
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
        (name = "user groups", description = "Groups of users that share roles; every tenant has the system groups Everyone and Service Accounts"),
        (name = "roles", description = "Named sets of permissions, held by users directly and by user groups; the permission catalogue"),
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
        (name = "wavefront users", description = "The Wavefront (VMware Aria Operations for Applications) user API at `/api/v2/user`: users are named by their email; `groups` are the permissions granted directly. Unknown fields are ignored; errors are `{\"status\":{\"result\":\"ERROR\",\"message\",\"code\"}}`."),
        (name = "wavefront user groups", description = "Wavefront's user groups at `/api/v2/usergroup`, answered in a `ResponseContainer`. Every tenant has the system groups `Everyone` (every user) and `Service Accounts` (every service account), whose members follow from the users."),
        (name = "bluexp users", description = "The NetApp BlueXP (Cloud Manager) users API at `/occm/api/users`: `Authorization: Bearer KEY` (an `x-agent-id` header is accepted and ignored). Users are named by their `publicId`; `firstName`/`lastName` are the given and family names, and writing them sets the display name. Unknown fields are ignored; errors are `{\"message\"}`."),
        (name = "wavefront roles", description = "Wavefront's roles at `/api/v2/role`, answered in a `ResponseContainer`: named sets of permissions held by users and groups."),
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
        components.add_security_scheme(
            "wavefront_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-AUTH-TOKEN",
                "The Wavefront dialect's header (the generated clients' `api_key`): the same API \
                 key, bare or as `Bearer KEY`.",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("`Authorization: Bearer KEY`, with the same API key."))
                    .build(),
            ),
        );
    }
}
