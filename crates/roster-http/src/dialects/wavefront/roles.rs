//! Wavefront's role API at `/api/v2/role` (seed-apis.md §3.5): nine operations, each answering a
//! `ResponseContainer`.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::Json;
use roster_core::command::{NewRole, RoleHolders, RoleUpdate, SetChange};
use roster_core::directory::AccessFieldNames;
use roster_core::id::{RoleId, UserGroupId};
use roster_core::model::RoleDetail;
use roster_core::values::{Email, Name, Permission};
use roster_core::{DomainError, FieldErrors, Patch, Reader};
use serde_json::Value;
use utoipa::ToSchema;

use super::error::{contained, Container, ErrorBody, WavefrontResult};
use super::extract::{string_list, PathParam, WavefrontCaller, WavefrontJson, WavefrontQuery};
use super::models::{Paged, RoleDto};
use super::user_groups::WindowParams;
use crate::json_fields::{any_text, JsonFields};
use crate::AppState;

const FIELD_NAMES: AccessFieldNames = AccessFieldNames {
    name: "name",
    description: "description",
    roles: "body",
    members: "body",
    groups: "body",
};

/// `RoleCreateDTO`, and `RoleUpdateDTO` (which may repeat the role's `id`). On update every field
/// is optional and `permissions` replaces the role's.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct RoleWrite {
    id: Option<String>,
    /// Unique in the tenant regardless of case (409 if taken).
    name: String,
    description: Option<String>,
    /// Permission names from the catalogue.
    permissions: Vec<String>,
}

type RoleAnswer = WavefrontResult<Json<Container<RoleDto>>>;

