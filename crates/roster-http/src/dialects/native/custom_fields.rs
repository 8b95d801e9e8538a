//! `/v2` custom field definitions, listed grouped by entity as Zluri does.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use roster_core::command::CustomFieldUpdate;
use roster_core::directory::check_field_options;
use roster_core::id::CustomFieldId;
use roster_core::model::CustomField;
use roster_core::values::{FieldEntity, FieldType, Name};
use roster_core::FieldErrors;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::NativeCaller;
use super::error::{ErrorBody, NativeResult};
use super::extract::{path_id, NativeJson, PathId};
use crate::json_fields::{any_text, JsonFields};
use crate::schema::{FieldEntitySchema, FieldTypeSchema};
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomFieldView {
    pub field_id: String,
    pub field_name: String,
    #[schema(value_type = FieldTypeSchema)]
    pub field_type: &'static str,
    /// The allowed values of a select field; empty for other types.
    pub field_options: Vec<String>,
    #[schema(value_type = FieldEntitySchema)]
    pub entity: &'static str,
}

impl From<&CustomField> for CustomFieldView {
    fn from(field: &CustomField) -> Self {
        Self {
            field_id: field.id.to_string(),
            field_name: field.name.clone(),
            field_type: field.field_type.as_str(),
            field_options: field.options.clone(),
            entity: field.entity.as_str(),
        }
    }
}

/// Custom field definitions grouped by the entity they belong to.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomFieldGroups {
    pub users: Vec<CustomFieldView>,
    pub applications: Vec<CustomFieldView>,
}

#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct CustomFieldCreateBody {
    /// Unique among the entity's fields regardless of case (409 if taken).
    field_name: String,
    field_type: FieldTypeSchema,
    /// Required (at least one, distinct) for select fields; not allowed for the others.
    field_options: Option<Vec<String>>,
    /// `user` or `application` (`users`, `applications` accepted).
    entity: FieldEntitySchema,
}

/// The type and entity of a field are fixed once it exists.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct CustomFieldUpdateBody {
    field_name: Option<String>,
    /// Select fields only.
    field_options: Option<Vec<String>>,
}

/// Create a custom field definition.
#[utoipa::path(post, path = "/v2/add-custom-field", tag = "custom fields", request_body = CustomFieldCreateBody,
    responses((status = 201, body = CustomFieldView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn create_custom_field(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<(StatusCode, Json<CustomFieldView>)> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let mut parsed = None;
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        let name = fields.required("field_name", Name::parse);
        let field_type = fields.required("field_type", FieldType::parse);
        let options = fields
            .string_array("field_options", any_text)
            .unwrap_or_default();
        let entity = fields.required("entity", FieldEntity::parse_lenient);
        if let Some(Err(reason)) = field_type.map(|kind| check_field_options(kind, &options)) {
            fields.error("field_options", reason);
        }
        fields.deny_unknown();
        parsed = name
            .zip(field_type)
            .zip(entity)
            .map(|((name, kind), entity)| (name, kind, options, entity));
    }
    let Some((name, field_type, options, entity)) = parsed.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let field = state
        .directory
        .create_custom_field(&writer, name, field_type, options, entity)
        .await
        .map_err(|error| error.naming_conflict("name", "field_name"))?;
    Ok((StatusCode::CREATED, Json(CustomFieldView::from(&field))))
}

/// List custom field definitions, grouped by entity.
#[utoipa::path(get, path = "/v2/custom-fields", tag = "custom fields",
    responses((status = 200, body = CustomFieldGroups), (status = 401, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn list_custom_fields(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
) -> NativeResult<Json<CustomFieldGroups>> {
    let fields = state.directory.custom_fields(&caller.reader()).await?;
    let of = |entity: FieldEntity| {
        fields
            .iter()
            .filter(|field| field.entity == entity)
            .map(CustomFieldView::from)
            .collect()
    };
    Ok(Json(CustomFieldGroups {
        users: of(FieldEntity::User),
        applications: of(FieldEntity::Application),
    }))
}

/// Get a custom field definition.
#[utoipa::path(get, path = "/v2/custom-field/{fieldId}", tag = "custom fields",
    params(("fieldId" = String, Path)),
    responses((status = 200, body = CustomFieldView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn get_custom_field(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(id): PathId,
) -> NativeResult<Json<CustomFieldView>> {
    let field = state
        .directory
        .custom_field(
            &caller.reader(),
            &path_id(&id, "fieldId", CustomFieldId::parse)?,
        )
        .await?;
    Ok(Json(CustomFieldView::from(&field)))
}

/// Rename a custom field or change a select field's options.
#[utoipa::path(patch, path = "/v2/custom-field/{fieldId}", tag = "custom fields",
    params(("fieldId" = String, Path)), request_body = CustomFieldUpdateBody,
    responses((status = 200, body = CustomFieldView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn update_custom_field(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(id): PathId,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<CustomFieldView>> {
    let writer = caller.writer()?;
    let id = path_id(&id, "fieldId", CustomFieldId::parse)?;
    let mut errors = FieldErrors::new();
    let mut update = CustomFieldUpdate::default();
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        update.name = fields.set("field_name", Name::parse);
        update.options = fields.string_array("field_options", any_text);
        for fixed in ["field_type", "entity"] {
            if fields.take(fixed).is_some() {
                fields.error(fixed, "cannot be changed once the field exists");
            }
        }
        fields.deny_unknown();
    }
    errors.into_result()?;
    let field = state
        .directory
        .update_custom_field(&writer, &id, update)
        .await
        .map_err(|error| error.naming_conflict("name", "field_name"))?;
    Ok(Json(CustomFieldView::from(&field)))
}

/// Delete a custom field definition and every value of it.
#[utoipa::path(delete, path = "/v2/custom-field/{fieldId}", tag = "custom fields",
    params(("fieldId" = String, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn delete_custom_field(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    PathId(id): PathId,
) -> NativeResult<StatusCode> {
    let writer = caller.writer()?;
    state
        .directory
        .delete_custom_field(&writer, &path_id(&id, "fieldId", CustomFieldId::parse)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
