//! The SCIM 2.0 service provider at `/scim/v2` (RFC 7643, RFC 7644), so that identity providers
//! provision users and groups into the one directory every other dialect sees. The protocol rules
//! (filters, PATCH, projection, sorting, error bodies) come from the `roster-scim` crate; this
//! folder maps Roster's users and user groups to SCIM resources and back.

mod bulk;
mod custom_fields;
mod discovery;
mod error;
mod extract;
mod group_resource;
mod groups;
mod listing;
mod narrowing;
mod resource;
mod response;
mod schemas;
mod user_resource;
mod users;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
pub use error::ScimFailure;

/// Where SCIM is served; `meta.location` and `$ref` values are built on it.
pub const BASE_PATH: &str = "/scim/v2";
/// Every route starts with this; unknown routes under it answer in SCIM's error body.
pub const PREFIX: &str = "/scim/v2/";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(discovery::service_provider_config))
        .routes(routes!(discovery::resource_types))
        .routes(routes!(discovery::resource_type))
        .routes(routes!(discovery::schemas))
        .routes(routes!(discovery::schema))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::search_users))
        .routes(routes!(
            users::get_user,
            users::replace_user,
            users::patch_user,
            users::delete_user
        ))
        .routes(routes!(groups::list_groups, groups::create_group))
        .routes(routes!(groups::search_groups))
        .routes(routes!(
            groups::get_group,
            groups::replace_group,
            groups::patch_group,
            groups::delete_group
        ))
        .routes(routes!(listing::search_all))
        .routes(routes!(bulk::bulk))
}
