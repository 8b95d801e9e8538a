//! A person (or group/service account) in the directory, and how a partial update changes one.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::command::{CustomValueChange, UserUpdate};
use crate::credential::CredentialHash;
use crate::id::{
    CustomFieldId, DepartmentId, IntegrationId, ObjectId, RoleId, TenantId, UserGroupId, UserId,
};
use crate::model::{AwsCredentials, AzureCredentials, CloudSyncLicense};
use crate::values::{AccountType, Email, Name, OptimizationInclusion, Permission, UserStatus};

/// Where a user's record comes from: one of the organisation's integrations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PrimarySource {
    pub keyword: String,
    pub org_integration_id: IntegrationId,
    pub integration_id: ObjectId,
}

/// One custom field value of a user. The value has already been checked against the field's type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomValue {
    pub field_id: CustomFieldId,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct User {
    pub id: UserId,
    pub tenant_id: TenantId,
    pub email: Email,
    pub display_name: Name,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub personal_email: Option<Email>,
    pub department_id: Option<DepartmentId>,
    pub status: UserStatus,
    pub reporting_manager_id: Option<UserId>,
    pub designation: Option<String>,
    pub account_type: AccountType,
    pub archived: bool,
    pub optimization_inclusion: OptimizationInclusion,
    pub primary_source: Option<PrimarySource>,
    /// Sorted by field id, at most one value per field.
    pub custom_values: Vec<CustomValue>,
    pub ldap_user_name: Option<String>,
    pub is_ldap: bool,
    pub notifications_opt_in: bool,
    pub sso_id: Option<String>,
    /// The id an identity provider gives the user (SCIM `externalId`).
    pub external_id: Option<String>,
    /// SCIM's enterprise `employeeNumber`.
    pub employee_number: Option<String>,
    /// The name the user signs in with when an identity provider gave one that is not their
    /// email (SCIM `userName`); without one, the email is the user name.
    pub login_name: Option<String>,
    /// Whether the email is marked primary (SCIM `emails[].primary`), as an identity provider
    /// set it; true unless one said otherwise.
    pub email_primary: bool,
    /// BlueXP's cloud accounts; see [`crate::model::AzureCredentials`].
    pub azure_credentials: Option<AzureCredentials>,
    pub aws_credentials: Option<AwsCredentials>,
    pub cloud_sync_license: Option<CloudSyncLicense>,
    pub last_successful_login: Option<DateTime<Utc>>,
    /// Never serialised: audit snapshots and responses must not carry it.
    #[serde(skip)]
    pub credential: Option<CredentialHash>,
    /// Permissions granted to the user directly (Wavefront's `groups`).
    pub permissions: BTreeSet<Permission>,
    /// Roles given to the user directly.
    pub role_ids: BTreeSet<RoleId>,
    /// The groups the user was made a member of. System groups are not listed: their members
    /// follow from the users (see [`crate::values::SystemGroup::includes`]).
    pub group_ids: BTreeSet<UserGroupId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows by one with every change; the ETag, and what `If-Match` compares against.
    pub version: i64,
}