/// Get roles by name.
#[utoipa::path(get, path = "/api/v2/role", tag = "wavefront roles", params(WindowParams),
    responses((status = 200, body = Container<Paged<RoleDto>>), (status = 400, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn get_all_roles(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    WavefrontQuery(params): WavefrontQuery<WindowParams>,
) -> WavefrontResult<Json<Container<Paged<RoleDto>>>> {
    let reader = caller.reader();
    let window = params.window();
    let slice = state.directory.list_roles(&reader, None, window).await?;
    let customer = &reader.tenant().slug;
    Ok(contained(Paged::of(slice, window, |detail| {
        RoleDto::detailed(&detail, customer)
    })))
}

/// Create a role.
#[utoipa::path(post, path = "/api/v2/role", tag = "wavefront roles", request_body = RoleWrite,
    responses((status = 200, body = Container<RoleDto>), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn create_role(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    WavefrontJson(body): WavefrontJson,
) -> RoleAnswer {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let (name, description, permissions) = read_write(body, None, &mut errors);
    errors.into_result()?;
    let new = NewRole {
        name: name.ok_or(DomainError::invalid("name", "is required"))?,
        description: description.into_set(),
        permissions: permissions.unwrap_or_default(),
    };
    let detail = state
        .directory
        .create_role(&writer, new, &FIELD_NAMES)
        .await?;
    answer(&writer.reader(), &detail)
}

/// Get a role, with who holds it.
#[utoipa::path(get, path = "/api/v2/role/{id}", tag = "wavefront roles", params(("id" = String, Path)),
    responses((status = 200, body = Container<RoleDto>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn get_role(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
) -> RoleAnswer {
    let reader = caller.reader();
    let detail = state.directory.role(&reader, &role_id(&id)?).await?;
    answer(&reader, &detail)
}

/// Update a role: name, description, permissions (replaced).
#[utoipa::path(put, path = "/api/v2/role/{id}", tag = "wavefront roles", params(("id" = String, Path)),
    request_body = RoleWrite,
    responses((status = 200, body = Container<RoleDto>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn update_role(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> RoleAnswer {
    let writer = caller.writer()?;
    let id = role_id(&id)?;
    let mut errors = FieldErrors::new();
    let (name, description, permissions) = read_write(body, Some(&id), &mut errors);
    errors.into_result()?;
    let update = RoleUpdate {
        name,
        description,
        permissions: permissions.map_or(SetChange::Unchanged, SetChange::Replace),
    };
    let detail = state
        .directory
        .update_role(&writer, &id, update, &FIELD_NAMES)
        .await?;
    answer(&writer.reader(), &detail)
}

/// Delete a role; the users and groups holding it lose it. Answers the deleted role.
#[utoipa::path(delete, path = "/api/v2/role/{id}", tag = "wavefront roles", params(("id" = String, Path)),
    responses((status = 200, body = Container<RoleDto>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn delete_role(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
) -> RoleAnswer {
    let writer = caller.writer()?;
    let id = role_id(&id)?;
    let before = state.directory.role(&writer.reader(), &id).await?;
    state.directory.delete_role(&writer, &id).await?;
    answer(&writer.reader(), &before)
}

/// Give a role to accounts (emails) and groups (ids).
#[utoipa::path(post, path = "/api/v2/role/{id}/addAssignees", tag = "wavefront roles",
    params(("id" = String, Path)), request_body(content = Vec<String>, description = "User emails and user group ids"),
    responses((status = 200, body = Container<RoleDto>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn add_assignees(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> RoleAnswer {
    change_assignees(state, caller, id, body, true).await
}

/// Take a role from accounts (emails) and groups (ids).
#[utoipa::path(post, path = "/api/v2/role/{id}/removeAssignees", tag = "wavefront roles",
    params(("id" = String, Path)), request_body(content = Vec<String>, description = "User emails and user group ids"),
    responses((status = 200, body = Container<RoleDto>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn remove_assignees(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> RoleAnswer {
    change_assignees(state, caller, id, body, false).await
}

/// Grant a permission to roles (by id), in one transaction; answers the first role.
#[utoipa::path(post, path = "/api/v2/role/grant/{permission}", tag = "wavefront roles",
    params(("permission" = String, Path)), request_body = Vec<String>,
    responses((status = 200, description = "The first role", body = Container<RoleDto>), (status = 400, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn grant_permission_to_roles(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(permission): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> RoleAnswer {
    change_permission(state, caller, permission, body, true).await
}

/// Revoke a permission from roles (by id), in one transaction; answers the first role.
#[utoipa::path(post, path = "/api/v2/role/revoke/{permission}", tag = "wavefront roles",
    params(("permission" = String, Path)), request_body = Vec<String>,
    responses((status = 200, description = "The first role", body = Container<RoleDto>), (status = 400, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn revoke_permission_from_roles(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(permission): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> RoleAnswer {
    change_permission(state, caller, permission, body, false).await
}

/// Each assignee is an account's email or a group's id.
async fn change_assignees(
    state: AppState,
    caller: roster_core::Caller,
    id: String,
    body: Value,
    grant: bool,
) -> RoleAnswer {
    let writer = caller.writer()?;
    let id = role_id(&id)?;
    let assignees = string_list(body, |text| {
        if let Ok(group) = UserGroupId::parse(text) {
            Ok(Err(group))
        } else {
            Email::parse(text)
                .map(Ok)
                .map_err(|_| "must be a user's email or a user group's id")
        }
    })?;
    let (emails, groups): (Vec<_>, Vec<_>) = assignees.into_iter().partition(Result::is_ok);
    let emails: Vec<Email> = emails.into_iter().filter_map(Result::ok).collect();
    let users = super::users_by_email(&state, &writer.reader(), &emails).await?;
    let holders = RoleHolders {
        users: users.into_iter().map(|user| user.id).collect(),
        groups: groups.into_iter().filter_map(Result::err).collect(),
    };
    let detail = state
        .directory
        .change_role_holders(&writer, &id, holders, grant, &FIELD_NAMES)
        .await?;
    answer(&writer.reader(), &detail)
}

async fn change_permission(
    state: AppState,
    caller: roster_core::Caller,
    permission: String,
    body: Value,
    grant: bool,
) -> RoleAnswer {
    let writer = caller.writer()?;
    let permission = super::permission(&permission)
        .map_err(|reason| DomainError::invalid("permission", reason))?;
    let roles = string_list(body, RoleId::parse)?;
    if roles.is_empty() {
        return Err(DomainError::invalid("body", "must name at least one role").into());
    }
    let set = BTreeSet::from([permission]);
    let updates = roles
        .into_iter()
        .map(|id| {
            let update = RoleUpdate {
                permissions: SetChange::add_or_remove(grant, set.clone()),
                ..RoleUpdate::default()
            };
            (id, update)
        })
        .collect();
    let mut details = state
        .directory
        .update_roles(&writer, updates, &FIELD_NAMES)
        .await
        .map_err(|error| match error {
            // A role named in the body is bad input, not a missing resource.
            DomainError::NotFound { .. } => {
                DomainError::invalid("body", "no role with one of these ids exists")
            }
            other => other,
        })?;
    answer(&writer.reader(), &details.swap_remove(0))
}

/// Lowers a role body: name (required on create), description, permissions. On update an `id`, if
/// given, must be the path's.
fn read_write(
    body: Value,
    updating: Option<&RoleId>,
    errors: &mut FieldErrors,
) -> (Option<Name>, Patch<String>, Option<BTreeSet<Permission>>) {
    let Some(mut fields) = JsonFields::of_body(body, errors) else {
        return (None, Patch::Unchanged, None);
    };
    let name = match updating {
        None => fields.required("name", Name::parse),
        Some(path) => {
            if let Some(id) = fields.set("id", RoleId::parse) {
                if &id != path {
                    fields.error("id", "must be the id in the path");
                }
            }
            fields.set("name", Name::parse)
        }
    };
    let description = fields.patch("description", any_text);
    let permissions = fields
        .string_array_or_null("permissions", super::permission)
        .map(|list| list.into_iter().collect());
    (name, description, permissions)
}

fn role_id(text: &str) -> WavefrontResult<RoleId> {
    RoleId::parse(text).map_err(|reason| {
        let mut errors = FieldErrors::new();
        errors.path("id", reason);
        errors.into()
    })
}

fn answer(reader: &Reader<'_>, detail: &RoleDetail) -> RoleAnswer {
    Ok(contained(RoleDto::detailed(detail, &reader.tenant().slug)))
}
