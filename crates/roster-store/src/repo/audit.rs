//! The audit log: append-only.

use async_trait::async_trait;
use sqlx::any::AnyRow;

use super::paginate;
use crate::session::SqlSession;
use crate::sql::{column, json, parsed, parsed_opt, time, Sql};
use roster_core::id::{ApiKeyId, AuditEventId, TenantId};
use roster_core::model::{Actor, AuditEvent, FieldChange};
use roster_core::query::{Page, PageRequest};
use roster_core::store::AuditRepo;
use roster_core::{DomainError, DomainResult};

/// How changes are stored: a JSON array of `{field, before, after}`.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredChange {
    field: String,
    before: serde_json::Value,
    after: serde_json::Value,
}

fn event(row: &AnyRow) -> DomainResult<AuditEvent> {
    let changes: Vec<StoredChange> = json(row, "changes")?;
    Ok(AuditEvent {
        id: parsed(row, "id", AuditEventId::parse)?,
        tenant_id: parsed(row, "tenant_id", TenantId::parse)?,
        actor: Actor {
            key_id: parsed_opt(row, "actor_key_id", ApiKeyId::parse)?,
            name: column(row, "actor_name")?,
        },
        action: column(row, "action")?,
        entity_type: column(row, "entity_type")?,
        entity_id: column(row, "entity_id")?,
        changes: changes
            .into_iter()
            .map(|c| FieldChange {
                field: c.field,
                before: c.before,
                after: c.after,
            })
            .collect(),
        at: time(row, "at")?,
    })
}

#[async_trait]
impl AuditRepo for SqlSession {
    async fn append_audit(&mut self, event: &AuditEvent) -> DomainResult<()> {
        let changes: Vec<StoredChange> = event
            .changes
            .iter()
            .map(|c| StoredChange {
                field: c.field.clone(),
                before: c.before.clone(),
                after: c.after.clone(),
            })
            .collect();
        let changes = serde_json::to_string(&changes)
            .map_err(|error| DomainError::Internal(error.to_string()))?;
        Sql::with(
            "INSERT INTO audit_events (id, tenant_id, actor_key_id, actor_name, action, entity_type, \
             entity_id, changes, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                event.id.as_str().into(),
                event.tenant_id.as_str().into(),
                event.actor.key_id.as_ref().map(ApiKeyId::as_str).into(),
                event.actor.name.as_str().into(),
                event.action.as_str().into(),
                event.entity_type.as_str().into(),
                event.entity_id.as_str().into(),
                changes.into(),
                event.at.into(),
            ],
        )
        .execute(self.db())
        .await
        .map(drop)
    }

    async fn list_audit(
        &mut self,
        tenant: &TenantId,
        page: PageRequest,
    ) -> DomainResult<Page<AuditEvent>> {
        let total = Sql::with(
            "SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1",
            vec![tenant.as_str().into()],
        )
        .fetch_count(self.db())
        .await?;
        let mut select = Sql::new(
            "SELECT id, tenant_id, actor_key_id, actor_name, action, entity_type, entity_id, changes, at \
             FROM audit_events WHERE tenant_id = ",
        );
        select
            .bind(tenant.as_str())
            .push(" ORDER BY at DESC, id DESC");
        paginate(&mut select, page);
        let items = select
            .fetch_all(self.db())
            .await?
            .iter()
            .map(event)
            .collect::<DomainResult<_>>()?;
        Ok(Page {
            total,
            request: page,
            items,
        })
    }
}
