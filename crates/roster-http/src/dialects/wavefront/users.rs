//! The 15 operations of Wavefront's user API at `/api/v2/user` (seed-apis.md §3.2). Users are named
//! by their email (`identifier`); most operations answer a bare `UserModel`.

use std::collections::{BTreeSet, HashMap};

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use roster_core::command::{NewUser, SetChange, UserFieldNames, UserUpdate};
use roster_core::credential::CredentialHash;
use roster_core::id::{RoleId, UserGroupId};
use roster_core::model::User;
use roster_core::values::Email;
use roster_core::{Caller, DomainError, FieldErrors, Patch, Reader};
use serde_json::Value;
use utoipa::ToSchema;

use super::error::{contained, Container, ErrorBody, WavefrontError, WavefrontResult};
use super::extract::{string_list, PathParam, WavefrontCaller, WavefrontForm, WavefrontJson};
use super::models::{UserModel, ValidatedUsers};
use crate::json_fields::{any_text, JsonFields};
use crate::AppState;

/// How Wavefront names the fields a user update can fail on (`UserRequestDTO`).
const FIELD_NAMES: UserFieldNames = UserFieldNames {
    roles: "roles",
    groups: "userGroups",
    ..UserFieldNames::all("identifier")
};

/// How Wavefront names the fields a user creation can fail on (`UserToCreate`).
const CREATE_NAMES: UserFieldNames = UserFieldNames {
    email: "emailAddress",
    ..FIELD_NAMES
};

/// `UserToCreate`: the body of create and (as a list) invite.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct UserToCreate {
    /// The new user's email; their display name is its local part.
    email_address: String,
    /// Permissions to grant directly (the catalogue names).
    groups: Vec<String>,
    /// Ids of the user groups to join.
    user_groups: Vec<String>,
    /// Ids of roles to give.
    roles: Option<Vec<String>>,
}

/// `UserRequestDTO`: every field optional; an absent field is left as it is, a list replaces the
/// whole set. Unknown fields are ignored.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct UserRequestDto {
    /// A new email for the user (unique in the tenant regardless of case, else 409).
    identifier: Option<String>,
    /// `null` clears it.
    sso_id: Option<String>,
    /// Must be the caller's own customer (tenant slug): users never move between tenants.
    customer: Option<String>,
    /// The permissions granted directly (replaces them).
    groups: Option<Vec<String>>,
    /// The ids of the groups the user is in (replaces them). The system group `Everyone` may be
    /// listed and changes nothing; it cannot be left.
    user_groups: Option<Vec<String>>,
    /// A new password; stored only as an argon2 hash and never returned.
    credential: Option<String>,
    /// The ids of the roles given directly (replaces them).
    roles: Option<Vec<String>>,
}

/// Grant or revoke one permission (form encoded).
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "documents the wire format")]
pub struct PermissionForm {
    /// The permission name.
    group: String,
}

/// Create a user.
#[utoipa::path(post, path = "/api/v2/user", tag = "wavefront users",
    params(("sendEmail" = Option<bool>, Query, description = "Accepted in any spelling (`true`, `False`, …) and ignored: Roster sends no email.")),
    request_body = UserToCreate,
    responses((status = 200, body = UserModel), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn create_user(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    WavefrontJson(body): WavefrontJson,
) -> WavefrontResult<Json<UserModel>> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let new = read_new_user(body, "", &mut errors);
    let new = new.ok_or(DomainError::Invalid(errors.clone()))?;
    let user = state
        .directory
        .create_user(&writer, new, &CREATE_NAMES, errors)
        .await?;
    model(&state, &writer.reader(), user).await
}

/// Invite users: creates them all, or none; answers the first.
#[utoipa::path(post, path = "/api/v2/user/invite", tag = "wavefront users",
    request_body = Vec<UserToCreate>,
    responses((status = 200, description = "The first invited user", body = UserModel), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn invite_users(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    WavefrontJson(body): WavefrontJson,
) -> WavefrontResult<Json<UserModel>> {
    let writer = caller.writer()?;
    let Value::Array(items) = body else {
        return Err(DomainError::invalid("body", "must be a JSON array of users").into());
    };
    if items.is_empty() {
        return Err(DomainError::invalid("body", "must name at least one user").into());
    }
    let mut errors = FieldErrors::new();
    let new: Vec<Option<NewUser>> = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| read_new_user(item, &format!("[{index}]."), &mut errors))
        .collect();
    errors.into_result()?;
    let new = new.into_iter().flatten().collect();
    let mut users = state
        .directory
        .create_users(&writer, new, &CREATE_NAMES)
        .await?;
    model(&state, &writer.reader(), users.swap_remove(0)).await
}

