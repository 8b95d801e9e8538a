//! Commands: what a dialect asks the directory to do, already parsed into domain values.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::credential::CredentialHash;
use crate::id::{CustomFieldId, DepartmentId, RoleId, UserGroupId, UserId};
use crate::model::{AwsCredentials, AzureCredentials, CloudSyncLicense, PrimarySource};
use crate::patch::Patch;
use crate::values::{AccountType, Email, Name, OptimizationInclusion, Permission, UserStatus};

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
    /// The department with this name, made when the tenant has none (SCIM's enterprise
    /// `department`: identity providers name departments, they don't know Roster's ids). Wins
    /// over `department`.
    pub department_named: Option<Name>,
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
    pub external_id: Patch<String>,
    pub employee_number: Patch<String>,
    /// A SCIM `userName` that is not the email (see [`crate::model::User::login_name`]).
    pub login_name: Patch<String>,
    pub email_primary: Option<bool>,
    pub azure_credentials: Patch<AzureCredentials>,
    pub aws_credentials: Patch<AwsCredentials>,
    pub cloud_sync_license: Patch<CloudSyncLicense>,
    /// A new password (stored as its hash), or none (SCIM removes it).
    pub credential: Patch<CredentialHash>,
    pub permissions: SetChange<Permission>,
    pub roles: SetChange<RoleId>,
    /// The roles with these names become the user's roles; a name the tenant has no role for
    /// makes one, without permissions (SCIM's `roles`: identity providers name roles, they don't
    /// know Roster's ids). Wins over `roles`.
    pub roles_named: Option<Vec<Name>>,
    /// Changes to the user's group memberships. Naming a system group the user is in anyway is
    /// accepted and changes nothing; naming one they cannot be in is an error.
    pub groups: SetChange<UserGroupId>,
}

/// A change to a set: replace it, add to it or remove from it. Adding and removing are applied to
/// the set as stored when the write happens, so two concurrent grants both land.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum SetChange<T: Ord> {
    #[default]
    Unchanged,
    Replace(BTreeSet<T>),
    Add(BTreeSet<T>),
    Remove(BTreeSet<T>),
}

impl<T: Ord + Clone> SetChange<T> {
    pub fn apply_to(self, current: BTreeSet<T>) -> BTreeSet<T> {
        match self {
            Self::Unchanged => current,
            Self::Replace(set) => set,
            Self::Add(set) => current.union(&set).cloned().collect(),
            Self::Remove(set) => current.difference(&set).cloned().collect(),
        }
    }

    /// Adds `set` when `add`, else removes it (grant or revoke, join or leave).
    pub fn add_or_remove(add: bool, set: BTreeSet<T>) -> Self {
        if add {
            Self::Add(set)
        } else {
            Self::Remove(set)
        }
    }

    /// The elements the change names (which must exist, whatever it does with them).
    pub fn named(&self) -> Option<&BTreeSet<T>> {
        match self {
            Self::Unchanged => None,
            Self::Replace(set) | Self::Add(set) | Self::Remove(set) => Some(set),
        }
    }

    /// The same change without the elements `drop` says to leave out.
    pub fn without(self, drop: impl Fn(&T) -> bool) -> Self {
        let keep = |set: BTreeSet<T>| set.into_iter().filter(|item| !drop(item)).collect();
        match self {
            Self::Unchanged => Self::Unchanged,
            Self::Replace(set) => Self::Replace(keep(set)),
            Self::Add(set) => Self::Add(keep(set)),
            Self::Remove(set) => Self::Remove(keep(set)),
        }
    }
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

impl NewUser {
    /// A user known only by their email (as Wavefront and BlueXP invite people): their display
    /// name is the email's local part.
    pub fn from_email(email: Email, rest: UserUpdate) -> Self {
        let local = email.as_str().split('@').next().unwrap_or_default();
        let display_name = Name::parse(local)
            .or_else(|_| Name::parse(email.as_str()))
            .unwrap_or_else(|_| unreachable!("an email is never blank"));
        Self {
            email,
            display_name,
            reporting_manager_email: None,
            rest,
        }
    }
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
    pub roles: &'static str,
    pub groups: &'static str,
}

impl UserFieldNames {
    /// The same name for every field: for updates the directory makes on behalf of another
    /// entity's command (adding members to a group changes the users).
    pub const fn all(name: &'static str) -> Self {
        Self {
            email: name,
            department: name,
            reporting_manager: name,
            reporting_manager_email: name,
            primary_source_integration: name,
            custom_fields: name,
            roles: name,
            groups: name,
        }
    }
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

mod access;
mod application;
pub use access::{NewRole, NewUserGroup, RoleHolders, RoleUpdate, UserGroupUpdate};
pub use application::{
    ActivityEvent, ActivityUser, AppUserUpdate, ApplicationUpdate, LicenseUpdate, NewAppUser,
    NewApplication, NewLicense, Reclaim,
};
