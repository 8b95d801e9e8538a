//! Applications, their licenses, and the users of an application (application users).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{apply_custom_values, CustomValue};
use crate::command::{AppUserUpdate, ApplicationUpdate, LicenseUpdate};
use crate::id::{ApplicationId, LicenseId, TenantId, UserId};
use crate::money::{Amount, Currency};
use crate::values::{
    AccountType, AppStatus, AppType, Email, Name, OptimizationInclusion, UserStatus,
};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Application {
    pub id: ApplicationId,
    pub tenant_id: TenantId,
    /// Unique in the tenant regardless of case.
    pub name: Name,
    pub app_type: AppType,
    pub status: AppStatus,
    pub owner_id: Option<UserId>,
    pub technical_owner_id: Option<UserId>,
    pub financial_owner_id: Option<UserId>,
    /// Distinct and sorted.
    pub tags: Vec<String>,
    /// Monthly budget, in no particular currency (Zluri's `app_budget`).
    pub budget: Option<Amount>,
    pub archived: bool,
    /// Sorted by field id, at most one value per field.
    pub custom_values: Vec<CustomValue>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl Application {
    /// A new active application with only its name; the rest comes from an update applied on top.
    pub fn new(tenant_id: TenantId, name: Name) -> Self {
        let now = super::now();
        Self {
            id: ApplicationId::generate(),
            tenant_id,
            name,
            app_type: AppType::Application,
            status: AppStatus::Active,
            owner_id: None,
            technical_owner_id: None,
            financial_owner_id: None,
            tags: Vec::new(),
            budget: None,
            archived: false,
            custom_values: Vec::new(),
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    /// This application with `update` applied. Assumes the update was validated; never fails.
    pub fn apply(&self, update: ApplicationUpdate) -> Application {
        let mut next = self.clone();
        next.name = update.name.unwrap_or(next.name);
        next.app_type = update.app_type.unwrap_or(next.app_type);
        next.status = update.status.unwrap_or(next.status);
        next.owner_id = update.owner.apply_to(next.owner_id);
        next.technical_owner_id = update.technical_owner.apply_to(next.technical_owner_id);
        next.financial_owner_id = update.financial_owner.apply_to(next.financial_owner_id);
        if let Some(mut tags) = update.tags {
            tags.sort();
            tags.dedup();
            next.tags = tags;
        }
        next.budget = update.budget.apply_to(next.budget);
        next.archived = update.archived.unwrap_or(next.archived);
        apply_custom_values(&mut next.custom_values, update.custom_values);
        next
    }
}

/// A pool of seats of one application, each costing `cost_per_seat` a month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct License {
    pub id: LicenseId,
    pub tenant_id: TenantId,
    pub app_id: ApplicationId,
    /// Unique within its application regardless of case.
    pub name: Name,
    /// `None` for unlimited; at most [`License::MAX_SEATS`].
    pub seats: Option<u64>,
    pub cost_per_seat: Amount,
    pub currency: Currency,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl License {
    /// More seats than any organisation buys; also keeps counts far from integer limits.
    pub const MAX_SEATS: u64 = 1_000_000_000;

    /// This license with `update` applied. Assumes the update was validated; never fails.
    pub fn apply(&self, update: LicenseUpdate) -> License {
        let mut next = self.clone();
        next.name = update.name.unwrap_or(next.name);
        next.seats = update.seats.apply_to(next.seats);
        next.cost_per_seat = update.cost_per_seat.unwrap_or(next.cost_per_seat);
        next.currency = update.currency.unwrap_or(next.currency);
        next
    }

    /// Whether `used` seats leave room for `more`.
    pub fn has_room(&self, used: u64, more: u64) -> bool {
        self.seats.is_none_or(|seats| used + more <= seats)
    }
}

/// A license with how many of its seats are assigned.
#[derive(Clone, Debug, PartialEq)]
pub struct LicenseUsage {
    pub license: License,
    pub seats_used: u64,
}

impl LicenseUsage {
    /// `None` for an unlimited license.
    pub fn seats_free(&self) -> Option<u64> {
        self.license
            .seats
            .map(|seats| seats.saturating_sub(self.seats_used))
    }
}

/// A user's use of an application: their role in it, whether it is active, which of its licenses
/// they hold, and when they last used it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AppUser {
    pub tenant_id: TenantId,
    pub app_id: ApplicationId,
    pub user_id: UserId,
    pub role: Option<String>,
    pub status: AppStatus,
    pub archived: bool,
    pub optimization_inclusion: OptimizationInclusion,
    /// Licenses of this application only, sorted, each at most once.
    pub licenses: Vec<LicenseId>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl AppUser {
    /// A new active application user without role or licenses.
    pub fn new(tenant_id: TenantId, app_id: ApplicationId, user_id: UserId) -> Self {
        let now = super::now();
        Self {
            tenant_id,
            app_id,
            user_id,
            role: None,
            status: AppStatus::Active,
            archived: false,
            optimization_inclusion: OptimizationInclusion::IncludeAll,
            licenses: Vec::new(),
            last_used_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    /// This application user with `update` applied. Assumes the update was validated.
    pub fn apply(&self, update: AppUserUpdate) -> AppUser {
        let mut next = self.clone();
        next.role = update.role.apply_to(next.role);
        next.optimization_inclusion = update
            .optimization_inclusion
            .unwrap_or(next.optimization_inclusion);
        next.archived = update.archived.unwrap_or(next.archived);
        if let Some(mut licenses) = update.licenses {
            licenses.sort();
            licenses.dedup();
            next.licenses = licenses;
        }
        next.status = update.status.unwrap_or(next.status);
        next
    }

    /// The audit log's id for an application user: `<app_id>/<user_id>`.
    pub fn entity_id(&self) -> String {
        format!("{}/{}", self.app_id, self.user_id)
    }
}

/// What lists show of the user and the application beside an application user.
#[derive(Clone, Debug, PartialEq)]
pub struct AppUserDetail {
    pub app_user: AppUser,
    pub app_name: Name,
    pub user_name: Name,
    pub user_email: Email,
    pub user_status: UserStatus,
    pub user_archived: bool,
    pub user_account_type: AccountType,
    pub user_designation: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn license(seats: Option<u64>) -> License {
        let now = crate::model::now();
        License {
            id: LicenseId::generate(),
            tenant_id: TenantId::generate(),
            app_id: ApplicationId::generate(),
            name: Name::parse("Pro").expect("name"),
            seats,
            cost_per_seat: Amount::parse("10").expect("amount"),
            currency: Currency::usd(),
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    #[test]
    fn a_license_has_room_until_its_seats_are_used_and_unlimited_always_has() {
        assert!(license(Some(2)).has_room(1, 1));
        assert!(!license(Some(2)).has_room(2, 1));
        assert!(license(None).has_room(u64::MAX / 2, 1));
    }

    #[test]
    fn assigning_licenses_sets_exactly_that_set() {
        let app_user = AppUser::new(
            TenantId::generate(),
            ApplicationId::generate(),
            UserId::generate(),
        );
        let (a, b) = (LicenseId::generate(), LicenseId::generate());
        let update = AppUserUpdate {
            licenses: Some(vec![b.clone(), a.clone()]),
            ..AppUserUpdate::default()
        };
        let next = app_user.apply(update);
        let mut expected = vec![a, b];
        expected.sort();
        assert_eq!(next.licenses, expected);
        let cleared = next.apply(AppUserUpdate {
            licenses: Some(Vec::new()),
            ..AppUserUpdate::default()
        });
        assert!(cleared.licenses.is_empty());
        assert_eq!(cleared.role, None, "untouched fields stay");
    }
}