/// Get all users of the tenant, by identifier.
#[utoipa::path(get, path = "/api/v2/user", tag = "wavefront users",
    responses((status = 200, body = Vec<UserModel>)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn get_all_users(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
) -> WavefrontResult<Json<Vec<UserModel>>> {
    let reader = caller.reader();
    let users = state.directory.all_users(&reader).await?;
    models(&state, &reader, users).await.map(Json)
}

/// Get a user.
#[utoipa::path(get, path = "/api/v2/user/{id}", tag = "wavefront users",
    params(("id" = String, Path, description = "The user's email")),
    responses((status = 200, body = UserModel), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn get_user(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
) -> WavefrontResult<Json<UserModel>> {
    let reader = caller.reader();
    let user = state.directory.user_by_email(&reader, &id).await?;
    model(&state, &reader, user).await
}

/// Get a user's business functions. The generated clients read the answer as a `UserModel`, so it is
/// the user, whose permissions are their business functions.
#[utoipa::path(get, path = "/api/v2/user/{id}/businessFunctions", tag = "wavefront users",
    params(("id" = String, Path, description = "The user's email")),
    responses((status = 200, body = UserModel), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn get_user_business_functions(
    state: State<AppState>,
    caller: WavefrontCaller,
    id: PathParam,
) -> WavefrontResult<Json<UserModel>> {
    get_user(state, caller, id).await
}

/// Update a user (the seed endpoint): user groups, permissions, roles, email, SSO id, password.
#[utoipa::path(put, path = "/api/v2/user/{id}", tag = "wavefront users",
    params(("id" = String, Path, description = "The user's email, percent-encoded")),
    request_body = UserRequestDto,
    responses((status = 200, body = UserModel), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn update_user(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> WavefrontResult<Json<UserModel>> {
    let writer = caller.writer()?;
    let reader = writer.reader();
    let user = state.directory.user_id_by_email(&reader, &id).await?;
    let mut errors = FieldErrors::new();
    let update = read_update(body, &reader.tenant().slug, &mut errors);
    let user = state
        .directory
        .update_user(&writer, &user, update, None, &FIELD_NAMES, errors)
        .await?;
    model(&state, &reader, user).await
}

/// Delete a user.
#[utoipa::path(delete, path = "/api/v2/user/{id}", tag = "wavefront users",
    params(("id" = String, Path, description = "The user's email")),
    responses((status = 204), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn delete_user(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
) -> WavefrontResult<StatusCode> {
    let writer = caller.writer()?;
    let user = state
        .directory
        .user_id_by_email(&writer.reader(), &id)
        .await?;
    state.directory.delete_user(&writer, &user, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Delete several users: all of them, or (if one is unknown) none.
#[utoipa::path(post, path = "/api/v2/user/deleteUsers", tag = "wavefront users",
    request_body = Vec<String>,
    responses((status = 200, description = "The deleted identifiers", body = Container<Vec<String>>), (status = 400, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn delete_users(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    WavefrontJson(body): WavefrontJson,
) -> WavefrontResult<Json<Container<Vec<String>>>> {
    let writer = caller.writer()?;
    let users = body_users(&state, &writer.reader(), body).await?;
    let ids: Vec<_> = users.iter().map(|user| user.id.clone()).collect();
    state.directory.delete_users(&writer, &ids).await?;
    Ok(contained(
        users.iter().map(|user| user.email.to_string()).collect(),
    ))
}

/// Grant a permission to one user (form field `group`).
#[utoipa::path(post, path = "/api/v2/user/{id}/grant", tag = "wavefront users",
    params(("id" = String, Path, description = "The user's email")),
    request_body(content = PermissionForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = UserModel), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn grant_user_permission(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontForm(form): WavefrontForm,
) -> WavefrontResult<Json<UserModel>> {
    change_one_permission(state, caller, id, form, true).await
}

/// Revoke a permission from one user (form field `group`).
#[utoipa::path(post, path = "/api/v2/user/{id}/revoke", tag = "wavefront users",
    params(("id" = String, Path, description = "The user's email")),
    request_body(content = PermissionForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = UserModel), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn revoke_user_permission(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontForm(form): WavefrontForm,
) -> WavefrontResult<Json<UserModel>> {
    change_one_permission(state, caller, id, form, false).await
}

/// Grant a permission to several users, in one transaction; answers the first.
#[utoipa::path(post, path = "/api/v2/user/grant/{permission}", tag = "wavefront users",
    params(("permission" = String, Path)), request_body = Vec<String>,
    responses((status = 200, description = "The first user", body = UserModel), (status = 400, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn grant_permission_to_users(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(permission): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> WavefrontResult<Json<UserModel>> {
    change_many_permissions(state, caller, permission, body, true).await
}

/// Revoke a permission from several users, in one transaction; answers the first.
#[utoipa::path(post, path = "/api/v2/user/revoke/{permission}", tag = "wavefront users",
    params(("permission" = String, Path)), request_body = Vec<String>,
    responses((status = 200, description = "The first user", body = UserModel), (status = 400, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn revoke_permission_from_users(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(permission): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> WavefrontResult<Json<UserModel>> {
    change_many_permissions(state, caller, permission, body, false).await
}

/// Add a user to user groups (body: group ids).
#[utoipa::path(post, path = "/api/v2/user/{id}/addUserGroups", tag = "wavefront users",
    params(("id" = String, Path, description = "The user's email")), request_body = Vec<String>,
    responses((status = 200, body = UserModel), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn add_user_to_user_groups(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> WavefrontResult<Json<UserModel>> {
    let groups = string_list(body, UserGroupId::parse)?.into_iter().collect();
    change_user(
        state,
        caller,
        id,
        UserUpdate {
            groups: SetChange::Add(groups),
            ..UserUpdate::default()
        },
    )
    .await
}

/// Remove a user from user groups (body: group ids). No one leaves a system group this way.
#[utoipa::path(post, path = "/api/v2/user/{id}/removeUserGroups", tag = "wavefront users",
    params(("id" = String, Path, description = "The user's email")), request_body = Vec<String>,
    responses((status = 200, body = UserModel), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn remove_user_from_user_groups(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    PathParam(id): PathParam,
    WavefrontJson(body): WavefrontJson,
) -> WavefrontResult<Json<UserModel>> {
    let groups = string_list(body, UserGroupId::parse)?.into_iter().collect();
    change_user(
        state,
        caller,
        id,
        UserUpdate {
            groups: SetChange::Remove(groups),
            ..UserUpdate::default()
        },
    )
    .await
}

/// Which of these identifiers are users of the tenant.
#[utoipa::path(post, path = "/api/v2/user/validateUsers", tag = "wavefront users",
    request_body = Vec<String>,
    responses((status = 200, body = Container<ValidatedUsers>), (status = 400, body = ErrorBody)),
    security(("wavefront_token" = []), ("bearer" = [])))]
pub async fn validate_users(
    State(state): State<AppState>,
    WavefrontCaller(caller): WavefrontCaller,
    WavefrontJson(body): WavefrontJson,
) -> WavefrontResult<Json<Container<ValidatedUsers>>> {
    let reader = caller.reader();
    let identifiers = string_list(body, |text| Ok::<_, String>(text.to_owned()))?;
    let emails: Vec<String> = identifiers
        .iter()
        .filter(|text| Email::parse(text).is_ok())
        .cloned()
        .collect();
    let found = state.directory.users_by_emails(&reader, emails).await?;
    let known: BTreeSet<String> = found.iter().map(|user| user.email.normalized()).collect();
    let invalid_identifiers = identifiers
        .into_iter()
        .filter(|text| !known.contains(&text.to_lowercase()))
        .collect();
    Ok(contained(ValidatedUsers {
        valid_users: models(&state, &reader, found).await?,
        invalid_identifiers,
    }))
}

async fn change_one_permission(
    state: AppState,
    caller: Caller,
    id: String,
    form: HashMap<String, String>,
    grant: bool,
) -> WavefrontResult<Json<UserModel>> {
    let permission = form
        .get("group")
        .ok_or_else(|| DomainError::invalid("group", "the form field is required"))?;
    let permission =
        super::permission(permission).map_err(|reason| DomainError::invalid("group", reason))?;
    let set = BTreeSet::from([permission]);
    let permissions = SetChange::add_or_remove(grant, set);
    change_user(
        state,
        caller,
        id,
        UserUpdate {
            permissions,
            ..UserUpdate::default()
        },
    )
    .await
}

async fn change_many_permissions(
    state: AppState,
    caller: Caller,
    permission: String,
    body: Value,
    grant: bool,
) -> WavefrontResult<Json<UserModel>> {
    let writer = caller.writer()?;
    let reader = writer.reader();
    let permission = super::permission(&permission)
        .map_err(|reason| DomainError::invalid("permission", reason))?;
    let users = body_users(&state, &reader, body).await?;
    let set = BTreeSet::from([permission]);
    let updates = users
        .iter()
        .map(|user| {
            let update = UserUpdate {
                permissions: SetChange::add_or_remove(grant, set.clone()),
                ..UserUpdate::default()
            };
            (user.id.clone(), update)
        })
        .collect();
    let mut users = state
        .directory
        .update_users(&writer, updates, &FIELD_NAMES)
        .await?;
    model(&state, &reader, users.swap_remove(0)).await
}

/// Applies `update` to the user the path names and answers the user.
async fn change_user(
    state: AppState,
    caller: Caller,
    id: String,
    update: UserUpdate,
) -> WavefrontResult<Json<UserModel>> {
    let writer = caller.writer()?;
    let reader = writer.reader();
    let user = state.directory.user_id_by_email(&reader, &id).await?;
    let user = state
        .directory
        .update_user(
            &writer,
            &user,
            update,
            None,
            &FIELD_NAMES,
            FieldErrors::new(),
        )
        .await?;
    model(&state, &reader, user).await
}

/// Lowers a `UserToCreate`; `at` prefixes field names inside a list (`[1].`).
fn read_new_user(body: Value, at: &str, errors: &mut FieldErrors) -> Option<NewUser> {
    let mut inner = FieldErrors::new();
    let new = (|| {
        let mut fields = JsonFields::of_body(body, &mut inner)?;
        let email = fields.required("emailAddress", Email::parse);
        let permissions = fields.string_array_or_null("groups", super::permission);
        let groups = fields.string_array_or_null("userGroups", UserGroupId::parse);
        let roles = fields.string_array_or_null("roles", RoleId::parse);
        Some(NewUser::from_email(
            email?,
            UserUpdate {
                permissions: replace(permissions),
                groups: replace(groups),
                roles: replace(roles),
                ..UserUpdate::default()
            },
        ))
    })();
    for error in inner.iter() {
        errors.push(
            format!("{at}{}", error.field),
            error.location,
            error.reason.clone(),
        );
    }
    new
}

/// Lowers a `UserRequestDTO`. Unknown fields are ignored (generated clients send extra ones).
fn read_update(body: Value, customer: &str, errors: &mut FieldErrors) -> UserUpdate {
    let Some(mut fields) = JsonFields::of_body(body, errors) else {
        return UserUpdate::default();
    };
    if let Some(given) = fields.set("customer", any_text) {
        if given != customer {
            fields.error(
                "customer",
                format!("users cannot move to another customer; this one's is {customer:?}"),
            );
        }
    }
    UserUpdate {
        email: fields.set("identifier", Email::parse),
        sso_id: fields.patch("ssoId", any_text),
        credential: fields
            .set("credential", CredentialHash::from_secret)
            .map_or(Patch::Unchanged, Patch::Set),
        permissions: replace(fields.string_array_or_null("groups", super::permission)),
        groups: replace(fields.string_array_or_null("userGroups", UserGroupId::parse)),
        roles: replace(fields.string_array_or_null("roles", RoleId::parse)),
        ..UserUpdate::default()
    }
}

fn replace<T: Ord>(list: Option<Vec<T>>) -> SetChange<T> {
    list.map_or(SetChange::Unchanged, |list| {
        SetChange::Replace(list.into_iter().collect())
    })
}

/// The users a body lists by email, in its order; any unknown one is a 400 naming them all.
async fn body_users(
    state: &AppState,
    reader: &Reader<'_>,
    body: Value,
) -> WavefrontResult<Vec<User>> {
    let emails = string_list(body, Email::parse)?;
    if emails.is_empty() {
        return Err(DomainError::invalid("body", "must name at least one user").into());
    }
    super::users_by_email(state, reader, &emails).await
}

async fn model(
    state: &AppState,
    reader: &Reader<'_>,
    user: User,
) -> WavefrontResult<Json<UserModel>> {
    let mut models = models(state, reader, vec![user]).await?;
    Ok(Json(models.swap_remove(0)))
}

async fn models(
    state: &AppState,
    reader: &Reader<'_>,
    users: Vec<User>,
) -> Result<Vec<UserModel>, WavefrontError> {
    let customer = reader.tenant().slug.clone();
    let access = state.directory.users_access(reader, users).await?;
    Ok(access
        .iter()
        .map(|access| UserModel::of(access, &customer))
        .collect())
}
