//! Commands on applications, licenses, application users, usage and reclaiming seats.

use chrono::{DateTime, Utc};

use super::CustomValueChange;
use crate::id::{ApplicationId, LicenseId, UserId};
use crate::money::{Amount, Currency};
use crate::patch::Patch;
use crate::values::{AppStatus, AppType, Email, Name, OptimizationInclusion, OptimizationKind};

/// A partial update of an application.
#[derive(Clone, Debug, Default)]
pub struct ApplicationUpdate {
    pub name: Option<Name>,
    pub app_type: Option<AppType>,
    pub status: Option<AppStatus>,
    pub owner: Patch<UserId>,
    pub technical_owner: Patch<UserId>,
    pub financial_owner: Patch<UserId>,
    /// Replaces the tags.
    pub tags: Option<Vec<String>>,
    pub budget: Patch<Amount>,
    pub archived: Option<bool>,
    /// Values to set (`Some`) or remove (`None`); other fields keep theirs.
    pub custom_values: Vec<CustomValueChange>,
}

#[derive(Clone, Debug)]
pub struct NewApplication {
    pub name: Name,
    pub rest: ApplicationUpdate,
}

#[derive(Clone, Debug)]
pub struct NewLicense {
    pub name: Name,
    /// `None` for unlimited.
    pub seats: Option<u64>,
    pub cost_per_seat: Amount,
    pub currency: Currency,
}

#[derive(Clone, Debug, Default)]
pub struct LicenseUpdate {
    pub name: Option<Name>,
    /// `Clear` makes the license unlimited.
    pub seats: Patch<u64>,
    pub cost_per_seat: Option<Amount>,
    pub currency: Option<Currency>,
}

/// A partial update of an application user: the seed's five fields.
#[derive(Clone, Debug, Default)]
pub struct AppUserUpdate {
    pub role: Patch<String>,
    pub optimization_inclusion: Option<OptimizationInclusion>,
    pub archived: Option<bool>,
    /// Sets the licenses to exactly these (empty removes all).
    pub licenses: Option<Vec<LicenseId>>,
    pub status: Option<AppStatus>,
}

/// A user to add to an application, named by email.
#[derive(Clone, Debug)]
pub struct NewAppUser {
    pub email: Email,
    pub rest: AppUserUpdate,
}

/// Who used an application: by id or by email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActivityUser {
    Id(UserId),
    Email(Email),
}

/// One use of an application by a user.
#[derive(Clone, Debug)]
pub struct ActivityEvent {
    pub user: ActivityUser,
    pub app_id: ApplicationId,
    pub used_at: DateTime<Utc>,
}

/// Which candidates to reclaim seats from.
#[derive(Clone, Debug)]
pub struct Reclaim {
    pub kind: OptimizationKind,
    pub app_id: Option<ApplicationId>,
    /// Only these application users (each must be a candidate of `kind`).
    pub only: Option<Vec<(ApplicationId, UserId)>>,
    pub unused_days: u32,
    pub dry_run: bool,
}
