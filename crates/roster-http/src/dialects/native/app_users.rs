//! `/v2` application user endpoints, among them the seed's `PATCH
//! /v2/application/{appId}/user/{userId}`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use roster_core::command::{AppUserUpdate, NewAppUser};
use roster_core::directory::AppUserFieldNames;
use roster_core::id::{ApplicationId, LicenseId, UserId};
use roster_core::model::AppUserDetail;
use roster_core::query::{AppUserFilter, AppUserScope};
use roster_core::values::{AppStatus, Email, Name, OptimizationInclusion};
use roster_core::FieldErrors;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::NativeCaller;
use super::error::{ErrorBody, NativeError, NativeResult};
use super::extract::{parse_path_id, NativeJson, PathId, PathIds};
use super::listing::{read_query, ListBody, ListPage};
use crate::etag::{if_match, versioned};
use crate::json_fields::JsonFields;
use crate::schema::{
    AccountTypeSchema, AppStatusSchema, OptimizationInclusionSchema, UserStatusSchema,
};
use crate::AppState;

const FIELD_NAMES: AppUserFieldNames = AppUserFieldNames {
    user_email: "user_email",
    licenses: "assign_licenses",
};

/// A user's use of an application, with the user and the application it joins.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppUserView {
    pub app_id: String,
    pub app_name: String,
    pub user_id: String,
    pub user_name: String,
    pub user_email: String,
    #[schema(value_type = UserStatusSchema)]
    pub user_status: &'static str,
    pub user_archive: bool,
    #[schema(value_type = AccountTypeSchema)]
    pub user_account_type: &'static str,
    pub user_designation: Option<String>,
    pub user_app_role: Option<String>,
    #[schema(value_type = AppStatusSchema)]
    pub user_app_status: &'static str,
    pub user_app_archive: bool,
    #[schema(value_type = OptimizationInclusionSchema)]
    pub optimization_inclusion: &'static str,
    /// The ids of the licenses held, sorted.
    pub licenses: Vec<String>,
    /// When the user last used the application; null if never.
    pub user_app_last_used: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows with every change; also sent as the `ETag` header.
    pub version: i64,
}

impl From<&AppUserDetail> for AppUserView {
    fn from(detail: &AppUserDetail) -> Self {
        let app_user = &detail.app_user;
        Self {
            app_id: app_user.app_id.to_string(),
            app_name: detail.app_name.to_string(),
            user_id: app_user.user_id.to_string(),
            user_name: detail.user_name.to_string(),
            user_email: detail.user_email.to_string(),
            user_status: detail.user_status.as_str(),
            user_archive: detail.user_archived,
            user_account_type: detail.user_account_type.as_str(),
            user_designation: detail.user_designation.clone(),
            user_app_role: app_user.role.clone(),
            user_app_status: app_user.status.as_str(),
            user_app_archive: app_user.archived,
            optimization_inclusion: app_user.optimization_inclusion.as_str(),
            licenses: app_user.licenses.iter().map(ToString::to_string).collect(),
            user_app_last_used: app_user.last_used_at,
            created_at: app_user.created_at,
            updated_at: app_user.updated_at,
            version: app_user.version,
        }
    }
}

fn app_user_response(status: StatusCode, detail: &AppUserDetail) -> Response {
    versioned(status, AppUserView::from(detail), detail.app_user.version)
}

/// The seed's five fields, each optional.
fn read_update(fields: &mut JsonFields<'_>) -> AppUserUpdate {
    AppUserUpdate {
        role: fields.patch("user_app_role", |text| {
            Name::parse(text).map(|role| role.as_str().to_owned())
        }),
        optimization_inclusion: fields.set("optimization_inclusion", OptimizationInclusion::parse),
        archived: fields.bool("user_app_archive"),
        licenses: fields.string_array("assign_licenses", LicenseId::parse),
        status: fields.set("user_app_status", AppStatus::parse),
    }
}

