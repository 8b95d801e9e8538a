//! Audit events: who changed what, from which value to which, and when.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::id::{ApiKeyId, AuditEventId, TenantId};

/// Who made a change: an API key, or the command line (no key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub key_id: Option<ApiKeyId>,
    pub name: String,
}

impl Actor {
    pub fn command_line() -> Self {
        Self {
            key_id: None,
            name: "roster command line".to_owned(),
        }
    }
}

/// One field's value before and after a change (`null` where it had none).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditEvent {
    pub id: AuditEventId,
    pub tenant_id: TenantId,
    pub actor: Actor,
    /// `<entity>.<verb>`, e.g. `user.update`.
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub changes: Vec<FieldChange>,
    pub at: DateTime<Utc>,
}

impl AuditEvent {
    pub fn new(
        tenant_id: TenantId,
        actor: &Actor,
        action: &str,
        entity_id: impl Into<String>,
        changes: Vec<FieldChange>,
    ) -> Self {
        let entity_type = action.split('.').next().unwrap_or(action).to_owned();
        Self {
            id: AuditEventId::generate(),
            tenant_id,
            actor: actor.clone(),
            action: action.to_owned(),
            entity_type,
            entity_id: entity_id.into(),
            changes,
            at: crate::model::now(),
        }
    }
}

/// The fields that differ between two serialised versions of an entity, in key order.
/// Bookkeeping fields (version, timestamps) are left out: they change on every write.
pub fn diff(before: &Value, after: &Value) -> Vec<FieldChange> {
    const BOOKKEEPING: [&str; 3] = ["version", "updated_at", "created_at"];
    let empty = serde_json::Map::new();
    let before = before.as_object().unwrap_or(&empty);
    let after = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|key| !BOOKKEEPING.contains(&key.as_str()))
        .filter_map(|key| {
            let old = before.get(key).cloned().unwrap_or(Value::Null);
            let new = after.get(key).cloned().unwrap_or(Value::Null);
            (old != new).then(|| FieldChange {
                field: key.clone(),
                before: old,
                after: new,
            })
        })
        .collect()
}
