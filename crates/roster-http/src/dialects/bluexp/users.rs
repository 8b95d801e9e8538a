//! BlueXP's (NetApp Cloud Manager's) users at `/occm/api/users` (seed-apis.md §2.2), with the
//! seed's `PUT /users/{userId}`, and the current user at `/occm/api/auth/current-user`.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use roster_core::command::{NewUser, SetChange, UserFieldNames, UserUpdate};
use roster_core::credential::CredentialHash;
use roster_core::id::{ApplicationId, UserId};
use roster_core::model::User;
use roster_core::{DomainError, FieldErrors, Patch, Reader};

use super::error::{BlueXpResult, ErrorBody};
use super::extract::{BlueXpCaller, BlueXpJson, UserPath};
use super::model::UserModel;
use super::requests::{
    read_add_user, read_create, read_update, AddUserRequest, CreateUserRequest, GrantRevokeRequest,
    ResetPasswordRequest, UpdateUserRequest,
};
use crate::json_fields::JsonFields;
use crate::AppState;

/// How BlueXP names the fields a user command can fail on.
const FIELD_NAMES: UserFieldNames = UserFieldNames {
    email: "email",
    roles: "roleId",
    ..UserFieldNames::all("body")
};

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
    Ok(Json(models(&state, &reader, users).await?))
}

/// Create a user with a role. Answers 200 with the new user (BlueXP documents no other status).
/// The AWS fields (`accessKey`, `secretKey`, `s3Bucket`) are stored but, as in BlueXP's model,
/// never returned; secrets are kept only as hashes.
#[utoipa::path(post, path = "/occm/api/users", tag = "bluexp users",
    request_body = CreateUserRequest,
    responses((status = 200, body = UserModel), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_user(
    State(state): State<AppState>,
    BlueXpCaller(caller): BlueXpCaller,
    BlueXpJson(body): BlueXpJson,
) -> BlueXpResult<Json<UserModel>> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let new = read_create(body, &writer.tenant().slug, &mut errors);
    let Some(new) = new else {
        return Err(errors.into());
    };
    let user = state
        .directory
        .create_user(&writer, new, &FIELD_NAMES, errors)
        .await?;
    Ok(Json(one(&state, &writer.reader(), user).await?))
}

/// Add a Cloud Central user to the Console by email, with a role: a user with that email gets the
/// role (beside any they hold); otherwise the user is created, named by the email's local part.
#[utoipa::path(post, path = "/occm/api/users/add-user", tag = "bluexp users",
    request_body = AddUserRequest,
    responses((status = 200, body = UserModel), (status = 400, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add_user(
    State(state): State<AppState>,
    BlueXpCaller(caller): BlueXpCaller,
    BlueXpJson(body): BlueXpJson,
) -> BlueXpResult<Json<UserModel>> {
    let writer = caller.writer()?;
    let reader = writer.reader();
    let mut errors = FieldErrors::new();
    let Some((email, role)) = read_add_user(body, &writer.tenant().slug, &mut errors) else {
        return Err(errors.into());
    };
    let roles = SetChange::Add(BTreeSet::from([role]));
    let user = match state
        .directory
        .user_id_by_email(&reader, email.as_str())
        .await
    {
        Ok(id) => {
            let update = UserUpdate {
                roles,
                ..UserUpdate::default()
            };
            state
                .directory
                .update_user(&writer, &id, update, None, &FIELD_NAMES, errors)
                .await?
        }
        Err(DomainError::NotFound { .. }) => {
            let rest = UserUpdate {
                roles,
                ..UserUpdate::default()
            };
            let new = NewUser::from_email(email, rest);
            state
                .directory
                .create_user(&writer, new, &FIELD_NAMES, errors)
                .await?
        }
        Err(error) => return Err(error.into()),
    };
    Ok(Json(one(&state, &reader, user).await?))
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
    let user = state.directory.user(&reader, &id).await?;
    Ok(Json(one(&state, &reader, user).await?))
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
    Ok(Json(one(&state, &writer.reader(), user).await?))
}

/// Delete a user from the directory.
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
    state.directory.delete_user(&writer, &id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a user from the Console without deleting them from the directory: in one transaction
/// they lose their roles and every working environment (their seats are freed) and become
/// `inactive`, which every other API shows.
#[utoipa::path(delete, path = "/occm/api/users/{userId}/remove-user", tag = "bluexp users",
    params(("userId" = String, Path, description = "The user's publicId")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove_user(
    State(state): State<AppState>,
    BlueXpCaller(caller): BlueXpCaller,
    UserPath(id): UserPath,
) -> BlueXpResult<StatusCode> {
    let writer = caller.writer()?;
    state
        .directory
        .remove_user_access(&writer, &id, &FIELD_NAMES)
        .await?;
    Ok(StatusCode::NO_CONTENT)
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
    let user = state.directory.user(&reader, &id).await?;
    Ok(Json(one(&state, &reader, user).await?))
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
        update.credential = fields
            .required("password", CredentialHash::from_secret)
            .map_or(Patch::Unchanged, Patch::Set);
    }
    state
        .directory
        .update_user(&writer, &id, update, None, &FIELD_NAMES, errors)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The user the API key acts for (keys are bound to a user with `roster key create --user`).
/// A key bound to no one (or to a user since deleted) answers 404.
#[utoipa::path(get, path = "/occm/api/auth/current-user", tag = "bluexp users",
    responses((status = 200, body = UserModel), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn current_user(
    State(state): State<AppState>,
    BlueXpCaller(caller): BlueXpCaller,
) -> BlueXpResult<Json<UserModel>> {
    let reader = caller.reader();
    let id: UserId = reader
        .user_id()
        .cloned()
        .ok_or(DomainError::not_found("API key's user"))?;
    let user = state.directory.user(&reader, &id).await?;
    Ok(Json(one(&state, &reader, user).await?))
}

fn set_of<T: Ord>(list: Option<Vec<T>>) -> BTreeSet<T> {
    list.unwrap_or_default().into_iter().collect()
}

async fn one(state: &AppState, reader: &Reader<'_>, user: User) -> BlueXpResult<UserModel> {
    let mut found = models(state, reader, vec![user]).await?;
    Ok(found.swap_remove(0))
}

/// The models of `users`, reading their access and workspaces for the whole batch at once.
async fn models(
    state: &AppState,
    reader: &Reader<'_>,
    users: Vec<User>,
) -> BlueXpResult<Vec<UserModel>> {
    let ids: Vec<UserId> = users.iter().map(|user| user.id.clone()).collect();
    let workspaces = state.directory.workspaces(reader, &ids).await?;
    let access = state.directory.users_access(reader, users).await?;
    let slug = &reader.tenant().slug;
    Ok(access
        .into_iter()
        .zip(workspaces)
        .map(|(access, workspace)| UserModel::new(access, workspace, slug))
        .collect())
}
