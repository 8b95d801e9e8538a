//! `/v2` application endpoints: create, read, list, update, delete.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use roster_core::command::{ApplicationUpdate, NewApplication};
use roster_core::directory::AppFieldNames;
use roster_core::id::{ApplicationId, UserId};
use roster_core::model::Application;
use roster_core::money::Amount;
use roster_core::query::AppFilter;
use roster_core::values::{AppStatus, AppType, Name};
use roster_core::FieldErrors;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::NativeCaller;
use super::created;
use super::error::{ErrorBody, NativeResult};
use super::extract::{parse_path_id, path_id, NativeJson, PathId};
use super::listing::{read_query, ListBody, ListPage};
use super::user_wire::{read_custom_fields, CustomFieldValueBody, CustomFieldValueView};
use crate::etag::{if_match, versioned};
use crate::json_fields::JsonFields;
use crate::schema::{AppStatusSchema, AppTypeSchema};
use crate::AppState;

const FIELD_NAMES: AppFieldNames = AppFieldNames {
    name: "app_name",
    owner: "app_owner_id",
    technical_owner: "app_technical_owner_id",
    financial_owner: "app_financial_owner_id",
    custom_fields: "app_custom_fields",
};

/// An application as the native API answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationView {
    pub app_id: String,
    pub app_name: String,
    #[schema(value_type = AppTypeSchema)]
    pub app_type: &'static str,
    #[schema(value_type = AppStatusSchema)]
    pub app_status: &'static str,
    pub app_owner_id: Option<String>,
    pub app_technical_owner_id: Option<String>,
    pub app_financial_owner_id: Option<String>,
    pub app_tags: Vec<String>,
    /// Monthly budget.
    pub app_budget: Option<f64>,
    pub archive: bool,
    pub app_custom_fields: Vec<CustomFieldValueView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows with every change; also sent as the `ETag` header.
    pub version: i64,
}

impl From<&Application> for ApplicationView {
    fn from(app: &Application) -> Self {
        Self {
            app_id: app.id.to_string(),
            app_name: app.name.to_string(),
            app_type: app.app_type.as_str(),
            app_status: app.status.as_str(),
            app_owner_id: app.owner_id.as_ref().map(ToString::to_string),
            app_technical_owner_id: app.technical_owner_id.as_ref().map(ToString::to_string),
            app_financial_owner_id: app.financial_owner_id.as_ref().map(ToString::to_string),
            app_tags: app.tags.clone(),
            app_budget: app.budget.map(Amount::to_f64),
            archive: app.archived,
            app_custom_fields: app
                .custom_values
                .iter()
                .map(CustomFieldValueView::from)
                .collect(),
            created_at: app.created_at,
            updated_at: app.updated_at,
            version: app.version,
        }
    }
}

fn app_response(status: StatusCode, app: &Application) -> Response {
    versioned(status, ApplicationView::from(app), app.version)
}

/// The fields create and update share.
fn read_common(fields: &mut JsonFields<'_>) -> ApplicationUpdate {
    ApplicationUpdate {
        app_type: fields.set("app_type", AppType::parse),
        status: fields.set("app_status", AppStatus::parse),
        owner: fields.patch("app_owner_id", UserId::parse),
        technical_owner: fields.patch("app_technical_owner_id", UserId::parse),
        financial_owner: fields.patch("app_financial_owner_id", UserId::parse),
        tags: fields
            .string_array("app_tags", Name::parse)
            .map(|tags| tags.iter().map(|tag| tag.as_str().to_owned()).collect()),
        budget: fields.number("app_budget", Amount::parse),
        archived: fields.bool("archive"),
        custom_values: read_custom_fields(fields, "app_custom_fields", &["custom_field_name"]),
        ..ApplicationUpdate::default()
    }
}

/// Create an application.
///
/// `app_name` is required and unique in the tenant regardless of case (409). `app_type` defaults
/// to `application`, `app_status` to `active`. Owners are ObjectIds of users of this tenant;
/// custom values must fit application custom fields.
#[utoipa::path(post, path = "/v2/add-application", tag = "applications",
    request_body = ApplicationCreateBody,
    responses(
        (status = 201, description = "The new application", body = ApplicationView, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Invalid fields, all listed", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn create_application(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Response> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let mut new = None;
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        let name = fields.required("app_name", Name::parse);
        let rest = read_common(&mut fields);
        fields.deny_unknown();
        new = name.map(|name| NewApplication { name, rest });
    }
    let Some(new) = new else {
        return Err(errors.into());
    };
    let app = state
        .directory
        .create_application(&writer, new, &FIELD_NAMES, errors)
        .await?;
    Ok(created(
        app_response(StatusCode::CREATED, &app),
        &format!("/v2/application/{}", app.id),
    ))
}

