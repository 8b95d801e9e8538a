//! Licenses of applications, and how many of their seats are assigned.

use std::collections::HashMap;

use async_trait::async_trait;
use sqlx::any::AnyRow;

use super::{insert_statement, paginate, versioned_update_statement};
use crate::session::SqlSession;
use crate::sql::{column, count, parsed, time, Arg, Sql};
use roster_core::id::{ApplicationId, LicenseId, TenantId};
use roster_core::model::{License, LicenseUsage};
use roster_core::money::{Amount, Currency};
use roster_core::query::{Page, PageRequest};
use roster_core::store::LicenseRepo;
use roster_core::values::Name;
use roster_core::{DomainError, DomainResult};

const COLUMNS: &str = "l.id, l.tenant_id, l.app_id, l.name, l.seats, l.cost_per_seat, l.currency, \
    l.created_at, l.updated_at, l.version";

/// The columns a license is written to, in the order of [`license_args`].
const WRITE_COLUMNS: [&str; 11] = [
    "id",
    "tenant_id",
    "app_id",
    "name",
    "name_lower",
    "seats",
    "cost_per_seat",
    "currency",
    "created_at",
    "updated_at",
    "version",
];

fn license_args(license: &License) -> Vec<Arg> {
    vec![
        license.id.as_str().into(),
        license.tenant_id.as_str().into(),
        license.app_id.as_str().into(),
        license.name.as_str().into(),
        license.name.as_str().to_lowercase().into(),
        // No real license has more than i64::MAX seats; saturating keeps the column an integer.
        license
            .seats
            .map(|seats| i64::try_from(seats).unwrap_or(i64::MAX))
            .into(),
        license.cost_per_seat.to_string().into(),
        license.currency.as_str().into(),
        license.created_at.into(),
        license.updated_at.into(),
        license.version.into(),
    ]
}

fn license(row: &AnyRow) -> DomainResult<License> {
    let seats: Option<i64> = column(row, "seats")?;
    let seats = seats
        .map(|seats| {
            u64::try_from(seats).map_err(|_| {
                DomainError::Internal(format!("stored column seats is unreadable: {seats}"))
            })
        })
        .transpose()?;
    Ok(License {
        id: parsed(row, "id", LicenseId::parse)?,
        tenant_id: parsed(row, "tenant_id", TenantId::parse)?,
        app_id: parsed(row, "app_id", ApplicationId::parse)?,
        name: parsed(row, "name", Name::parse)?,
        seats,
        cost_per_seat: parsed(row, "cost_per_seat", Amount::parse)?,
        currency: parsed(row, "currency", Currency::parse)?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: column(row, "version")?,
    })
}

impl SqlSession {
    /// Those of these licenses that exist in the tenant, in id order, locked when `for_update`.
    async fn select_licenses(
        &mut self,
        tenant: &TenantId,
        ids: &[LicenseId],
        for_update: bool,
    ) -> DomainResult<Vec<License>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // In id order, so that two writers locking overlapping sets take the locks in the same
        // order and cannot deadlock.
        let mut select = Sql::new(&format!(
            "SELECT {COLUMNS} FROM licenses l WHERE l.tenant_id = "
        ));
        select
            .bind(tenant.as_str())
            .push(" AND l.id IN ")
            .bind_list(ids.iter().map(LicenseId::as_str))
            .push(" ORDER BY l.id")
            .push(self.backend.lock_rows(for_update));
        select
            .fetch_all(self.db())
            .await?
            .iter()
            .map(license)
            .collect()
    }
}

#[async_trait]
impl LicenseRepo for SqlSession {
    async fn insert_license(&mut self, license: &License) -> DomainResult<()> {
        let text = insert_statement("licenses", &WRITE_COLUMNS);
        Sql::with(&text, license_args(license))
            .execute(self.db())
            .await
            .map(drop)
    }

    async fn license(
        &mut self,
        tenant: &TenantId,
        id: &LicenseId,
        for_update: bool,
    ) -> DomainResult<Option<License>> {
        let sql = Sql::with(
            &format!(
                "SELECT {COLUMNS} FROM licenses l WHERE l.tenant_id = $1 AND l.id = $2{}",
                self.backend.lock_rows(for_update)
            ),
            vec![tenant.as_str().into(), id.as_str().into()],
        );
        sql.fetch_optional(self.db())
            .await?
            .as_ref()
            .map(license)
            .transpose()
    }

