//! `/v2` role endpoints: create, list, read, update, delete, and giving a role to users and
//! groups or taking it from them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use roster_core::command::{NewRole, RoleHolders, RoleUpdate};
use roster_core::directory::AccessFieldNames;
use roster_core::id::{RoleId, UserGroupId, UserId};
use roster_core::model::{Role, RoleDetail};
use roster_core::values::{Name, Permission};
use roster_core::FieldErrors;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::NativeCaller;
use super::created;
use super::error::{ErrorBody, NativeError, NativeResult};
use super::extract::{parse_path_id, path_id, NativeJson, PathId};
use super::listing::{read_simple_list, ListBody, ListPage};
use super::user_wire::{replace_set, set_of};
use crate::json_fields::{any_text, JsonFields};
use crate::schema::PermissionSchema;
use crate::AppState;

const FIELD_NAMES: AccessFieldNames = AccessFieldNames {
    name: "role_name",
    description: "role_description",
    roles: "role_ids",
    members: "user_ids",
    groups: "user_group_ids",
};

/// A role as the native API answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleView {
    pub role_id: String,
    pub role_name: String,
    pub role_description: Option<String>,
    #[schema(value_type = Vec<PermissionSchema>)]
    pub permissions: Vec<&'static str>,
    /// How many users hold the role directly (not through a group).
    pub user_count: u64,
    /// How many user groups hold the role.
    pub user_group_count: u64,
    /// The first users holding the role directly, by email (at most 10).
    pub sample_user_emails: Vec<String>,
    /// The first groups holding the role, by name (at most 10).
    pub sample_user_groups: Vec<UserGroupRefView>,
    /// The name of the API key that changed the role last.
    pub updated_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows with every change.
    pub version: i64,
}

/// A user group named by a role.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserGroupRefView {
    pub user_group_id: String,
    pub user_group_name: String,
}

/// A role as a user or group lists it: what it grants.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleRefView {
    pub role_id: String,
    pub role_name: String,
    #[schema(value_type = Vec<PermissionSchema>)]
    pub permissions: Vec<&'static str>,
}

impl From<&Role> for RoleRefView {
    fn from(role: &Role) -> Self {
        Self {
            role_id: role.id.to_string(),
            role_name: role.name.to_string(),
            permissions: permission_names(role.permissions.iter()),
        }
    }
}

pub fn permission_names<'a>(
    permissions: impl Iterator<Item = &'a Permission>,
) -> Vec<&'static str> {
    permissions.map(|permission| permission.as_str()).collect()
}

impl From<&RoleDetail> for RoleView {
    fn from(detail: &RoleDetail) -> Self {
        let role = &detail.role;
        let links = &detail.links;
        Self {
            role_id: role.id.to_string(),
            role_name: role.name.to_string(),
            role_description: role.description.clone(),
            permissions: permission_names(role.permissions.iter()),
            user_count: links.account_count,
            user_group_count: links.group_count,
            sample_user_emails: links
                .sample_accounts
                .iter()
                .map(ToString::to_string)
                .collect(),
            sample_user_groups: links
                .sample_groups
                .iter()
                .map(|group| UserGroupRefView {
                    user_group_id: group.id.to_string(),
                    user_group_name: group.name.to_string(),
                })
                .collect(),
            updated_by: role.updated_by.clone(),
            created_at: role.created_at,
            updated_at: role.updated_at,
            version: role.version,
        }
    }
}

/// The fields create and update share.
fn read_common(fields: &mut JsonFields<'_>) -> RoleUpdate {
    RoleUpdate {
        name: None,
        description: fields.patch("role_description", any_text),
        permissions: replace_set(fields, "permissions", Permission::parse),
    }
}

