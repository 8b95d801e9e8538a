//! Use cases on licenses: the seats of one application, at a price.

use super::{record_and_commit, Directory, Reader, Writer};
use crate::command::{LicenseUpdate, NewLicense};
use crate::error::{DomainError, DomainResult};
use crate::id::{ApplicationId, LicenseId};
use crate::model::{License, LicenseUsage};
use crate::patch::Patch;
use crate::query::{Page, PageRequest};

impl Directory {
    pub async fn create_license(
        &self,
        writer: &Writer<'_>,
        app: &ApplicationId,
        new: NewLicense,
    ) -> DomainResult<LicenseUsage> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        if session.application(tenant, app, true).await?.is_none() {
            return Err(DomainError::not_found("application"));
        }
        let now = crate::model::now();
        let license = License {
            id: LicenseId::generate(),
            tenant_id: tenant.clone(),
            app_id: app.clone(),
            name: new.name,
            seats: new.seats,
            cost_per_seat: new.cost_per_seat,
            currency: new.currency,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        session.insert_license(&license).await?;
        record_and_commit(
            session,
            writer,
            "license.create",
            license.id.as_str(),
            None,
            Some(&license),
        )
        .await?;
        Ok(LicenseUsage {
            license,
            seats_used: 0,
        })
    }

    pub async fn license(&self, reader: &Reader<'_>, id: &LicenseId) -> DomainResult<LicenseUsage> {
        let mut session = self.store.reader().await?;
        session
            .license_usage(&reader.tenant().id, std::slice::from_ref(id), false)
            .await?
            .pop()
            .ok_or(DomainError::not_found("license"))
    }

    /// An application's licenses with their seats used and free.
    pub async fn licenses_of(
        &self,
        reader: &Reader<'_>,
        app: &ApplicationId,
        page: PageRequest,
    ) -> DomainResult<Page<LicenseUsage>> {
        let tenant = &reader.tenant().id;
        let mut session = self.store.reader().await?;
        if session.application(tenant, app, false).await?.is_none() {
            return Err(DomainError::not_found("application"));
        }
        session.licenses_of(tenant, app, page).await
    }

    /// Applies a partial update. Seats cannot drop below the seats in use (409 on `seats`).
    pub async fn update_license(
        &self,
        writer: &Writer<'_>,
        id: &LicenseId,
        update: LicenseUpdate,
        if_match: Option<i64>,
    ) -> DomainResult<LicenseUsage> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let current = session
            .license_usage(tenant, std::slice::from_ref(id), true)
            .await?
            .pop()
            .ok_or(DomainError::not_found("license"))?;
        let (current, seats_used) = (current.license, current.seats_used);
        if if_match.is_some_and(|version| version != current.version) {
            return Err(DomainError::PreconditionFailed {
                current: current.version,
            });
        }
        if let Patch::Set(seats) = update.seats {
            if seats < seats_used {
                return Err(DomainError::conflict(
                    "seats",
                    format!(
                        "{seats_used} seats are assigned; unassign some before lowering the seats"
                    ),
                ));
            }
        }
        let mut next = current.apply(update);
        if next == current {
            return Ok(LicenseUsage {
                license: current,
                seats_used,
            });
        }
        next.version = current.version + 1;
        next.updated_at = crate::model::now();
        if !session.update_license(&next, current.version).await? {
            return Err(DomainError::PreconditionFailed {
                current: current.version,
            });
        }
        record_and_commit(
            session,
            writer,
            "license.update",
            id.as_str(),
            Some(&current),
            Some(&next),
        )
        .await?;
        Ok(LicenseUsage {
            license: next,
            seats_used,
        })
    }

    /// Deletes a license. While it is assigned this is refused (409) unless `unassign` asks to take
    /// it from its holders first, in the same transaction.
    pub async fn delete_license(
        &self,
        writer: &Writer<'_>,
        id: &LicenseId,
        unassign: bool,
    ) -> DomainResult<()> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let usage = session
            .license_usage(tenant, std::slice::from_ref(id), true)
            .await?
            .pop()
            .ok_or(DomainError::not_found("license"))?;
        if usage.seats_used > 0 {
            if !unassign {
                return Err(DomainError::in_use(format!(
                    "the license is assigned to {} application users; delete with unassign=true \
                     to take it from them first",
                    usage.seats_used
                )));
            }
            session.unassign_license(tenant, id).await?;
        }
        session.delete_license(tenant, id).await?;
        record_and_commit(
            session,
            writer,
            "license.delete",
            id.as_str(),
            Some(&usage.license),
            None,
        )
        .await
    }
}
