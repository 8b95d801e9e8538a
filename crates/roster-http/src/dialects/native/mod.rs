//! The native dialect (Zluri-style `/v2`): `api-key` header, `POST /v2/add-<thing>` creates,
//! `POST /v2/<things>` lists, `GET|PATCH|DELETE /v2/<thing>/{id}`.

mod audit;
mod auth;
mod custom_fields;
mod departments;
pub(crate) mod error;
mod extract;
mod integrations;
mod listing;
mod user_wire;
mod users;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub use error::NativeError;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(users::create_user))
        .routes(routes!(
            users::get_user,
            users::update_user,
            users::delete_user
        ))
        .routes(routes!(users::list_users))
        .routes(routes!(users::user_ids))
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
        .routes(routes!(audit::list_audit))
}
