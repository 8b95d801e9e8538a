//! `/v2` integrations: what a user's `primary_source.org_integration_id` refers to.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use roster_core::command::IntegrationUpdate;
use roster_core::id::{IntegrationId, ObjectId};
use roster_core::model::Integration;
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
pub struct IntegrationView {
    pub org_integration_id: String,
    pub keyword: String,
    pub integration_id: String,
    pub integration_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Integration> for IntegrationView {
    fn from(integration: &Integration) -> Self {
        Self {
            org_integration_id: integration.id.to_string(),
            keyword: integration.keyword.clone(),
            integration_id: integration.integration_id.to_string(),
            integration_name: integration.name.clone(),
            created_at: integration.created_at,
            updated_at: integration.updated_at,
        }
    }
}

/// All three fields are required to create; any of them may be updated.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct IntegrationBody {
    /// e.g. `okta`.
    keyword: String,
    /// An ObjectId: the integration in the catalogue.
    integration_id: String,
    integration_name: String,
}

fn read_body(body: serde_json::Value, required: bool) -> Result<IntegrationUpdate, NativeError> {
    let mut errors = FieldErrors::new();
    let mut update = IntegrationUpdate::default();
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        if required {
            for field in ["keyword", "integration_id", "integration_name"] {
                if !fields.has(field) {
                    fields.error(field, "is required");
                }
            }
        }
        update.keyword = fields.set("keyword", Name::parse);
        update.integration_id = fields.set("integration_id", ObjectId::parse);
        update.name = fields.set("integration_name", Name::parse);
        fields.deny_unknown();
    }
    errors.into_result()?;
    Ok(update)
}

/// Connect an integration.
#[utoipa::path(post, path = "/v2/add-integration", tag = "integrations", request_body = IntegrationBody,
    responses((status = 201, body = IntegrationView), (status = 400, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn create_integration(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<(StatusCode, Json<IntegrationView>)> {
    let writer = caller.writer()?;
    let IntegrationUpdate {
        keyword: Some(keyword),
        integration_id: Some(id),
        name: Some(name),
    } = read_body(body, true)?
    else {
        return Err(FieldErrors::new().into());
    };
    let integration = state
        .directory
        .create_integration(&writer, keyword, id, name)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(IntegrationView::from(&integration)),
    ))
}

/// List integrations.
#[utoipa::path(post, path = "/v2/integrations", tag = "integrations", request_body = ListBody,
    responses((status = 200, body = ListPage<IntegrationView>), (status = 400, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn list_integrations(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ListPage<IntegrationView>>> {
    let mut errors = FieldErrors::new();
    let (search, page) = read_simple_list(body, &mut errors);
    errors.into_result()?;
    let page = state
        .directory
        .list_integrations(&caller.reader(), search.as_deref(), page)
        .await?;
    Ok(Json(ListPage::from_page(page, |item| {
        IntegrationView::from(item)
    })))
}

/// Get an integration.
#[utoipa::path(get, path = "/v2/integration/{integrationId}", tag = "integrations",
    params(("integrationId" = String, Path)),
    responses((status = 200, body = IntegrationView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn get_integration(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(id): PathId,
) -> NativeResult<Json<IntegrationView>> {
    let integration = state
        .directory
        .integration(
            &caller.reader(),
            &path_id(&id, "integrationId", IntegrationId::parse)?,
        )
        .await?;
    Ok(Json(IntegrationView::from(&integration)))
}

/// Update an integration.
#[utoipa::path(patch, path = "/v2/integration/{integrationId}", tag = "integrations",
    params(("integrationId" = String, Path)), request_body = IntegrationBody,
    responses((status = 200, body = IntegrationView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn update_integration(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(id): PathId,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<IntegrationView>> {
    let writer = caller.writer()?;
    let id = path_id(&id, "integrationId", IntegrationId::parse)?;
    let update = read_body(body, false)?;
    let integration = state
        .directory
        .update_integration(&writer, &id, update)
        .await?;
    Ok(Json(IntegrationView::from(&integration)))
}

/// Delete an integration; refused (409) while users have it as primary source.
#[utoipa::path(delete, path = "/v2/integration/{integrationId}", tag = "integrations",
    params(("integrationId" = String, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn delete_integration(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(id): PathId,
) -> NativeResult<StatusCode> {
    let writer = caller.writer()?;
    state
        .directory
        .delete_integration(
            &writer,
            &path_id(&id, "integrationId", IntegrationId::parse)?,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
