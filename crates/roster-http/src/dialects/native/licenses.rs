//! `/v2` license endpoints: the licenses of an application, with seats used and free.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use roster_core::command::{LicenseUpdate, NewLicense};
use roster_core::id::{ApplicationId, LicenseId};
use roster_core::model::{License, LicenseUsage};
use roster_core::money::{Amount, Currency};
use roster_core::values::Name;
use roster_core::{FieldErrors, Patch};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::NativeCaller;
use super::created;
use super::error::{ErrorBody, NativeError, NativeResult};
use super::extract::{parse_path_id, path_id, NativeJson, PathId};
use super::listing::{read_simple_list, ListBody, ListPage};
use crate::etag::{if_match, versioned};
use crate::json_fields::JsonFields;
use crate::AppState;

/// A license as the native API answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LicenseView {
    pub license_id: String,
    pub app_id: String,
    pub license_name: String,
    /// Null for unlimited.
    pub license_seats: Option<u64>,
    /// Per seat and month.
    pub license_cost_per_seat: f64,
    /// ISO 4217 code.
    pub license_currency: String,
    /// Seats assigned to application users.
    pub seats_used: u64,
    /// Null for unlimited.
    pub seats_free: Option<u64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&LicenseUsage> for LicenseView {
    fn from(usage: &LicenseUsage) -> Self {
        let license = &usage.license;
        Self {
            license_id: license.id.to_string(),
            app_id: license.app_id.to_string(),
            license_name: license.name.to_string(),
            license_seats: license.seats,
            license_cost_per_seat: license.cost_per_seat.to_f64(),
            license_currency: license.currency.to_string(),
            seats_used: usage.seats_used,
            seats_free: usage.seats_free(),
            created_at: license.created_at,
            updated_at: license.updated_at,
            version: license.version,
        }
    }
}

fn license_response(status: StatusCode, usage: &LicenseUsage) -> Response {
    versioned(status, LicenseView::from(usage), usage.license.version)
}

/// `license_seats`: a whole number of seats, or null for unlimited.
fn seats(fields: &mut JsonFields<'_>) -> Patch<u64> {
    fields.number("license_seats", |text| match text.parse::<u64>() {
        Ok(seats) if seats <= License::MAX_SEATS => Ok(seats),
        _ => Err("must be a whole number from 0 to 1000000000, or null for unlimited"),
    })
}

fn read_update(fields: &mut JsonFields<'_>) -> LicenseUpdate {
    LicenseUpdate {
        name: fields.set("license_name", Name::parse),
        seats: seats(fields),
        cost_per_seat: match fields.number("license_cost_per_seat", Amount::parse) {
            Patch::Clear => {
                fields.error("license_cost_per_seat", "must not be null");
                None
            }
            patch => patch.into_set(),
        },
        currency: fields.set("license_currency", Currency::parse),
    }
}

