//! `/v2` user endpoints: create, read, list, update (the seed endpoint), delete, ids by email.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use roster_core::id::UserId;
use roster_core::query::UserFilter;
use roster_core::FieldErrors;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::NativeCaller;
use super::created;
use super::error::{ErrorBody, NativeResult};
use super::extract::{parse_path_id, path_id, NativeJson, PathId};
use super::listing::{read_query, ListBody, ListPage};
use super::user_wire::{
    read_create, read_update, UserCreateBody, UserUpdateBody, UserView, FIELD_NAMES,
};
use crate::etag::{if_match, versioned};
use crate::json_fields::JsonFields;
use crate::AppState;

fn user_response(status: StatusCode, user: &roster_core::model::User) -> Response {
    versioned(status, UserView::from(user), user.version)
}

/// Create a user.
///
/// `user_name` and `user_email` are required; the email must be unique in the tenant regardless of
/// case. The manager may be named by id or by email.
#[utoipa::path(post, path = "/v2/add-user", tag = "users",
    request_body = UserCreateBody,
    responses(
        (status = 201, description = "The new user", body = UserView, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Invalid fields, all listed", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "The email is taken", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn create_user(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Response> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let Some(new) = read_create(body, &mut errors) else {
        return Err(errors.into());
    };
    let user = state
        .directory
        .create_user(&writer, new, &FIELD_NAMES, errors)
        .await?;
    Ok(created(
        user_response(StatusCode::CREATED, &user),
        &format!("/v2/user/{}", user.id),
    ))
}

/// Get a user.
#[utoipa::path(get, path = "/v2/user/{userId}", tag = "users",
    params(("userId" = String, Path, description = "The user's id (ObjectId)")),
    responses(
        (status = 200, description = "The user", body = UserView, headers(("ETag" = String))),
        (status = 400, description = "`userId` is not an ObjectId", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such user in this tenant", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn get_user(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(user_id): PathId,
) -> NativeResult<Response> {
    let id = path_id(&user_id, "userId", UserId::parse)?;
    let user = state.directory.user(&caller.reader(), &id).await?;
    Ok(user_response(StatusCode::OK, &user))
}

/// Update a user (partial).
///
/// Only the fields present change; `null` clears an optional field. Every id must be a valid
/// ObjectId of this tenant; emails must be valid, and `user_email` unique (409); enums take exactly
/// their listed values; a manager is never the user itself nor below it in the chain; custom values
/// must fit their field's type; unknown fields are refused. Every failing field is reported at
/// once, and nothing is written unless all are valid. With `If-Match`, the update only happens if
/// the user's version is still the one given (else 412). Every change is audited.
#[utoipa::path(patch, path = "/v2/user/{userId}", tag = "users",
    params(
        ("userId" = String, Path, description = "The user's id (ObjectId)"),
        ("If-Match" = Option<String>, Header, description = "Update only if the user's ETag is still this"),
    ),
    request_body = UserUpdateBody,
    responses(
        (status = 200, description = "The whole updated user", body = UserView, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields, all listed; nothing was written", body = ErrorBody),
        (status = 401, description = "Missing or unknown API key", body = ErrorBody),
        (status = 403, description = "The API key may only read", body = ErrorBody),
        (status = 404, description = "No such user in this tenant", body = ErrorBody),
        (status = 409, description = "Another user has this email", body = ErrorBody),
        (status = 412, description = "The user changed since the given ETag", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn update_user(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(user_id): PathId,
    headers: HeaderMap,
    NativeJson(body): NativeJson,
) -> NativeResult<Response> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let id = parse_path_id(&user_id, "userId", UserId::parse, &mut errors);
    let update = read_update(body, &mut errors);
    let Some(id) = id else {
        return Err(errors.into());
    };
    let user = state
        .directory
        .update_user(
            &writer,
            &id,
            update,
            if_match(&headers),
            &FIELD_NAMES,
            errors,
        )
        .await?;
    Ok(user_response(StatusCode::OK, &user))
}

/// Delete a user. Their reports lose their reporting manager.
#[utoipa::path(delete, path = "/v2/user/{userId}", tag = "users",
    params(("userId" = String, Path, description = "The user's id (ObjectId)")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn delete_user(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(user_id): PathId,
) -> NativeResult<StatusCode> {
    let writer = caller.writer()?;
    let id = path_id(&user_id, "userId", UserId::parse)?;
    state.directory.delete_user(&writer, &id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// List users, paged, filtered, sorted and searched.
///
/// `filter_by` fields: `user_id`, `user_email`, `user_status`, `user_account_type`,
/// `user_department_id`, `user_designation`, `user_archive`, `optimization_inclusion` (the write
/// values or Zluri's filter labels), `user_reporting_manager_id` and `custom_fields`
/// (`field_values: {"custom_field_id": …, "custom_field_values": […]}`). `sort_by` keys:
/// `user_id`, `user_name`, `user_email`, `user_status`, `user_designation`, `created_at`,
/// `updated_at`. `search_query` matches names and emails.
#[utoipa::path(post, path = "/v2/users", tag = "users",
    request_body = ListBody,
    responses(
        (status = 200, description = "One page of users", body = ListPage<UserView>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn list_users(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ListPage<UserView>>> {
    let mut errors = FieldErrors::new();
    let query = read_query::<UserFilter>(body, &mut errors);
    errors.into_result()?;
    let page = state.directory.list_users(&caller.reader(), &query).await?;
    Ok(Json(ListPage::from_page(page, |item| UserView::from(item))))
}

/// A user found by email.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserIdView {
    pub user_id: String,
    /// The tenant's id.
    pub org_id: String,
    pub user_name: String,
    pub user_email: String,
    /// Roster keeps one email per user, so this is always empty.
    pub alternate_emails: Vec<String>,
}

#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct EmailsBody {
    /// Up to 1000 emails, compared case-insensitively.
    emails: Vec<String>,
}

/// Find users' ids by their emails. Emails that match no user are left out.
#[utoipa::path(post, path = "/v2/userIds", tag = "users",
    request_body = EmailsBody,
    responses(
        (status = 200, description = "The users found", body = Vec<UserIdView>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn user_ids(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<Vec<UserIdView>>> {
    let mut errors = FieldErrors::new();
    let mut emails = None;
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        if !fields.has("emails") {
            fields.error("emails", "is required");
        }
        emails = fields.string_array("emails", |text| Ok::<_, String>(text.trim().to_owned()));
        if emails.as_ref().is_some_and(|emails| emails.len() > 1000) {
            fields.error("emails", "at most 1000 emails at a time");
        }
        fields.deny_unknown();
    }
    errors.into_result()?;
    let users = state
        .directory
        .users_by_emails(&caller.reader(), emails.unwrap_or_default())
        .await?;
    let org_id = caller.tenant().id.to_string();
    Ok(Json(
        users
            .iter()
            .map(|user| UserIdView {
                user_id: user.id.to_string(),
                org_id: org_id.clone(),
                user_name: user.display_name.to_string(),
                user_email: user.email.to_string(),
                alternate_emails: Vec::new(),
            })
            .collect(),
    ))
}
