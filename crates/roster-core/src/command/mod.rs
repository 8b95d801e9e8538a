//! Commands: what a dialect asks the directory to do, already parsed into domain values.

use serde_json::Value;

use crate::id::{CustomFieldId, DepartmentId, UserId};
use crate::model::PrimarySource;
use crate::patch::Patch;
use crate::values::{AccountType, Email, Name, OptimizationInclusion, UserStatus};

/// A partial update of a user. Every dialect (native PATCH, Wavefront PUT, BlueXP PUT, SCIM PATCH)
/// lowers to this. Required fields are `Option` (absent or set); optional ones are [`Patch`].
#[derive(Clone, Debug, Default)]
pub struct UserUpdate {
    pub display_name: Option<Name>,
    pub given_name: Patch<String>,
    pub family_name: Patch<String>,
    pub email: Option<Email>,
    pub personal_email: Patch<Email>,
    pub department: Patch<DepartmentId>,
    pub status: Option<UserStatus>,
    pub reporting_manager: Patch<UserId>,
    pub designation: Patch<String>,
    pub account_type: Option<AccountType>,
    pub archived: Option<bool>,
    pub optimization_inclusion: Option<OptimizationInclusion>,
    pub primary_source: Patch<PrimarySource>,
    /// Values to set (`Some`) or remove (`None`), one entry per field; other fields keep theirs.
    pub custom_values: Vec<CustomValueChange>,
    pub ldap_user_name: Patch<String>,
    pub is_ldap: Option<bool>,
    pub notifications_opt_in: Option<bool>,
    pub sso_id: Patch<String>,
}

/// One custom field value to write. The value is raw JSON: whether it fits the field's type is a
/// rule of the directory, which knows the field.
#[derive(Clone, Debug)]
pub struct CustomValueChange {
    pub field_id: CustomFieldId,
    pub value: Option<Value>,
}

/// A user to create: the two required fields; everything else is a [`UserUpdate`] applied on top.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub email: Email,
    pub display_name: Name,
    /// The reporting manager named by email (Zluri's `reporting_manager_email`).
    pub reporting_manager_email: Option<Email>,
    pub rest: UserUpdate,
}

/// The names the caller's dialect gives the fields a reference check can fail on, so that errors
/// found deep in the directory still name the field the client sent.
#[derive(Clone, Copy, Debug)]
pub struct UserFieldNames {
    pub email: &'static str,
    pub department: &'static str,
    pub reporting_manager: &'static str,
    pub reporting_manager_email: &'static str,
    pub primary_source_integration: &'static str,
    pub custom_fields: &'static str,
}

/// A partial update of a department, custom field or integration.
#[derive(Clone, Debug, Default)]
pub struct DepartmentUpdate {
    pub name: Option<Name>,
}

#[derive(Clone, Debug, Default)]
pub struct CustomFieldUpdate {
    pub name: Option<Name>,
    pub options: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default)]
pub struct IntegrationUpdate {
    pub keyword: Option<Name>,
    pub integration_id: Option<crate::id::ObjectId>,
    pub name: Option<Name>,
}

mod application;
pub use application::{
    ActivityEvent, ActivityUser, AppUserUpdate, ApplicationUpdate, LicenseUpdate, NewAppUser,
    NewApplication, NewLicense, Reclaim,
};