impl User {
    /// A new active employee with only the required fields; the rest come from a [`UserUpdate`].
    pub fn new(tenant_id: TenantId, email: Email, display_name: Name) -> Self {
        let now = crate::model::now();
        let (given_name, family_name) = split_display_name(display_name.as_str());
        Self {
            id: UserId::generate(),
            tenant_id,
            email,
            display_name,
            given_name,
            family_name,
            personal_email: None,
            department_id: None,
            status: UserStatus::Active,
            reporting_manager_id: None,
            designation: None,
            account_type: AccountType::Employee,
            archived: false,
            optimization_inclusion: OptimizationInclusion::IncludeAll,
            primary_source: None,
            custom_values: Vec::new(),
            ldap_user_name: None,
            is_ldap: false,
            notifications_opt_in: false,
            sso_id: None,
            external_id: None,
            employee_number: None,
            login_name: None,
            email_primary: true,
            azure_credentials: None,
            aws_credentials: None,
            cloud_sync_license: None,
            last_successful_login: None,
            credential: None,
            permissions: BTreeSet::new(),
            role_ids: BTreeSet::new(),
            group_ids: BTreeSet::new(),
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    /// This user with `update` applied. Assumes the update was validated; never fails.
    ///
    /// Names stay consistent across dialects: a display name written alone also sets the given and
    /// family names (first word, rest); given or family names written without a display name set the
    /// display name to both joined by a space.
    pub fn apply(&self, update: UserUpdate) -> User {
        let mut next = self.clone();
        let names_written = !update.given_name.is_unchanged() || !update.family_name.is_unchanged();
        match (update.display_name, names_written) {
            (Some(display), false) => {
                (next.given_name, next.family_name) = split_display_name(display.as_str());
                next.display_name = display;
            }
            (display, _) => {
                next.given_name = update.given_name.apply_to(next.given_name);
                next.family_name = update.family_name.apply_to(next.family_name);
                next.display_name = match display {
                    Some(display) => display,
                    None => joined_name(&next).unwrap_or(next.display_name),
                };
            }
        }
        if let Some(email) = update.email {
            next.email = email;
        }
        next.personal_email = update.personal_email.apply_to(next.personal_email);
        next.department_id = update.department.apply_to(next.department_id);
        next.status = update.status.unwrap_or(next.status);
        next.reporting_manager_id = update.reporting_manager.apply_to(next.reporting_manager_id);
        next.designation = update.designation.apply_to(next.designation);
        next.account_type = update.account_type.unwrap_or(next.account_type);
        next.archived = update.archived.unwrap_or(next.archived);
        next.optimization_inclusion = update
            .optimization_inclusion
            .unwrap_or(next.optimization_inclusion);
        next.primary_source = update.primary_source.apply_to(next.primary_source);
        apply_custom_values(&mut next.custom_values, update.custom_values);
        next.ldap_user_name = update.ldap_user_name.apply_to(next.ldap_user_name);
        next.is_ldap = update.is_ldap.unwrap_or(next.is_ldap);
        next.notifications_opt_in = update
            .notifications_opt_in
            .unwrap_or(next.notifications_opt_in);
        next.sso_id = update.sso_id.apply_to(next.sso_id);
        next.external_id = update.external_id.apply_to(next.external_id);
        next.employee_number = update.employee_number.apply_to(next.employee_number);
        next.login_name = update.login_name.apply_to(next.login_name);
        next.email_primary = update.email_primary.unwrap_or(next.email_primary);
        next.azure_credentials = update.azure_credentials.apply_to(next.azure_credentials);
        next.aws_credentials = update.aws_credentials.apply_to(next.aws_credentials);
        next.cloud_sync_license = update.cloud_sync_license.apply_to(next.cloud_sync_license);
        next.credential = update.credential.apply_to(next.credential);
        next.permissions = update.permissions.apply_to(next.permissions);
        next.role_ids = update.roles.apply_to(next.role_ids);
        next.group_ids = update.groups.apply_to(next.group_ids);
        next
    }

    pub fn custom_value(&self, field_id: &CustomFieldId) -> Option<&Value> {
        self.custom_values
            .iter()
            .find(|v| &v.field_id == field_id)
            .map(|v| &v.value)
    }
}

/// Sets or removes the values the changes name; other fields keep theirs. Sorted by field id.
pub fn apply_custom_values(values: &mut Vec<CustomValue>, changes: Vec<CustomValueChange>) {
    for change in changes {
        values.retain(|value| value.field_id != change.field_id);
        if let Some(value) = change.value {
            values.push(CustomValue {
                field_id: change.field_id,
                value,
            });
        }
    }
    values.sort_by(|a, b| a.field_id.cmp(&b.field_id));
}

/// "Ada King Lovelace" → ("Ada", "King Lovelace").
fn split_display_name(display: &str) -> (Option<String>, Option<String>) {
    let mut parts = display.trim().splitn(2, char::is_whitespace);
    let given = parts.next().filter(|s| !s.is_empty()).map(str::to_owned);
    let family = parts
        .next()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    (given, family)
}

fn joined_name(user: &User) -> Option<Name> {
    let joined = [user.given_name.as_deref(), user.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Name::parse(&joined).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::Patch;

    fn ada() -> User {
        User::new(
            TenantId::generate(),
            Email::parse("ada@example.com").expect("email"),
            Name::parse("Ada Lovelace").expect("name"),
        )
    }

    #[test]
    fn a_display_name_written_alone_sets_given_and_family_names() {
        let update = UserUpdate {
            display_name: Some(Name::parse("Grace Brewster Hopper").expect("name")),
            ..UserUpdate::default()
        };
        let user = ada().apply(update);
        assert_eq!(user.given_name.as_deref(), Some("Grace"));
        assert_eq!(user.family_name.as_deref(), Some("Brewster Hopper"));
    }

    #[test]
    fn given_or_family_name_written_alone_sets_the_display_name() {
        let update = UserUpdate {
            family_name: Patch::Set("Byron".into()),
            ..UserUpdate::default()
        };
        let user = ada().apply(update);
        assert_eq!(user.display_name.as_str(), "Ada Byron");
    }

    #[test]
    fn a_display_name_written_with_names_is_kept_as_written() {
        let update = UserUpdate {
            display_name: Some(Name::parse("The Countess").expect("name")),
            given_name: Patch::Set("Augusta".into()),
            ..UserUpdate::default()
        };
        let user = ada().apply(update);
        assert_eq!(user.display_name.as_str(), "The Countess");
        assert_eq!(user.given_name.as_deref(), Some("Augusta"));
        assert_eq!(user.family_name.as_deref(), Some("Lovelace"));
    }

    #[test]
    fn absent_fields_are_untouched_and_null_clears() {
        let mut user = ada();
        user.designation = Some("Engineer".into());
        user.personal_email = Some(Email::parse("ada@home.org").expect("email"));
        let update = UserUpdate {
            personal_email: Patch::Clear,
            ..UserUpdate::default()
        };
        let next = user.apply(update);
        assert_eq!(next.designation.as_deref(), Some("Engineer"));
        assert_eq!(next.personal_email, None);
    }
}
