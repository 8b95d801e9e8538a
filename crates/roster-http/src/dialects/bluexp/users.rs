//! BlueXP's (NetApp Cloud Manager's) users at `/occm/api/users` (seed-apis.md §2.2): the user
//! model of the seed, and the seed's `PUT /users/{userId}`.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use roster_core::command::{UserFieldNames, UserUpdate};
use roster_core::credential::CredentialHash;
use roster_core::id::ApplicationId;
use roster_core::model::{User, UserAccess};
use roster_core::values::{Email, Name};
use roster_core::{FieldErrors, Reader};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::error::{BlueXpResult, ErrorBody};
use super::extract::{BlueXpCaller, BlueXpJson, UserPath};
use crate::json_fields::{any_text, JsonFields};
use crate::AppState;

/// How BlueXP names the fields a user update can fail on.
const FIELD_NAMES: UserFieldNames = UserFieldNames {
    email: "email",
    ..UserFieldNames::all("body")
};

/// A system (application) the user created.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkingEnvironment {
    pub public_id: String,
    pub name: String,
    /// The application's type (`application`, `website`, …).
    pub working_environment_type: String,
}

/// The BlueXP user model.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserModel {
    /// The user's id.
    pub public_id: String,
    /// The applications where the user is an active application user.
    pub assigned_working_environments: Vec<String>,
    /// The given name ("" when the user has none).
    pub first_name: String,
    /// The family name ("" when the user has none).
    pub last_name: String,
    pub email: String,
    /// The user's first role: their first direct role by name, else the first through their
    /// groups; null when they have none.
    pub role_id: Option<String>,
    /// The tenant's slug.
    pub tenant_id: String,
    /// The applications the user owns.
    pub created_working_environments: Vec<WorkingEnvironment>,
    pub is_ldap: bool,
    pub ldap_user_name: Option<String>,
    pub notifications_opt_in: bool,
    /// The user's effective permissions: direct, through roles and through groups.
    pub permissions: Vec<String>,
}

/// The body of the seed's update: every field optional; an absent field is left as it is.
/// Writing `firstName` or `lastName` also sets the display name (the two joined by a space).
/// Unknown fields are ignored.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct UpdateUserRequest {
    /// `null` clears it.
    first_name: Option<String>,
    /// `null` clears it.
    last_name: Option<String>,
    /// Unique in the tenant regardless of case (409 if taken).
    email: Option<String>,
    /// Active Directory user name; `null` clears it.
    ldap_user_name: Option<String>,
    /// Email notifications opt-in.
    notifications_opt_in: Option<bool>,
}

