//! The Directory service: every use case of Roster. Each write validates the whole command first,
//! then writes in one transaction together with its audit event.

mod access;
mod activity;
mod app_users;
mod applications;
mod audit_log;
mod catalog;
mod custom_values;
mod licenses;
mod optimization;
mod roles;
mod tenants;
mod user_access;
mod user_groups;
mod users;
mod workspace;

use std::sync::Arc;

pub use access::{Caller, Reader, Writer};
pub use activity::{ActivityOutcome, MAX_ACTIVITY_BATCH};
pub use app_users::AppUserFieldNames;
pub use applications::AppFieldNames;
pub use catalog::check_field_options;
pub use custom_values::{check_custom_value, value_as_filter_text};
pub use optimization::{
    unused_since, KindSummary, ReclaimOutcome, Summary, DEFAULT_UNUSED_DAYS, MAX_RECLAIM,
};
pub use user_access::AccessFieldNames;
pub use workspace::Workspace;

use crate::error::DomainResult;
use crate::model::{diff, AuditEvent};
use crate::store::{Session, Store};

/// The directory of all tenants, over one [`Store`].
#[derive(Clone)]
pub struct Directory {
    store: Arc<dyn Store>,
}

impl Directory {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }
}

/// Appends the audit event of a change from `before` to `after` (any serialisable entity; `None`
/// for create or delete) and commits: the event and the change land together or not at all.
async fn record_and_commit<T: serde::Serialize>(
    mut session: Box<dyn Session>,
    writer: &Writer<'_>,
    action: &str,
    entity_id: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> DomainResult<()> {
    record(session.as_mut(), writer, action, entity_id, before, after).await?;
    session.commit().await
}

/// Appends the audit event of a change inside a write session that makes more than one.
async fn record<T: serde::Serialize>(
    session: &mut dyn Session,
    writer: &Writer<'_>,
    action: &str,
    entity_id: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> DomainResult<()> {
    let snapshot = |entity: Option<&T>| {
        entity
            .map_or(Ok(serde_json::Value::Null), serde_json::to_value)
            .map_err(|error| {
                crate::error::DomainError::Internal(format!("audit snapshot failed: {error}"))
            })
    };
    let changes = diff(&snapshot(before)?, &snapshot(after)?);
    let event = AuditEvent::new(
        writer.tenant().id.clone(),
        writer.actor(),
        action,
        entity_id,
        changes,
    );
    session.append_audit(&event).await
}