/// Get an application.
#[utoipa::path(get, path = "/v2/application/{appId}", tag = "applications",
    params(("appId" = String, Path, description = "The application's id (ObjectId)")),
    responses(
        (status = 200, body = ApplicationView, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn get_application(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(app_id): PathId,
) -> NativeResult<Response> {
    let id = path_id(&app_id, "appId", ApplicationId::parse)?;
    let app = state.directory.application(&caller.reader(), &id).await?;
    Ok(app_response(StatusCode::OK, &app))
}

/// Update an application (partial).
///
/// Only the fields present change; `null` clears an owner or the budget. `app_tags` replaces the
/// tags; `app_custom_fields` sets or removes (`field_value: null`) only the fields it lists.
/// Unknown fields are refused; every failing field is reported at once and nothing is written
/// unless all are valid. `If-Match` makes the update conditional (412). Audited.
#[utoipa::path(patch, path = "/v2/application/{appId}", tag = "applications",
    params(
        ("appId" = String, Path, description = "The application's id (ObjectId)"),
        ("If-Match" = Option<String>, Header, description = "Update only if the ETag is still this"),
    ),
    request_body = ApplicationUpdateBody,
    responses(
        (status = 200, description = "The whole updated application", body = ApplicationView, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 412, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn update_application(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(app_id): PathId,
    headers: HeaderMap,
    NativeJson(body): NativeJson,
) -> NativeResult<Response> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let id = parse_path_id(&app_id, "appId", ApplicationId::parse, &mut errors);
    let mut update = ApplicationUpdate::default();
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        update = read_common(&mut fields);
        update.name = fields.set("app_name", Name::parse);
        fields.deny_unknown();
    }
    let Some(id) = id else {
        return Err(errors.into());
    };
    let app = state
        .directory
        .update_application(
            &writer,
            &id,
            update,
            if_match(&headers),
            &FIELD_NAMES,
            errors,
        )
        .await?;
    Ok(app_response(StatusCode::OK, &app))
}

/// Delete an application, with its licenses and application users.
#[utoipa::path(delete, path = "/v2/application/{appId}", tag = "applications",
    params(("appId" = String, Path, description = "The application's id (ObjectId)")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn delete_application(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(app_id): PathId,
) -> NativeResult<StatusCode> {
    let writer = caller.writer()?;
    let id = path_id(&app_id, "appId", ApplicationId::parse)?;
    state.directory.delete_application(&writer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// List applications, paged, filtered, sorted and searched.
///
/// `filter_by` fields: `app_id`, `app_status`, `app_type`, `archive`, `app_owner_id` (any of the
/// three owners), `app_tags` (has any of them). `sort_by` keys: `app_id`, `app_name`, `app_status`,
/// `created_at`, `updated_at`. `search_query` matches names.
#[utoipa::path(post, path = "/v2/applications", tag = "applications",
    request_body = ListBody,
    responses(
        (status = 200, description = "One page of applications", body = ListPage<ApplicationView>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn list_applications(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ListPage<ApplicationView>>> {
    let mut errors = FieldErrors::new();
    let query = read_query::<AppFilter>(body, &mut errors);
    errors.into_result()?;
    let page = state
        .directory
        .list_applications(&caller.reader(), &query)
        .await?;
    Ok(Json(ListPage::from_page(page, |app| {
        ApplicationView::from(app)
    })))
}

/// The body of `POST /v2/add-application`.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct ApplicationCreateBody {
    /// Required; unique in the tenant regardless of case.
    app_name: String,
    /// Default `application`.
    #[schema(nullable = false)]
    app_type: Option<AppTypeSchema>,
    /// Default `active`.
    #[schema(nullable = false)]
    app_status: Option<AppStatusSchema>,
    /// ObjectId of a user of this tenant.
    app_owner_id: Option<String>,
    app_technical_owner_id: Option<String>,
    app_financial_owner_id: Option<String>,
    #[schema(nullable = false)]
    app_tags: Option<Vec<String>>,
    /// Monthly budget, a non-negative number.
    app_budget: Option<f64>,
    #[schema(nullable = false)]
    archive: Option<bool>,
    #[schema(nullable = false)]
    app_custom_fields: Option<Vec<CustomFieldValueBody>>,
}

/// The body of `PATCH /v2/application/{appId}`: every field optional; absent fields are untouched.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct ApplicationUpdateBody {
    #[schema(nullable = false)]
    app_name: Option<String>,
    #[schema(nullable = false)]
    app_type: Option<AppTypeSchema>,
    #[schema(nullable = false)]
    app_status: Option<AppStatusSchema>,
    /// ObjectId of a user of this tenant, or null.
    app_owner_id: Option<String>,
    app_technical_owner_id: Option<String>,
    app_financial_owner_id: Option<String>,
    /// Replaces the tags.
    #[schema(nullable = false)]
    app_tags: Option<Vec<String>>,
    /// Monthly budget, or null.
    app_budget: Option<f64>,
    #[schema(nullable = false)]
    archive: Option<bool>,
    /// Values to set; a `field_value` of null removes it; `custom_field_name` is accepted and
    /// ignored. Fields not listed keep their values.
    #[schema(nullable = false)]
    app_custom_fields: Option<Vec<CustomFieldValueBody>>,
}
