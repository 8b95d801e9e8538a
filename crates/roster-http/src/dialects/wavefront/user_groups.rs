//! Wavefront's user-group API at `/api/v2/usergroup` (seed-apis.md §3.5): nine operations, each
//! answering a `ResponseContainer`.

use axum::extract::State;
use axum::Json;
use roster_core::command::{NewUserGroup, SetChange, UserGroupUpdate};
use roster_core::directory::AccessFieldNames;
use roster_core::id::{RoleId, UserGroupId};
use roster_core::model::UserGroupDetail;
use roster_core::values::{Email, Name};
use roster_core::{DomainError, FieldErrors, Patch, Reader};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::error::{contained, Container, ErrorBody, WavefrontResult};
use super::extract::{string_list, PathParam, WavefrontCaller, WavefrontJson, WavefrontQuery};
use super::models::{Paged, UserGroupModel};
use crate::json_fields::{any_text, JsonFields};
use crate::AppState;

pub const FIELD_NAMES: AccessFieldNames = AccessFieldNames {
    name: "name",
    description: "description",
    roles: "roleIDs",
    members: "body",
    groups: "body",
};

/// `UserGroupWrite`: the body of create and update. `id`, `customer` and `createdEpochMillis` are
/// accepted and ignored.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct UserGroupWrite {
    /// Unique in the tenant regardless of case (409 if taken).
    name: String,
    /// The ids of the group's roles (on update: replaces them).
    #[serde(rename = "roleIDs")]
    role_ids: Vec<String>,
    description: Option<String>,
}

/// `offset` (default 0) and `limit` (default 100, at most 1000).
#[derive(Debug, Deserialize, IntoParams)]
pub struct WindowParams {
    pub offset: Option<u64>,
    pub limit: Option<u32>,
}

impl WindowParams {
    pub fn window(&self) -> roster_core::query::Window {
        use roster_core::query::Window;
        Window::new(
            self.offset.unwrap_or(0),
            self.limit.unwrap_or(Window::DEFAULT_LIMIT),
        )
    }
}

type GroupAnswer = WavefrontResult<Json<Container<UserGroupModel>>>;

