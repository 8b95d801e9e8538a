//! `GET /v2/audit/list`: the audit log, newest first.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use roster_core::model::AuditEvent;
use roster_core::query::PageRequest;
use roster_core::{FieldErrors, Location};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::auth::NativeCaller;
use super::error::{ErrorBody, NativeResult};
use super::listing::ListPage;
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventView {
    pub audit_id: String,
    /// `<entity>.<verb>`, e.g. `user.update`.
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub actor: ActorView,
    pub changes: Vec<ChangeView>,
    pub created_at: DateTime<Utc>,
}

/// The API key that made the change (no id for the command line).
#[derive(Debug, Serialize, ToSchema)]
pub struct ActorView {
    pub key_id: Option<String>,
    pub name: String,
}

/// One field's value before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeView {
    pub field: String,
    #[schema(value_type = Object)]
    pub before: Value,
    #[schema(value_type = Object)]
    pub after: Value,
}

impl From<&AuditEvent> for AuditEventView {
    fn from(event: &AuditEvent) -> Self {
        Self {
            audit_id: event.id.to_string(),
            action: event.action.clone(),
            entity_type: event.entity_type.clone(),
            entity_id: event.entity_id.clone(),
            actor: ActorView {
                key_id: event.actor.key_id.as_ref().map(ToString::to_string),
                name: event.actor.name.clone(),
            },
            changes: event
                .changes
                .iter()
                .map(|change| ChangeView {
                    field: change.field.clone(),
                    before: change.before.clone(),
                    after: change.after.clone(),
                })
                .collect(),
            created_at: event.at,
        }
    }
}

/// List audit events, newest first.
#[utoipa::path(get, path = "/v2/audit/list", tag = "audit",
    params(
        ("page" = Option<u32>, Query, description = "From 1"),
        ("page_size" = Option<u32>, Query, description = "Default 50, capped at 1000"),
    ),
    responses((status = 200, body = ListPage<AuditEventView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)),
    security(("api_key" = [])))]
pub async fn list_audit(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    Query(query): Query<HashMap<String, String>>,
) -> NativeResult<Json<ListPage<AuditEventView>>> {
    let mut errors = FieldErrors::new();
    let mut number =
        |name: &str, default: u32| match query.get(name).map(|text| text.parse::<u32>()) {
            None => default,
            Some(Ok(value)) if value > 0 => value,
            Some(_) => {
                errors.push(name, Location::Query, "must be a positive integer");
                default
            }
        };
    let page = PageRequest::new(
        number("page", 1),
        number("page_size", PageRequest::DEFAULT_SIZE),
    );
    errors.into_result()?;
    let events = state.directory.audit_events(&caller.reader(), page).await?;
    Ok(Json(ListPage::from_page(events, |item| {
        AuditEventView::from(item)
    })))
}
