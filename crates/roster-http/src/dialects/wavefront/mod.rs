//! The Wavefront dialect (VMware Aria Operations for Applications) at `/api/v2`: the user API (the
//! seed's `PUT /api/v2/user/{id}`), user groups and roles, answered so that the generated clients
//! (`wavefront-api-client` on PyPI) work unchanged. Wire details: seed-apis.md §3.

mod error;
mod extract;
mod models;
mod roles;
mod user_groups;
mod users;

use roster_core::model::User;
use roster_core::values::{Email, Permission};
use roster_core::{DomainError, Reader};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
pub use error::WavefrontError;
use error::WavefrontResult;

/// Every route starts with this; unknown routes under it answer in Wavefront's envelope.
pub const PREFIX: &str = "/api/v2/";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(users::create_user, users::get_all_users))
        .routes(routes!(
            users::get_user,
            users::update_user,
            users::delete_user
        ))
        .routes(routes!(users::get_user_business_functions))
        .routes(routes!(users::invite_users))
        .routes(routes!(users::delete_users))
        .routes(routes!(users::validate_users))
        .routes(routes!(users::grant_user_permission))
        .routes(routes!(users::revoke_user_permission))
        .routes(routes!(users::grant_permission_to_users))
        .routes(routes!(users::revoke_permission_from_users))
        .routes(routes!(users::add_user_to_user_groups))
        .routes(routes!(users::remove_user_from_user_groups))
        .routes(routes!(
            user_groups::get_all_user_groups,
            user_groups::create_user_group
        ))
        .routes(routes!(
            user_groups::get_user_group,
            user_groups::update_user_group,
            user_groups::delete_user_group
        ))
        .routes(routes!(user_groups::add_users_to_user_group))
        .routes(routes!(user_groups::remove_users_from_user_group))
        .routes(routes!(user_groups::add_roles_to_user_group))
        .routes(routes!(user_groups::remove_roles_from_user_group))
        .routes(routes!(roles::get_all_roles, roles::create_role))
        .routes(routes!(
            roles::get_role,
            roles::update_role,
            roles::delete_role
        ))
        .routes(routes!(roles::add_assignees))
        .routes(routes!(roles::remove_assignees))
        .routes(routes!(roles::grant_permission_to_roles))
        .routes(routes!(roles::revoke_permission_from_roles))
}

/// A permission name; the error names the value, then lists the catalogue.
fn permission(text: &str) -> Result<Permission, String> {
    Permission::parse(text).map_err(|allowed| format!("{text:?} is not a permission; {allowed}"))
}

/// The users these emails name, in the same order; any unknown one is a 400 naming them all (a
/// body that names users is bad input when they do not exist, unlike a path).
async fn users_by_email(
    state: &AppState,
    reader: &Reader<'_>,
    emails: &[Email],
) -> WavefrontResult<Vec<User>> {
    let wanted = emails
        .iter()
        .map(|email| email.as_str().to_owned())
        .collect();
    let found = state.directory.users_by_emails(reader, wanted).await?;
    let mut users = Vec::with_capacity(emails.len());
    let mut unknown = Vec::new();
    for email in emails {
        match found
            .iter()
            .find(|user| user.email.normalized() == email.normalized())
        {
            Some(user) => users.push(user.clone()),
            None => unknown.push(email.to_string()),
        }
    }
    if !unknown.is_empty() {
        let reason = format!("no user with these emails exists: {}", unknown.join(", "));
        return Err(DomainError::invalid("body", reason).into());
    }
    Ok(users)
}
