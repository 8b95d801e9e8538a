//! The directory's entities as plain data. Rules that decide whether a change is allowed live in
//! `directory`; what an entity *is* lives here.

mod access;
mod application;
mod audit;
mod catalog;
mod cloud;
mod optimization;
mod tenant;
mod user;

pub use access::{Role, RoleDetail, RoleLinks, UserAccess, UserGroup, UserGroupDetail};
pub use application::{AppUser, AppUserDetail, Application, License, LicenseUsage};
pub use audit::{diff, Actor, AuditEvent, FieldChange};
pub use catalog::{CustomField, Department, Integration};
pub use cloud::{AwsCredentials, AzureCredentials, CloudSyncLicense};
pub use optimization::{Candidate, CandidateCounts, Saving, SeatCounts, SummaryLine};
pub use tenant::{ApiKey, NewApiKey, Tenant};
pub use user::{apply_custom_values, CustomValue, PrimarySource, User};

/// The current time at the precision it is stored with (microseconds), so that what a write
/// answers equals what a later read returns.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