/// Retrieve all users of the tenant, by email.
#[utoipa::path(get, path = "/occm/api/users", tag = "bluexp users",
    responses((status = 200, body = Vec<UserModel>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list_users(
    State(state): State<AppState>,
    BlueXpCaller(caller): BlueXpCaller,
) -> BlueXpResult<Json<Vec<UserModel>>> {
    let reader = caller.reader();
    let users = state.directory.all_users(&reader).await?;
    let mut models = Vec::with_capacity(users.len());
    for access in state.directory.users_access(&reader, users).await? {
        models.push(model(&state, &reader, access).await?);
    }
    Ok(Json(models))
}

/// Retrieve a user.
#[utoipa::path(get, path = "/occm/api/users/{userId}", tag = "bluexp users",
    params(("userId" = String, Path, description = "The user's publicId")),
    responses((status = 200, body = UserModel), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get_user(
    State(state): State<AppState>,
    BlueXpCaller(caller): BlueXpCaller,
    UserPath(id): UserPath,
) -> BlueXpResult<Json<UserModel>> {
    let reader = caller.reader();
    let access = state.directory.user_access(&reader, &id).await?;
    Ok(Json(model(&state, &reader, access).await?))
}

/// Update an existing user (the seed endpoint): a partial update of names, email, LDAP user name
/// and notifications opt-in. Nothing is written unless every field is valid.
#[utoipa::path(put, path = "/occm/api/users/{userId}", tag = "bluexp users",
    params(("userId" = String, Path, description = "The user's publicId")),
    request_body = UpdateUserRequest,
    responses((status = 200, body = UserModel), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update_user(
    State(state): State<AppState>,
    BlueXpCaller(caller): BlueXpCaller,
    UserPath(id): UserPath,
    BlueXpJson(body): BlueXpJson,
) -> BlueXpResult<Json<UserModel>> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let update = read_update(body, &mut errors);
    let user = state
        .directory
        .update_user(&writer, &id, update, None, &FIELD_NAMES, errors)
        .await?;
    let reader = writer.reader();
    let mut access = state.directory.users_access(&reader, vec![user]).await?;
    Ok(Json(model(&state, &reader, access.swap_remove(0)).await?))
}

/// Delete a user.
#[utoipa::path(delete, path = "/occm/api/users/{userId}", tag = "bluexp users",
    params(("userId" = String, Path, description = "The user's publicId")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete_user(
    State(state): State<AppState>,
    BlueXpCaller(caller): BlueXpCaller,
    UserPath(id): UserPath,
) -> BlueXpResult<StatusCode> {
    let writer = caller.writer()?;
    state.directory.delete_user(&writer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The body of grant/revoke: application ids (`publicId`s of working environments).
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct GrantRevokeRequest {
    /// Applications the user gets: they become an active application user.
    add_working_environments: Vec<String>,
    /// Applications the user loses: they become an inactive application user, and the licenses
    /// they held there are freed.
    remove_working_environments: Vec<String>,
}

/// The body of a password reset.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct ResetPasswordRequest {
    /// Stored only as an argon2 hash; never returned.
    password: String,
}

/// Grant and revoke a user's systems (working environments are applications), in one transaction.
#[utoipa::path(post, path = "/occm/api/users/{userId}/working-environments-grant-revoke", tag = "bluexp users",
    params(("userId" = String, Path, description = "The user's publicId")),
    request_body = GrantRevokeRequest,
    responses((status = 200, description = "The user after the change", body = UserModel), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn grant_revoke_working_environments(
    State(state): State<AppState>,
    BlueXpCaller(caller): BlueXpCaller,
    UserPath(id): UserPath,
    BlueXpJson(body): BlueXpJson,
) -> BlueXpResult<Json<UserModel>> {
    const GRANT: &str = "addWorkingEnvironments";
    const REVOKE: &str = "removeWorkingEnvironments";
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let (mut grant, mut revoke) = (BTreeSet::new(), BTreeSet::new());
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        grant = set_of(fields.string_array(GRANT, ApplicationId::parse));
        revoke = set_of(fields.string_array(REVOKE, ApplicationId::parse));
    }
    errors.into_result()?;
    state
        .directory
        .change_workspace(&writer, &id, &grant, &revoke, (GRANT, REVOKE))
        .await?;
    let reader = writer.reader();
    let access = state.directory.user_access(&reader, &id).await?;
    Ok(Json(model(&state, &reader, access).await?))
}

/// Reset a user's password.
#[utoipa::path(put, path = "/occm/api/users/{userId}/reset-password", tag = "bluexp users",
    params(("userId" = String, Path, description = "The user's publicId")),
    request_body = ResetPasswordRequest,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reset_password(
    State(state): State<AppState>,
    BlueXpCaller(caller): BlueXpCaller,
    UserPath(id): UserPath,
    BlueXpJson(body): BlueXpJson,
) -> BlueXpResult<StatusCode> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let mut update = UserUpdate::default();
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        update.credential = fields.required("password", CredentialHash::from_secret);
    }
    state
        .directory
        .update_user(&writer, &id, update, None, &FIELD_NAMES, errors)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn set_of<T: Ord>(list: Option<Vec<T>>) -> BTreeSet<T> {
    list.unwrap_or_default().into_iter().collect()
}

/// Lowers the update body. Names must not be blank; `null` clears an optional field.
fn read_update(body: Value, errors: &mut FieldErrors) -> UserUpdate {
    let Some(mut fields) = JsonFields::of_body(body, errors) else {
        return UserUpdate::default();
    };
    let name = |text: &str| Name::parse(text).map(|name| name.to_string());
    UserUpdate {
        given_name: fields.patch("firstName", name),
        family_name: fields.patch("lastName", name),
        email: fields.set("email", Email::parse),
        ldap_user_name: fields.patch("ldapUserName", any_text),
        notifications_opt_in: fields.bool("notificationsOptIn"),
        ..UserUpdate::default()
    }
}

async fn model(
    state: &AppState,
    reader: &Reader<'_>,
    access: UserAccess,
) -> BlueXpResult<UserModel> {
    let workspace = state.directory.workspace(reader, &access.user.id).await?;
    let permissions = access
        .effective_permissions()
        .into_iter()
        .map(|permission| permission.to_string())
        .collect();
    let role_id = access
        .roles
        .iter()
        .chain(access.groups.iter().flat_map(|group| &group.roles))
        .next()
        .map(|role| role.id.to_string());
    let user: User = access.user;
    Ok(UserModel {
        public_id: user.id.to_string(),
        assigned_working_environments: workspace.assigned.iter().map(ToString::to_string).collect(),
        first_name: user.given_name.unwrap_or_default(),
        last_name: user.family_name.unwrap_or_default(),
        email: user.email.to_string(),
        role_id,
        tenant_id: reader.tenant().slug.clone(),
        created_working_environments: workspace
            .owned
            .iter()
            .map(|app| WorkingEnvironment {
                public_id: app.id.to_string(),
                name: app.name.to_string(),
                working_environment_type: app.app_type.to_string(),
            })
            .collect(),
        is_ldap: user.is_ldap,
        ldap_user_name: user.ldap_user_name,
        notifications_opt_in: user.notifications_opt_in,
        permissions,
    })
}
