//! `/v2` department endpoints.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use roster_core::command::DepartmentUpdate;
use roster_core::id::DepartmentId;
use roster_core::model::Department;
use roster_core::values::Name;
use roster_core::FieldErrors;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::NativeCaller;
use super::error::{ErrorBody, NativeError, NativeResult};
use super::extract::{path_id, NativeJson, PathId};
use super::listing::{read_simple_list, ListBody, ListPage};
use crate::json_fields::JsonFields;
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentView {
    pub department_id: String,
    pub department_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Department> for DepartmentView {
    fn from(department: &Department) -> Self {
        Self {
            department_id: department.id.to_string(),
            department_name: department.name.clone(),
            created_at: department.created_at,
            updated_at: department.updated_at,
        }
    }
}

/// The body of create (name required) and update (name optional).
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct DepartmentBody {
    /// Unique in the tenant regardless of case (409 if taken).
    department_name: String,
}

fn read_name(body: serde_json::Value, required: bool) -> Result<Option<Name>, NativeError> {
    let mut errors = FieldErrors::new();
    let mut name = None;
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        name = if required {
            fields.required("department_name", Name::parse)
        } else {
            fields.set("department_name", Name::parse)
        };
        fields.deny_unknown();
    }
    errors.into_result()?;
    Ok(name)
}

/// Create a department.
#[utoipa::path(post, path = "/v2/add-department", tag = "departments", request_body = DepartmentBody,
    responses((status = 201, body = DepartmentView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn create_department(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<(StatusCode, Json<DepartmentView>)> {
    let writer = caller.writer()?;
    let name = read_name(body, true)?.ok_or_else(|| NativeError::from(FieldErrors::new()))?;
    let department = state
        .directory
        .create_department(&writer, name)
        .await
        .map_err(|error| error.naming_conflict("name", "department_name"))?;
    Ok((StatusCode::CREATED, Json(DepartmentView::from(&department))))
}

/// List departments.
#[utoipa::path(post, path = "/v2/departments", tag = "departments", request_body = ListBody,
    responses((status = 200, body = ListPage<DepartmentView>), (status = 400, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn list_departments(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ListPage<DepartmentView>>> {
    let mut errors = FieldErrors::new();
    let (search, page) = read_simple_list(body, &mut errors);
    errors.into_result()?;
    let page = state
        .directory
        .list_departments(&caller.reader(), search.as_deref(), page)
        .await?;
    Ok(Json(ListPage::from_page(page, |item| {
        DepartmentView::from(item)
    })))
}

/// Get a department.
#[utoipa::path(get, path = "/v2/department/{departmentId}", tag = "departments",
    params(("departmentId" = String, Path)),
    responses((status = 200, body = DepartmentView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn get_department(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(id): PathId,
) -> NativeResult<Json<DepartmentView>> {
    let department = state
        .directory
        .department(
            &caller.reader(),
            &path_id(&id, "departmentId", DepartmentId::parse)?,
        )
        .await?;
    Ok(Json(DepartmentView::from(&department)))
}

/// Rename a department.
#[utoipa::path(patch, path = "/v2/department/{departmentId}", tag = "departments",
    params(("departmentId" = String, Path)), request_body = DepartmentBody,
    responses((status = 200, body = DepartmentView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn update_department(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(id): PathId,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<DepartmentView>> {
    let writer = caller.writer()?;
    let id = path_id(&id, "departmentId", DepartmentId::parse)?;
    let update = DepartmentUpdate {
        name: read_name(body, false)?,
    };
    let department = state
        .directory
        .update_department(&writer, &id, update)
        .await
        .map_err(|error| error.naming_conflict("name", "department_name"))?;
    Ok(Json(DepartmentView::from(&department)))
}

/// Delete a department; refused (409) while users are in it.
#[utoipa::path(delete, path = "/v2/department/{departmentId}", tag = "departments",
    params(("departmentId" = String, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn delete_department(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(id): PathId,
) -> NativeResult<StatusCode> {
    let writer = caller.writer()?;
    state
        .directory
        .delete_department(&writer, &path_id(&id, "departmentId", DepartmentId::parse)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
