//! `/v2` user group endpoints: create, list, read, update, delete, and adding and removing
//! members. Every tenant has two system groups (Everyone, Service Accounts) whose members follow
//! from the users; only their roles can change.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use roster_core::command::{NewUserGroup, UserGroupUpdate};
use roster_core::directory::AccessFieldNames;
use roster_core::id::{RoleId, UserGroupId, UserId};
use roster_core::model::UserGroupDetail;
use roster_core::values::Name;
use roster_core::FieldErrors;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::NativeCaller;
use super::created;
use super::error::{ErrorBody, NativeError, NativeResult};
use super::extract::{parse_path_id, path_id, NativeJson, PathId};
use super::listing::{read_simple_list, ListBody, ListPage};
use super::roles::RoleRefView;
use super::user_wire::{replace_set, set_of};
use crate::json_fields::{any_text, JsonFields};
use crate::schema::SystemGroupSchema;
use crate::AppState;

const FIELD_NAMES: AccessFieldNames = AccessFieldNames {
    name: "user_group_name",
    description: "user_group_description",
    roles: "role_ids",
    members: "user_ids",
    groups: "user_group_ids",
};

/// A user group as the native API answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserGroupView {
    pub user_group_id: String,
    pub user_group_name: String,
    pub user_group_description: Option<String>,
    /// Which system group this is; null for the groups a client made.
    #[schema(value_type = Option<SystemGroupSchema>)]
    pub system: Option<&'static str>,
    /// Whether the name and description can change and the group be deleted (not for system groups).
    pub name_editable: bool,
    /// Whether members can be added and removed (not for system groups).
    pub users_editable: bool,
    /// Whether roles can be given to the group (always).
    pub roles_editable: bool,
    /// The roles the group holds, by name; every member gains their permissions.
    pub roles: Vec<RoleRefView>,
    /// How many members the group has, exactly.
    pub user_count: u64,
    /// The first 1000 members' emails, in order of email.
    pub user_emails: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows with every change of the group itself (members are part of each user's version).
    pub version: i64,
}

impl From<&UserGroupDetail> for UserGroupView {
    fn from(detail: &UserGroupDetail) -> Self {
        let group = &detail.group;
        Self {
            user_group_id: group.id.to_string(),
            user_group_name: group.name.to_string(),
            user_group_description: group.description.clone(),
            system: group.system.map(|kind| kind.as_str()),
            name_editable: group.name_editable(),
            users_editable: group.users_editable(),
            roles_editable: group.roles_editable(),
            roles: detail.roles.iter().map(RoleRefView::from).collect(),
            user_count: detail.member_count,
            user_emails: detail.members.iter().map(ToString::to_string).collect(),
            created_at: group.created_at,
            updated_at: group.updated_at,
            version: group.version,
        }
    }
}