/// Get user groups by name, system groups included.
#[utoipa::path(get, path = "/api/v2/usergroup", tag = "wavefront user groups", params(WindowParams),
    responses((status = 200, body = Container<Paged<UserGroupModel>>), (status = 400, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn get_all_user_groups(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    WavefrontQuery(params): WavefrontQuery<WindowParams>,
) -> WavefrontResult<Json<Container<Paged<UserGroupModel>>>> {
    let reader = caller.reader();
    let window = params.window();
    let slice = state
        .directory
        .list_user_groups(&reader, None, window)
        .await?;
    let customer = &reader.tenant().slug;
    Ok(contained(Paged::of(slice, window, |detail| {
        UserGroupModel::detailed(&detail, customer)
    })))
}

/// Create a user group.
#[utoipa::path(post, path = "/api/v2/usergroup", tag = "wavefront user groups",
    request_body = UserGroupWrite,
    responses((status = 200, body = Container<UserGroupModel>), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn create_user_group(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    WavefrontJson(body): WavefrontJson,
) -> GroupAnswer {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let (name, description, roles) = read_write(body, true, &mut errors);
    errors.into_result()?;
    let new = NewUserGroup {
        name: name.ok_or(DomainError::invalid("name", "is required"))?,
        description: description.into_set(),
        external_id: None,
        role_ids: roles.unwrap_or_default().into_iter().collect(),
        members: Default::default(),
    };
    let detail = state
        .directory
        .create_user_group(&writer, new, &FIELD_NAMES)
        .await?;
    answer(&writer.reader(), &detail)
}

/// Get a user group.
#[utoipa::path(get, path = "/api/v2/usergroup/{id}", tag = "wavefront user groups",
    params(("id" = String, Path)),
    responses((status = 200, body = Container<UserGroupModel>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn get_user_group(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
) -> GroupAnswer {
    let reader = caller.reader();
    let detail = state.directory.user_group(&reader, &group_id(&id)?).await?;
    answer(&reader, &detail)
}

/// Update a user group: name, description and roles (replaced). System groups keep their name.
#[utoipa::path(put, path = "/api/v2/usergroup/{id}", tag = "wavefront user groups",
    params(("id" = String, Path)), request_body = UserGroupWrite,
    responses((status = 200, body = Container<UserGroupModel>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn update_user_group(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> GroupAnswer {
    let writer = caller.writer()?;
    let id = group_id(&id)?;
    let mut errors = FieldErrors::new();
    let (name, description, roles) = read_write(body, false, &mut errors);
    errors.into_result()?;
    let update = UserGroupUpdate {
        name,
        description,
        roles: roles.map_or(SetChange::Unchanged, |roles| {
            SetChange::Replace(roles.into_iter().collect())
        }),
        ..UserGroupUpdate::default()
    };
    change(&state, &writer, &id, update).await
}

/// Delete a user group; answers the deleted group. System groups cannot be deleted (403).
#[utoipa::path(delete, path = "/api/v2/usergroup/{id}", tag = "wavefront user groups",
    params(("id" = String, Path)),
    responses((status = 200, body = Container<UserGroupModel>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn delete_user_group(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
) -> GroupAnswer {
    let writer = caller.writer()?;
    let id = group_id(&id)?;
    let before = state.directory.user_group(&writer.reader(), &id).await?;
    state
        .directory
        .delete_user_group(&writer, &id, None)
        .await?;
    answer(&writer.reader(), &before)
}

/// Add users (by email) to a user group.
#[utoipa::path(post, path = "/api/v2/usergroup/{id}/addUsers", tag = "wavefront user groups",
    params(("id" = String, Path)), request_body = Vec<String>,
    responses((status = 200, body = Container<UserGroupModel>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn add_users_to_user_group(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> GroupAnswer {
    change_members(state, caller, id, body, true).await
}

/// Remove users (by email) from a user group.
#[utoipa::path(post, path = "/api/v2/usergroup/{id}/removeUsers", tag = "wavefront user groups",
    params(("id" = String, Path)), request_body = Vec<String>,
    responses((status = 200, body = Container<UserGroupModel>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn remove_users_from_user_group(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> GroupAnswer {
    change_members(state, caller, id, body, false).await
}

/// Give roles (by id) to a user group.
#[utoipa::path(post, path = "/api/v2/usergroup/{id}/addRoles", tag = "wavefront user groups",
    params(("id" = String, Path)), request_body = Vec<String>,
    responses((status = 200, body = Container<UserGroupModel>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn add_roles_to_user_group(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> GroupAnswer {
    change_roles(state, caller, id, body, true).await
}

/// Take roles (by id) from a user group.
#[utoipa::path(post, path = "/api/v2/usergroup/{id}/removeRoles", tag = "wavefront user groups",
    params(("id" = String, Path)), request_body = Vec<String>,
    responses((status = 200, body = Container<UserGroupModel>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn remove_roles_from_user_group(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> GroupAnswer {
    change_roles(state, caller, id, body, false).await
}

async fn change_members(
    state: AppState,
    caller: roster_core::Caller,
    id: String,
    body: Value,
    add: bool,
) -> GroupAnswer {
    let writer = caller.writer()?;
    let id = group_id(&id)?;
    let emails = string_list(body, Email::parse)?;
    let members = super::users_by_email(&state, &writer.reader(), &emails).await?;
    let members = members.into_iter().map(|user| user.id).collect();
    let update = if add {
        UserGroupUpdate {
            add_members: members,
            ..UserGroupUpdate::default()
        }
    } else {
        UserGroupUpdate {
            remove_members: members,
            ..UserGroupUpdate::default()
        }
    };
    change(&state, &writer, &id, update).await
}

async fn change_roles(
    state: AppState,
    caller: roster_core::Caller,
    id: String,
    body: Value,
    add: bool,
) -> GroupAnswer {
    let writer = caller.writer()?;
    let id = group_id(&id)?;
    let roles = string_list(body, RoleId::parse)?.into_iter().collect();
    let update = UserGroupUpdate {
        roles: SetChange::add_or_remove(add, roles),
        ..UserGroupUpdate::default()
    };
    change(&state, &writer, &id, update).await
}

async fn change(
    state: &AppState,
    writer: &roster_core::Writer<'_>,
    id: &UserGroupId,
    update: UserGroupUpdate,
) -> GroupAnswer {
    let detail = state
        .directory
        .update_user_group(writer, id, update, &FIELD_NAMES)
        .await?;
    answer(&writer.reader(), &detail)
}

/// Lowers a `UserGroupWrite`: name (required on create), description, role ids.
fn read_write(
    body: Value,
    create: bool,
    errors: &mut FieldErrors,
) -> (Option<Name>, Patch<String>, Option<Vec<RoleId>>) {
    let Some(mut fields) = JsonFields::of_body(body, errors) else {
        return (None, Patch::Unchanged, None);
    };
    let name = if create {
        fields.required("name", Name::parse)
    } else {
        fields.set("name", Name::parse)
    };
    let description = fields.patch("description", any_text);
    let roles = fields.string_array_or_null("roleIDs", RoleId::parse);
    (name, description, roles)
}

fn group_id(text: &str) -> WavefrontResult<UserGroupId> {
    UserGroupId::parse(text).map_err(|reason| {
        let mut errors = FieldErrors::new();
        errors.path("id", reason);
        errors.into()
    })
}

fn answer(reader: &Reader<'_>, detail: &UserGroupDetail) -> GroupAnswer {
    Ok(contained(UserGroupModel::detailed(
        detail,
        &reader.tenant().slug,
    )))
}