/// Create a role.
///
/// `role_name` is required and unique in the tenant regardless of case (409). `permissions` are
/// names from `GET /v2/permissions`; an unknown name is refused (400, listing the allowed ones).
/// Audited (`role.create`).
#[utoipa::path(post, path = "/v2/add-role", tag = "roles", request_body = RoleCreateBody,
    responses(
        (status = 201, description = "The new role", body = RoleView, headers(("Location" = String))),
        (status = 400, description = "Invalid fields, all listed", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn create_role(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Response> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let mut new = None;
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        let name = fields.required("role_name", Name::parse);
        let rest = read_common(&mut fields);
        fields.deny_unknown();
        new = name.map(|name| NewRole {
            name,
            description: rest.description.into_set(),
            permissions: rest.permissions.apply_to(Default::default()),
        });
    }
    errors.into_result()?;
    let new = new.ok_or_else(|| NativeError::from(FieldErrors::new()))?;
    let role = state
        .directory
        .create_role(&writer, new, &FIELD_NAMES)
        .await?;
    Ok(created(
        (StatusCode::CREATED, Json(RoleView::from(&role))).into_response(),
        &format!("/v2/role/{}", role.role.id),
    ))
}

/// List roles, by name.
///
/// `search_query` matches names (case-insensitively); `filter_by` and `sort_by` are not taken.
#[utoipa::path(post, path = "/v2/roles", tag = "roles", request_body = ListBody,
    responses(
        (status = 200, description = "One page of roles", body = ListPage<RoleView>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn list_roles(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ListPage<RoleView>>> {
    let mut errors = FieldErrors::new();
    let (search, page) = read_simple_list(body, &mut errors);
    errors.into_result()?;
    let slice = state
        .directory
        .list_roles(&caller.reader(), search.as_deref(), page.into())
        .await?;
    Ok(Json(ListPage::from_slice(slice, page, |role| {
        RoleView::from(role)
    })))
}

/// Get a role.
#[utoipa::path(get, path = "/v2/role/{roleId}", tag = "roles",
    params(("roleId" = String, Path, description = "The role's id (ObjectId)")),
    responses(
        (status = 200, body = RoleView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn get_role(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(role_id): PathId,
) -> NativeResult<Json<RoleView>> {
    let id = path_id(&role_id, "roleId", RoleId::parse)?;
    let role = state.directory.role(&caller.reader(), &id).await?;
    Ok(Json(RoleView::from(&role)))
}

/// Update a role (partial).
///
/// Only the fields present change; `null` clears the description; `permissions` replaces the
/// whole set. Every user and group holding the role gains or loses what changed. Unknown fields are
/// refused; every failing field is reported at once. Audited (`role.update`).
#[utoipa::path(patch, path = "/v2/role/{roleId}", tag = "roles",
    params(("roleId" = String, Path, description = "The role's id (ObjectId)")),
    request_body = RoleUpdateBody,
    responses(
        (status = 200, description = "The whole updated role", body = RoleView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "The name is taken", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn update_role(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(role_id): PathId,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<RoleView>> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let id = parse_path_id(&role_id, "roleId", RoleId::parse, &mut errors);
    let mut update = RoleUpdate::default();
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        update = read_common(&mut fields);
        update.name = fields.set("role_name", Name::parse);
        fields.deny_unknown();
    }
    errors.into_result()?;
    let id = id.ok_or_else(|| NativeError::from(FieldErrors::new()))?;
    let role = state
        .directory
        .update_role(&writer, &id, update, &FIELD_NAMES)
        .await?;
    Ok(Json(RoleView::from(&role)))
}

/// Delete a role; the users and groups holding it lose it. Audited (`role.delete`).
#[utoipa::path(delete, path = "/v2/role/{roleId}", tag = "roles",
    params(("roleId" = String, Path, description = "The role's id (ObjectId)")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn delete_role(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(role_id): PathId,
) -> NativeResult<StatusCode> {
    let writer = caller.writer()?;
    let id = path_id(&role_id, "roleId", RoleId::parse)?;
    state.directory.delete_role(&writer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Give the role to users (directly) and to user groups (system groups too).
///
/// Every id must be a user or group of this tenant (400 naming `user_ids` or `user_group_ids`,
/// and nothing is written). Holders that already have the role are left as they are. Each user
/// and group changed is audited (`user.update`, `user_group.update`).
#[utoipa::path(post, path = "/v2/role/{roleId}/add-assignees", tag = "roles",
    params(("roleId" = String, Path, description = "The role's id (ObjectId)")),
    request_body = AssigneesBody,
    responses(
        (status = 200, description = "The role with its holders", body = RoleView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn add_assignees(
    state: State<AppState>,
    caller: NativeCaller,
    path: PathId,
    body: NativeJson,
) -> NativeResult<Json<RoleView>> {
    change_assignees(state, caller, path, body, true).await
}

/// Take the role from users (their direct grant) and from user groups.
///
/// Every id must be a user or group of this tenant (400 naming `user_ids` or `user_group_ids`,
/// and nothing is written). Holders without the role are left as they are. Each user and group
/// changed is audited.
#[utoipa::path(post, path = "/v2/role/{roleId}/remove-assignees", tag = "roles",
    params(("roleId" = String, Path, description = "The role's id (ObjectId)")),
    request_body = AssigneesBody,
    responses(
        (status = 200, description = "The role with its holders", body = RoleView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn remove_assignees(
    state: State<AppState>,
    caller: NativeCaller,
    path: PathId,
    body: NativeJson,
) -> NativeResult<Json<RoleView>> {
    change_assignees(state, caller, path, body, false).await
}

async fn change_assignees(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(role_id): PathId,
    NativeJson(body): NativeJson,
    grant: bool,
) -> NativeResult<Json<RoleView>> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let id = parse_path_id(&role_id, "roleId", RoleId::parse, &mut errors);
    let mut holders = RoleHolders::default();
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        if !fields.has("user_ids") && !fields.has("user_group_ids") {
            fields.error("user_ids", "give user_ids, user_group_ids or both");
        }
        holders.users = set_of(&mut fields, "user_ids", UserId::parse).unwrap_or_default();
        holders.groups =
            set_of(&mut fields, "user_group_ids", UserGroupId::parse).unwrap_or_default();
        fields.deny_unknown();
    }
    errors.into_result()?;
    let id = id.ok_or_else(|| NativeError::from(FieldErrors::new()))?;
    let role = state
        .directory
        .change_role_holders(&writer, &id, holders, grant, &FIELD_NAMES)
        .await?;
    Ok(Json(RoleView::from(&role)))
}

/// The body of `POST /v2/add-role`.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct RoleCreateBody {
    /// Required; unique in the tenant regardless of case; at most 256 characters.
    role_name: String,
    role_description: Option<String>,
    /// Names from `GET /v2/permissions`; duplicates collapse.
    #[schema(nullable = false, value_type = Option<Vec<PermissionSchema>>)]
    permissions: Option<Vec<String>>,
}

/// The body of `PATCH /v2/role/{roleId}`: every field optional; absent fields are untouched.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct RoleUpdateBody {
    #[schema(nullable = false)]
    role_name: Option<String>,
    /// Null clears it.
    role_description: Option<String>,
    /// Replaces the whole set.
    #[schema(nullable = false, value_type = Option<Vec<PermissionSchema>>)]
    permissions: Option<Vec<String>>,
}

/// Who gains or loses a role. At least one of the two lists; each at most 1000 ids.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct AssigneesBody {
    /// ObjectIds of users of this tenant.
    #[schema(nullable = false)]
    user_ids: Option<Vec<String>>,
    /// ObjectIds of user groups of this tenant (system groups too).
    #[schema(nullable = false)]
    user_group_ids: Option<Vec<String>>,
}
