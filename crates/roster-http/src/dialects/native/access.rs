//! What a user may do: the permission catalogue (`GET /v2/permissions`) and one user's permissions,
//! roles and groups (`GET /v2/user/{userId}/access`).

use axum::extract::State;
use axum::Json;
use roster_core::id::UserId;
use roster_core::model::UserAccess;
use roster_core::values::Permission;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::NativeCaller;
use super::error::{ErrorBody, NativeResult};
use super::extract::{path_id, PathId};
use super::roles::{permission_names, RoleRefView};
use crate::schema::{PermissionSchema, SystemGroupSchema};
use crate::AppState;

/// The permission catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionsView {
    /// Every permission a user, role or group can be given.
    #[schema(value_type = Vec<PermissionSchema>)]
    pub permissions: Vec<&'static str>,
}

/// List every permission name. These are the values `permissions` (roles) and `user_permissions`
/// (users) take; any other name is refused.
#[utoipa::path(get, path = "/v2/permissions", tag = "roles",
    responses((status = 200, body = PermissionsView), (status = 401, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn list_permissions(NativeCaller(_caller): NativeCaller) -> Json<PermissionsView> {
    Json(PermissionsView {
        permissions: permission_names(Permission::ALL.iter()),
    })
}

/// Everything that decides what a user may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserAccessView {
    pub user_id: String,
    /// Granted to the user directly.
    #[schema(value_type = Vec<PermissionSchema>)]
    pub permissions: Vec<&'static str>,
    /// The direct permissions, plus those of the user's roles, plus those of their groups' roles.
    #[schema(value_type = Vec<PermissionSchema>)]
    pub effective_permissions: Vec<&'static str>,
    /// The roles given to the user directly, by name.
    pub roles: Vec<RoleRefView>,
    /// Every group the user is in: system groups first, then by name.
    pub user_groups: Vec<UserGroupMembershipView>,
}

/// A group a user is in.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserGroupMembershipView {
    pub user_group_id: String,
    pub user_group_name: String,
    /// Which system group this is; null for the groups a client made.
    #[schema(value_type = Option<SystemGroupSchema>)]
    pub system: Option<&'static str>,
}

impl From<&UserAccess> for UserAccessView {
    fn from(access: &UserAccess) -> Self {
        Self {
            user_id: access.user.id.to_string(),
            permissions: permission_names(access.user.permissions.iter()),
            effective_permissions: permission_names(access.effective_permissions().iter()),
            roles: access.roles.iter().map(RoleRefView::from).collect(),
            user_groups: access
                .groups
                .iter()
                .map(|detail| UserGroupMembershipView {
                    user_group_id: detail.group.id.to_string(),
                    user_group_name: detail.group.name.to_string(),
                    system: detail.group.system.map(|kind| kind.as_str()),
                })
                .collect(),
        }
    }
}

/// Get what a user may do: direct permissions, roles, groups (system groups included) and the
/// effective permissions they add up to.
#[utoipa::path(get, path = "/v2/user/{userId}/access", tag = "users",
    params(("userId" = String, Path, description = "The user's id (ObjectId)")),
    responses(
        (status = 200, body = UserAccessView),
        (status = 400, description = "`userId` is not an ObjectId", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such user in this tenant", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn user_access(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(user_id): PathId,
) -> NativeResult<Json<UserAccessView>> {
    let id = path_id(&user_id, "userId", UserId::parse)?;
    let access = state.directory.user_access(&caller.reader(), &id).await?;
    Ok(Json(UserAccessView::from(&access)))
}
