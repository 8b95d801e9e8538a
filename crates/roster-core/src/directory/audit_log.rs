//! Reading the audit log.

use super::{Directory, Reader};
use crate::error::DomainResult;
use crate::model::AuditEvent;
use crate::query::{Page, PageRequest};

impl Directory {
    /// The tenant's audit events, newest first.
    pub async fn audit_events(
        &self,
        reader: &Reader<'_>,
        page: PageRequest,
    ) -> DomainResult<Page<AuditEvent>> {
        let mut session = self.store.reader().await?;
        session.list_audit(&reader.tenant().id, page).await
    }
}