/// Create a user group.
///
/// `user_group_name` is required and unique in the tenant regardless of case (409). `role_ids`
/// and `user_ids` must name roles and users of this tenant (400 naming the field, and nothing is
/// written). Audited (`user_group.create`, and `user.update` for each member added).
#[utoipa::path(post, path = "/v2/add-user-group", tag = "user groups",
    request_body = UserGroupCreateBody,
    responses(
        (status = 201, description = "The new group", body = UserGroupView, headers(("Location" = String))),
        (status = 400, description = "Invalid fields, all listed", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn create_user_group(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Response> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let mut new = None;
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        let name = fields.required("user_group_name", Name::parse);
        let description = fields.patch("user_group_description", any_text).into_set();
        let role_ids = set_of(&mut fields, "role_ids", RoleId::parse);
        let members = set_of(&mut fields, "user_ids", UserId::parse);
        fields.deny_unknown();
        new = name.map(|name| NewUserGroup {
            name,
            description,
            external_id: None,
            role_ids: role_ids.unwrap_or_default(),
            members: members.unwrap_or_default(),
        });
    }
    errors.into_result()?;
    let new = new.ok_or_else(|| NativeError::from(FieldErrors::new()))?;
    let group = state
        .directory
        .create_user_group(&writer, new, &FIELD_NAMES)
        .await?;
    Ok(created(
        (StatusCode::CREATED, Json(UserGroupView::from(&group))).into_response(),
        &format!("/v2/user-group/{}", group.group.id),
    ))
}

/// List user groups, by name, system groups included.
///
/// `search_query` matches names (case-insensitively); `filter_by` and `sort_by` are not taken.
#[utoipa::path(post, path = "/v2/user-groups", tag = "user groups", request_body = ListBody,
    responses(
        (status = 200, description = "One page of user groups", body = ListPage<UserGroupView>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn list_user_groups(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ListPage<UserGroupView>>> {
    let mut errors = FieldErrors::new();
    let (search, page) = read_simple_list(body, &mut errors);
    errors.into_result()?;
    let slice = state
        .directory
        .list_user_groups(&caller.reader(), search.as_deref(), page.into())
        .await?;
    Ok(Json(ListPage::from_slice(slice, page, |group| {
        UserGroupView::from(group)
    })))
}

/// Get a user group.
#[utoipa::path(get, path = "/v2/user-group/{userGroupId}", tag = "user groups",
    params(("userGroupId" = String, Path, description = "The group's id (ObjectId)")),
    responses(
        (status = 200, body = UserGroupView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn get_user_group(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(group_id): PathId,
) -> NativeResult<Json<UserGroupView>> {
    let id = path_id(&group_id, "userGroupId", UserGroupId::parse)?;
    let group = state.directory.user_group(&caller.reader(), &id).await?;
    Ok(Json(UserGroupView::from(&group)))
}

/// Update a user group (partial).
///
/// Only the fields present change; `null` clears the description; `role_ids` replaces the roles
/// (roles of this tenant, else 400). A system group keeps its name and description (400 naming
/// the field); its roles can change. Unknown fields are refused; every failing field is reported
/// at once. Audited (`user_group.update`).
#[utoipa::path(patch, path = "/v2/user-group/{userGroupId}", tag = "user groups",
    params(("userGroupId" = String, Path, description = "The group's id (ObjectId)")),
    request_body = UserGroupUpdateBody,
    responses(
        (status = 200, description = "The whole updated group", body = UserGroupView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "The name is taken", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn update_user_group(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(group_id): PathId,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<UserGroupView>> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let id = parse_path_id(&group_id, "userGroupId", UserGroupId::parse, &mut errors);
    let mut update = UserGroupUpdate::default();
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        update.name = fields.set("user_group_name", Name::parse);
        update.description = fields.patch("user_group_description", any_text);
        update.roles = replace_set(&mut fields, "role_ids", RoleId::parse);
        fields.deny_unknown();
    }
    errors.into_result()?;
    let id = id.ok_or_else(|| NativeError::from(FieldErrors::new()))?;
    let group = state
        .directory
        .update_user_group(&writer, &id, update, &FIELD_NAMES)
        .await?;
    Ok(Json(UserGroupView::from(&group)))
}

/// Delete a user group; its members leave it. System groups cannot be deleted (403).
/// Audited (`user_group.delete`).
#[utoipa::path(delete, path = "/v2/user-group/{userGroupId}", tag = "user groups",
    params(("userGroupId" = String, Path, description = "The group's id (ObjectId)")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, description = "A read key, or a system group", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn delete_user_group(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(group_id): PathId,
) -> NativeResult<StatusCode> {
    let writer = caller.writer()?;
    let id = path_id(&group_id, "userGroupId", UserGroupId::parse)?;
    state
        .directory
        .delete_user_group(&writer, &id, None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add users to a user group.
///
/// `user_ids` must name users of this tenant (400, and nothing is written); users already in the
/// group stay as they are. Each user added gets the group in `user_group_ids` and a new version
/// (audited as `user.update`). System groups refuse (400 naming `user_ids`).
#[utoipa::path(post, path = "/v2/user-group/{userGroupId}/add-users", tag = "user groups",
    params(("userGroupId" = String, Path, description = "The group's id (ObjectId)")),
    request_body = UserIdsBody,
    responses(
        (status = 200, description = "The group with its members", body = UserGroupView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn add_users(
    state: State<AppState>,
    caller: NativeCaller,
    path: PathId,
    body: NativeJson,
) -> NativeResult<Json<UserGroupView>> {
    change_members(state, caller, path, body, true).await
}

/// Remove users from a user group.
///
/// `user_ids` must name users of this tenant (400, and nothing is written); users not in the group
/// stay as they are. Each user removed loses the group from `user_group_ids` and gets a new
/// version (audited as `user.update`). System groups refuse (400 naming `user_ids`).
#[utoipa::path(post, path = "/v2/user-group/{userGroupId}/remove-users", tag = "user groups",
    params(("userGroupId" = String, Path, description = "The group's id (ObjectId)")),
    request_body = UserIdsBody,
    responses(
        (status = 200, description = "The group with its members", body = UserGroupView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn remove_users(
    state: State<AppState>,
    caller: NativeCaller,
    path: PathId,
    body: NativeJson,
) -> NativeResult<Json<UserGroupView>> {
    change_members(state, caller, path, body, false).await
}

async fn change_members(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(group_id): PathId,
    NativeJson(body): NativeJson,
    join: bool,
) -> NativeResult<Json<UserGroupView>> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let id = parse_path_id(&group_id, "userGroupId", UserGroupId::parse, &mut errors);
    let mut update = UserGroupUpdate::default();
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        if !fields.has("user_ids") {
            fields.error("user_ids", "is required");
        }
        let users = set_of(&mut fields, "user_ids", UserId::parse).unwrap_or_default();
        if join {
            update.add_members = users;
        } else {
            update.remove_members = users;
        }
        fields.deny_unknown();
    }
    errors.into_result()?;
    let id = id.ok_or_else(|| NativeError::from(FieldErrors::new()))?;
    let group = state
        .directory
        .update_user_group(&writer, &id, update, &FIELD_NAMES)
        .await?;
    Ok(Json(UserGroupView::from(&group)))
}

/// The body of `POST /v2/add-user-group`.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct UserGroupCreateBody {
    /// Required; unique in the tenant regardless of case; at most 256 characters.
    user_group_name: String,
    user_group_description: Option<String>,
    /// ObjectIds of roles of this tenant; at most 1000.
    #[schema(nullable = false)]
    role_ids: Option<Vec<String>>,
    /// ObjectIds of users of this tenant, the first members; at most 1000.
    #[schema(nullable = false)]
    user_ids: Option<Vec<String>>,
}

/// The body of `PATCH /v2/user-group/{userGroupId}`: every field optional; absent fields are
/// untouched. Members change through `add-users` and `remove-users`.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct UserGroupUpdateBody {
    /// Not for system groups.
    #[schema(nullable = false)]
    user_group_name: Option<String>,
    /// Null clears it. Not for system groups.
    user_group_description: Option<String>,
    /// Replaces the group's roles: ObjectIds of roles of this tenant; at most 1000.
    #[schema(nullable = false)]
    role_ids: Option<Vec<String>>,
}

/// Users to add to or remove from a group.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct UserIdsBody {
    /// Required: ObjectIds of users of this tenant; at most 1000.
    user_ids: Vec<String>,
}
