//! The BlueXP dialect (NetApp Cloud Manager / Console) at `/occm/api`: the users API of the seed's
//! `PUT /users/{userId}` (seed-apis.md §2), on the same directory the other dialects see.

mod error;
mod extract;
mod model;
mod requests;
mod users;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
pub use error::BlueXpError;

/// Every route starts with this; unknown routes under it answer in BlueXP's error body.
pub const PREFIX: &str = "/occm/api/";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::add_user))
        .routes(routes!(users::remove_user))
        .routes(routes!(users::current_user))
        .routes(routes!(
            users::get_user,
            users::update_user,
            users::delete_user
        ))
        .routes(routes!(users::grant_revoke_working_environments))
        .routes(routes!(users::reset_password))
}