/// Update an application user (partial) — the seed endpoint.
///
/// Only the fields present change: `user_app_role` (a non-blank string of at most 256
/// characters, or null to clear),
/// `optimization_inclusion` (exactly one of the four strings), `user_app_archive` (boolean),
/// `assign_licenses` and `user_app_status` (`active` or `inactive`). **`assign_licenses` sets the
/// application user's licenses to exactly the list given** (`[]` removes them all): every entry
/// must be a valid ObjectId (a bad entry is named with its index, `assign_licenses[2]`), a license
/// of *this* application, and listed once; a license newly assigned needs a free seat (409 naming
/// it). Seats are counted under a lock on the licenses, so concurrent assignments never overbook.
/// `appId` and `userId` must be valid ObjectIds (400), and the application, the user and their
/// association must exist in the tenant (404). Wrong types, malformed JSON and unknown fields are
/// 400, all failing fields at once; nothing is written unless everything is valid. With
/// `If-Match`, the update only happens if the version is still the one given (412). Audited.
#[utoipa::path(patch, path = "/v2/application/{appId}/user/{userId}", tag = "application users",
    params(
        ("appId" = String, Path, description = "The application's id (ObjectId)"),
        ("userId" = String, Path, description = "The user's id (ObjectId)"),
        ("If-Match" = Option<String>, Header, description = "Update only if the ETag is still this"),
    ),
    request_body = AppUserUpdateBody,
    responses(
        (status = 200, description = "The whole updated application user", body = AppUserView, headers(("ETag" = String))),
        (status = 400, description = "Invalid fields, all listed; nothing was written", body = ErrorBody),
        (status = 401, description = "Missing or unknown API key", body = ErrorBody),
        (status = 403, description = "The API key may only read", body = ErrorBody),
        (status = 404, description = "No such application, user, or application user in this tenant", body = ErrorBody),
        (status = 409, description = "A license has no free seat", body = ErrorBody),
        (status = 412, description = "The application user changed since the given ETag", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn update_app_user(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathIds(app_id, user_id): PathIds,
    headers: HeaderMap,
    NativeJson(body): NativeJson,
) -> NativeResult<Response> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let app = parse_path_id(&app_id, "appId", ApplicationId::parse, &mut errors);
    let user = parse_path_id(&user_id, "userId", UserId::parse, &mut errors);
    let mut update = AppUserUpdate::default();
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        update = read_update(&mut fields);
        fields.deny_unknown();
    }
    let (Some(app), Some(user)) = (app, user) else {
        return Err(errors.into());
    };
    let detail = state
        .directory
        .update_app_user(
            &writer,
            (&app, &user),
            update,
            if_match(&headers),
            &FIELD_NAMES,
            errors,
        )
        .await?;
    Ok(app_user_response(StatusCode::OK, &detail))
}

