//! The native dialect (Zluri-style `/v2`): `api-key` header, `POST /v2/add-<thing>` creates,
//! `POST /v2/<things>` lists, `GET|PATCH|DELETE /v2/<thing>/{id}`.

mod access;
mod activity;
mod app_users;
mod applications;
mod audit;
mod auth;
mod custom_fields;
mod departments;
pub(crate) mod error;
mod extract;
mod filters;
mod integrations;
mod licenses;
mod listing;
mod optimization;
mod roles;
mod user_groups;
mod user_wire;
mod users;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub use error::NativeError;

/// A 201 response with the new resource's path in `Location`.
fn created(mut response: axum::response::Response, path: &str) -> axum::response::Response {
    if let Ok(location) = path.parse() {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, location);
    }
    response
}

/// Every native route. Each area's routes are built in a function of their own: in unoptimised
/// builds one function holding every `routes!` expansion needs a stack frame larger than a
/// worker thread's 2 MiB stack.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(user_routes())
        .merge(access_routes())
        .merge(catalog_routes())
        .merge(application_routes())
        .merge(usage_routes())
        .routes(routes!(audit::list_audit))
}

fn user_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(users::create_user))
        .routes(routes!(
            users::get_user,
            users::update_user,
            users::delete_user
        ))
        .routes(routes!(users::list_users))
        .routes(routes!(users::user_ids))
        .routes(routes!(access::user_access))
}

/// User groups, roles and the permission catalogue.
fn access_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(access::list_permissions))
        .routes(routes!(user_groups::create_user_group))
        .routes(routes!(user_groups::list_user_groups))
        .routes(routes!(
            user_groups::get_user_group,
            user_groups::update_user_group,
            user_groups::delete_user_group
        ))
        .routes(routes!(user_groups::add_users))
        .routes(routes!(user_groups::remove_users))
        .routes(routes!(roles::create_role))
        .routes(routes!(roles::list_roles))
        .routes(routes!(
            roles::get_role,
            roles::update_role,
            roles::delete_role
        ))
        .routes(routes!(roles::add_assignees))
        .routes(routes!(roles::remove_assignees))
}

/// What users refer to: departments, custom fields, integrations.
fn catalog_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(departments::create_department))
        .routes(routes!(departments::list_departments))
        .routes(routes!(
            departments::get_department,
            departments::update_department,
            departments::delete_department
        ))
        .routes(routes!(custom_fields::create_custom_field))
        .routes(routes!(custom_fields::list_custom_fields))
        .routes(routes!(
            custom_fields::get_custom_field,
            custom_fields::update_custom_field,
            custom_fields::delete_custom_field
        ))
        .routes(routes!(integrations::create_integration))
        .routes(routes!(integrations::list_integrations))
        .routes(routes!(
            integrations::get_integration,
            integrations::update_integration,
            integrations::delete_integration
        ))
}

/// Applications, their licenses and their users.
fn application_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(applications::create_application))
        .routes(routes!(applications::list_applications))
        .routes(routes!(
            applications::get_application,
            applications::update_application,
            applications::delete_application
        ))
        .routes(routes!(licenses::create_license))
        .routes(routes!(licenses::list_licenses))
        .routes(routes!(
            licenses::get_license,
            licenses::update_license,
            licenses::delete_license
        ))
        .routes(routes!(app_users::add_app_user))
        .routes(routes!(app_users::get_app_user, app_users::update_app_user))
        .routes(routes!(app_users::list_app_users))
        .routes(routes!(app_users::list_user_apps))
}

/// Usage events and the optimization they feed.
fn usage_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(
            // A batch of 10,000 events is larger than the 1 MiB other bodies are held to.
            OpenApiRouter::new()
                .routes(routes!(activity::record_activity))
                .layer(DefaultBodyLimit::max(activity::MAX_BODY_BYTES)),
        )
        .routes(routes!(optimization::summary))
        .routes(routes!(optimization::candidates))
        .routes(routes!(optimization::reclaim))
}