    async fn update_license(
        &mut self,
        license: &License,
        expected_version: i64,
    ) -> DomainResult<bool> {
        let text = versioned_update_statement("licenses", &WRITE_COLUMNS, 3);
        let mut args = license_args(license);
        args.push(expected_version.into());
        Ok(Sql::with(&text, args).execute(self.db()).await? > 0)
    }

    async fn delete_license(&mut self, tenant: &TenantId, id: &LicenseId) -> DomainResult<bool> {
        // While assigned, app_user_licenses refers to the license: the foreign key refuses, and
        // that refusal is already a conflict (from_sqlx).
        let deleted = Sql::with(
            "DELETE FROM licenses WHERE tenant_id = $1 AND id = $2",
            vec![tenant.as_str().into(), id.as_str().into()],
        )
        .execute(self.db())
        .await?;
        Ok(deleted > 0)
    }

    async fn licenses_of(
        &mut self,
        tenant: &TenantId,
        app: &ApplicationId,
        page: PageRequest,
    ) -> DomainResult<Page<LicenseUsage>> {
        let total = Sql::with(
            "SELECT COUNT(*) FROM licenses WHERE tenant_id = $1 AND app_id = $2",
            vec![tenant.as_str().into(), app.as_str().into()],
        )
        .fetch_count(self.db())
        .await?;
        let mut select = Sql::with(
            &format!(
                "SELECT {COLUMNS}, (SELECT COUNT(*) FROM app_user_licenses x \
                 WHERE x.license_id = l.id) AS seats_used \
                 FROM licenses l WHERE l.tenant_id = $1 AND l.app_id = $2 \
                 ORDER BY l.name_lower, l.id"
            ),
            vec![tenant.as_str().into(), app.as_str().into()],
        );
        paginate(&mut select, page);
        let items = select
            .fetch_all(self.db())
            .await?
            .iter()
            .map(|row| {
                Ok(LicenseUsage {
                    license: license(row)?,
                    seats_used: count(row, "seats_used")?,
                })
            })
            .collect::<DomainResult<_>>()?;
        Ok(Page {
            total,
            request: page,
            items,
        })
    }

    async fn license_usage(
        &mut self,
        tenant: &TenantId,
        ids: &[LicenseId],
        for_update: bool,
    ) -> DomainResult<Vec<LicenseUsage>> {
        let licenses = self.select_licenses(tenant, ids, for_update).await?;
        if licenses.is_empty() {
            return Ok(Vec::new());
        }
        let mut used = Sql::new(
            "SELECT license_id, COUNT(*) AS seats_used FROM app_user_licenses WHERE license_id IN ",
        );
        used.bind_list(licenses.iter().map(|license| license.id.as_str()))
            .push(" GROUP BY license_id");
        let mut seats_used: HashMap<String, u64> = HashMap::new();
        for row in used.fetch_all(self.db()).await? {
            seats_used.insert(column(&row, "license_id")?, count(&row, "seats_used")?);
        }
        Ok(licenses
            .into_iter()
            .map(|license| LicenseUsage {
                seats_used: seats_used.remove(license.id.as_str()).unwrap_or(0),
                license,
            })
            .collect())
    }

    async fn licenses(
        &mut self,
        tenant: &TenantId,
        ids: &[LicenseId],
    ) -> DomainResult<Vec<License>> {
        self.select_licenses(tenant, ids, false).await
    }

    async fn unassign_license(&mut self, tenant: &TenantId, id: &LicenseId) -> DomainResult<u64> {
        let now = roster_core::model::now();
        // license_ids mirrors app_user_licenses: the id is cut out of the space-separated list
        // (padded with spaces so that the first and the last id match like the others).
        let holders = Sql::with(
            "UPDATE app_users SET \
             license_ids = TRIM(REPLACE(' ' || license_ids || ' ', $1, ' ')), \
             version = version + 1, updated_at = $2 \
             WHERE tenant_id = $3 \
             AND app_id = (SELECT app_id FROM licenses WHERE tenant_id = $3 AND id = $4) \
             AND EXISTS (SELECT 1 FROM app_user_licenses x WHERE x.app_id = app_users.app_id \
             AND x.user_id = app_users.user_id AND x.license_id = $4)",
            vec![
                format!(" {id} ").into(),
                now.into(),
                tenant.as_str().into(),
                id.as_str().into(),
            ],
        )
        .execute(self.db())
        .await?;
        Sql::with(
            "DELETE FROM app_user_licenses WHERE license_id = $1 \
             AND license_id IN (SELECT id FROM licenses WHERE tenant_id = $2 AND id = $1)",
            vec![id.as_str().into(), tenant.as_str().into()],
        )
        .execute(self.db())
        .await?;
        Ok(holders)
    }
}