/// Get an application user.
#[utoipa::path(get, path = "/v2/application/{appId}/user/{userId}", tag = "application users",
    params(
        ("appId" = String, Path, description = "The application's id (ObjectId)"),
        ("userId" = String, Path, description = "The user's id (ObjectId)"),
    ),
    responses(
        (status = 200, body = AppUserView, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn get_app_user(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathIds(app_id, user_id): PathIds,
) -> NativeResult<Response> {
    let mut errors = FieldErrors::new();
    let app = parse_path_id(&app_id, "appId", ApplicationId::parse, &mut errors);
    let user = parse_path_id(&user_id, "userId", UserId::parse, &mut errors);
    let (Some(app), Some(user)) = (app, user) else {
        return Err(errors.into());
    };
    let detail = state
        .directory
        .app_user(&caller.reader(), &app, &user)
        .await?;
    Ok(app_user_response(StatusCode::OK, &detail))
}

/// Add a user to an application.
///
/// `user_email` (required) names a user of this tenant (400 if none has it; 409 if already a user
/// of the application). The seed's fields may be given too; `assign_licenses` follows the same
/// rules as in the update.
#[utoipa::path(post, path = "/v2/application/{appId}/add-user", tag = "application users",
    params(("appId" = String, Path, description = "The application's id (ObjectId)")),
    request_body = AppUserCreateBody,
    responses(
        (status = 201, description = "The new application user", body = AppUserView, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such application", body = ErrorBody),
        (status = 409, description = "Already a user of the application, or a license has no free seat", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn add_app_user(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(app_id): PathId,
    NativeJson(body): NativeJson,
) -> NativeResult<Response> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let app = parse_path_id(&app_id, "appId", ApplicationId::parse, &mut errors);
    let mut new = None;
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        let email = fields.required("user_email", Email::parse);
        let rest = read_update(&mut fields);
        fields.deny_unknown();
        new = email.map(|email| NewAppUser { email, rest });
    }
    let (Some(app), Some(new)) = (app, new) else {
        return Err(errors.into());
    };
    let detail = state
        .directory
        .add_app_user(&writer, &app, new, &FIELD_NAMES, errors)
        .await?;
    Ok(app_user_response(StatusCode::CREATED, &detail))
}

/// List an application's users, paged, filtered, sorted and searched.
///
/// `filter_by` fields: `user_app_status`, `licenses` (holds any of them), `license_mapped`
/// (holds any license), `user_app_role`, `user_status`, `user_archive`, `user_app_archive`,
/// `user_app_last_used` (RFC 3339 times with `field_order` `gt|gte|lt|lte|eq`, one per value, e.g.
/// `["gte","lte"]` for a range; never-used matches no bound), `user_account_type`, `dept_id`,
/// `user_designation`. `sort_by` keys: `user_name`, `user_email`, `app_name`,
/// `user_app_last_used`, `created_at`. `search_query` matches user names and emails.
#[utoipa::path(post, path = "/v2/applications/{appId}/users", tag = "application users",
    params(("appId" = String, Path, description = "The application's id (ObjectId)")),
    request_body = ListBody,
    responses(
        (status = 200, body = ListPage<AppUserView>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn list_app_users(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(app_id): PathId,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ListPage<AppUserView>>> {
    let mut errors = FieldErrors::new();
    let app = parse_path_id(&app_id, "appId", ApplicationId::parse, &mut errors);
    list(&state, &caller, app.map(AppUserScope::App), body, errors).await
}

/// List a user's applications (their application users), with the same body as an application's
/// users; here `search_query` matches application names.
#[utoipa::path(post, path = "/v2/users/{userId}/applications", tag = "application users",
    params(("userId" = String, Path, description = "The user's id (ObjectId)")),
    request_body = ListBody,
    responses(
        (status = 200, body = ListPage<AppUserView>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn list_user_apps(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(user_id): PathId,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ListPage<AppUserView>>> {
    let mut errors = FieldErrors::new();
    let user = parse_path_id(&user_id, "userId", UserId::parse, &mut errors);
    list(&state, &caller, user.map(AppUserScope::User), body, errors).await
}

/// In an application's list, a search looks at the users; in a user's list, at the applications.
fn search_within(scope: &AppUserScope, filter: AppUserFilter) -> AppUserFilter {
    match (scope, filter) {
        (AppUserScope::User(_), AppUserFilter::Search(terms)) => AppUserFilter::AppSearch(terms),
        (_, filter) => filter,
    }
}

async fn list(
    state: &AppState,
    caller: &roster_core::Caller,
    scope: Option<AppUserScope>,
    body: serde_json::Value,
    mut errors: FieldErrors,
) -> NativeResult<Json<ListPage<AppUserView>>> {
    let mut query = read_query::<AppUserFilter>(body, &mut errors);
    errors.into_result()?;
    let scope = scope.ok_or_else(|| NativeError::from(FieldErrors::new()))?;
    for condition in &mut query.conditions {
        let filter = std::mem::replace(&mut condition.filter, AppUserFilter::Search(Vec::new()));
        condition.filter = search_within(&scope, filter);
    }
    let page = state
        .directory
        .list_app_users(&caller.reader(), &scope, &query)
        .await?;
    Ok(Json(ListPage::from_page(page, |detail| {
        AppUserView::from(detail)
    })))
}

/// The body of `PATCH /v2/application/{appId}/user/{userId}`: every field optional; absent fields
/// are untouched. Unknown fields are refused.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct AppUserUpdateBody {
    /// The user's role within the application (non-blank, at most 256 characters); null clears it.
    user_app_role: Option<String>,
    /// Which optimizations may consider this application user.
    #[schema(nullable = false)]
    optimization_inclusion: Option<OptimizationInclusionSchema>,
    /// Whether the association is archived.
    #[schema(nullable = false)]
    user_app_archive: Option<bool>,
    /// License ids (ObjectIds) of this application. Sets the licenses to exactly this list;
    /// `[]` removes all.
    #[schema(nullable = false)]
    assign_licenses: Option<Vec<String>>,
    #[schema(nullable = false)]
    user_app_status: Option<AppStatusSchema>,
}

/// The body of `POST /v2/application/{appId}/add-user`.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct AppUserCreateBody {
    /// Required: the email of a user of this tenant.
    user_email: String,
    user_app_role: Option<String>,
    /// Default `include for all optimizations`.
    #[schema(nullable = false)]
    optimization_inclusion: Option<OptimizationInclusionSchema>,
    #[schema(nullable = false)]
    user_app_archive: Option<bool>,
    /// License ids of this application; each needs a free seat.
    #[schema(nullable = false)]
    assign_licenses: Option<Vec<String>>,
    /// Default `active`.
    #[schema(nullable = false)]
    user_app_status: Option<AppStatusSchema>,
}