/// Add a license to an application.
///
/// `license_name` (unique within the application regardless of case, 409) and
/// `license_cost_per_seat` (per month, ≥ 0, at most 6 decimals) are required; `license_seats` is a
/// whole number or null/absent for unlimited; `license_currency` an ISO 4217 code, default `USD`.
#[utoipa::path(post, path = "/v2/application/{appId}/add-license", tag = "licenses",
    params(("appId" = String, Path, description = "The application's id (ObjectId)")),
    request_body = LicenseBody,
    responses(
        (status = 201, description = "The new license", body = LicenseView, headers(("ETag" = String), ("Location" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such application", body = ErrorBody),
        (status = 409, description = "The application has a license of this name", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn create_license(
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
        for required in ["license_name", "license_cost_per_seat"] {
            if !fields.has(required) {
                fields.error(required, "is required");
            }
        }
        let update = read_update(&mut fields);
        fields.deny_unknown();
        if let (Some(name), Some(cost_per_seat)) = (update.name, update.cost_per_seat) {
            new = Some(NewLicense {
                name,
                seats: update.seats.into_set(),
                cost_per_seat,
                currency: update.currency.unwrap_or_else(Currency::usd),
            });
        }
    }
    errors.into_result()?;
    let (Some(app), Some(new)) = (app, new) else {
        return Err(NativeError::from(FieldErrors::new()));
    };
    let usage = state
        .directory
        .create_license(&writer, &app, new)
        .await
        .map_err(|error| error.naming_conflict("name", "license_name"))?;
    Ok(created(
        license_response(StatusCode::CREATED, &usage),
        &format!("/v2/license/{}", usage.license.id),
    ))
}

/// List an application's licenses, with seats used and free.
///
/// Paged like every list; `search_query` is not supported here.
#[utoipa::path(post, path = "/v2/application/{appId}/licenses", tag = "licenses",
    params(("appId" = String, Path, description = "The application's id (ObjectId)")),
    request_body = ListBody,
    responses(
        (status = 200, body = ListPage<LicenseView>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn list_licenses(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(app_id): PathId,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ListPage<LicenseView>>> {
    let mut errors = FieldErrors::new();
    let app = parse_path_id(&app_id, "appId", ApplicationId::parse, &mut errors);
    let (search, page) = read_simple_list(body, &mut errors);
    if search.is_some() {
        errors.body("search_query", "licenses cannot be searched");
    }
    errors.into_result()?;
    let Some(app) = app else {
        return Err(NativeError::from(FieldErrors::new()));
    };
    let page = state
        .directory
        .licenses_of(&caller.reader(), &app, page)
        .await?;
    Ok(Json(ListPage::from_page(page, |usage| {
        LicenseView::from(usage)
    })))
}

/// Get a license, with seats used and free.
#[utoipa::path(get, path = "/v2/license/{licenseId}", tag = "licenses",
    params(("licenseId" = String, Path, description = "The license's id (ObjectId)")),
    responses(
        (status = 200, body = LicenseView, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn get_license(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(license_id): PathId,
) -> NativeResult<Response> {
    let id = path_id(&license_id, "licenseId", LicenseId::parse)?;
    let usage = state.directory.license(&caller.reader(), &id).await?;
    Ok(license_response(StatusCode::OK, &usage))
}

/// Update a license (partial).
///
/// `license_seats` cannot drop below the seats in use (409); null makes the license unlimited.
/// `If-Match` makes the update conditional (412). Audited.
#[utoipa::path(patch, path = "/v2/license/{licenseId}", tag = "licenses",
    params(
        ("licenseId" = String, Path, description = "The license's id (ObjectId)"),
        ("If-Match" = Option<String>, Header, description = "Update only if the ETag is still this"),
    ),
    request_body = LicenseBody,
    responses(
        (status = 200, body = LicenseView, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 412, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn update_license(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(license_id): PathId,
    headers: HeaderMap,
    NativeJson(body): NativeJson,
) -> NativeResult<Response> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let id = parse_path_id(&license_id, "licenseId", LicenseId::parse, &mut errors);
    let mut update = LicenseUpdate::default();
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        update = read_update(&mut fields);
        fields.deny_unknown();
    }
    errors.into_result()?;
    let Some(id) = id else {
        return Err(NativeError::from(FieldErrors::new()));
    };
    let usage = state
        .directory
        .update_license(&writer, &id, update, if_match(&headers))
        .await
        .map_err(|error| {
            error
                .naming_conflict("name", "license_name")
                .naming_conflict("seats", "license_seats")
        })?;
    Ok(license_response(StatusCode::OK, &usage))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DeleteLicenseParams {
    /// Take the license from everyone holding it first. Without it, deleting an assigned license
    /// is refused (409).
    #[serde(default)]
    unassign: bool,
}

/// Delete a license. Refused (409) while assigned, unless `?unassign=true`.
#[utoipa::path(delete, path = "/v2/license/{licenseId}", tag = "licenses",
    params(("licenseId" = String, Path, description = "The license's id (ObjectId)"), DeleteLicenseParams),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The license is assigned", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn delete_license(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(license_id): PathId,
    params: Result<Query<DeleteLicenseParams>, axum::extract::rejection::QueryRejection>,
) -> NativeResult<StatusCode> {
    let writer = caller.writer()?;
    let id = path_id(&license_id, "licenseId", LicenseId::parse)?;
    let Query(params) = params.map_err(|_| {
        let mut errors = FieldErrors::new();
        errors.push(
            "unassign",
            roster_core::Location::Query,
            "must be true or false",
        );
        NativeError::from(errors)
    })?;
    state
        .directory
        .delete_license(&writer, &id, params.unassign)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The body of add-license (name and cost required) and of update (every field optional).
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct LicenseBody {
    license_name: String,
    /// Whole seats; null for unlimited.
    license_seats: Option<u64>,
    /// Per seat and month; non-negative, at most 6 decimals.
    license_cost_per_seat: f64,
    /// ISO 4217 code; default `USD`.
    #[schema(nullable = false)]
    license_currency: Option<String>,
}
