//! The native user on the wire: the body of create and update, lowered to core commands, and the
//! user as answered (the same shape everywhere: create, read, update, list items).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use roster_core::command::{CustomValueChange, NewUser, SetChange, UserFieldNames, UserUpdate};
use roster_core::id::{
    CustomFieldId, DepartmentId, IntegrationId, ObjectId, RoleId, UserGroupId, UserId,
};
use roster_core::model::{CustomValue, PrimarySource, User};
use roster_core::values::{
    AccountType, Email, Name, OptimizationInclusion, Permission, UserStatus,
};
use roster_core::{FieldErrors, Patch};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::json_fields::{any_text, JsonFields};
use crate::schema::{
    AccountTypeSchema, OptimizationInclusionSchema, PermissionSchema, UserStatusSchema,
};

/// How the native dialect names the fields a reference check can fail on.
pub const FIELD_NAMES: UserFieldNames = UserFieldNames {
    email: "user_email",
    department: "user_department_id",
    reporting_manager: "reporting_manager_id",
    reporting_manager_email: "reporting_manager_email",
    primary_source_integration: "primary_source.org_integration_id",
    custom_fields: "user_custom_fields",
    roles: "user_role_ids",
    groups: "user_group_ids",
};

/// Lowers a `PATCH /v2/user/{userId}` body. Problems go into `errors`; what parsed is kept so
/// the directory can check its references too, and every failure is reported at once.
pub fn read_update(body: Value, errors: &mut FieldErrors) -> UserUpdate {
    let Some(mut fields) = JsonFields::of_body(body, errors) else {
        return UserUpdate::default();
    };
    let mut update = read_common(&mut fields);
    update.display_name = fields.set("user_name", Name::parse);
    update.email = fields.set("user_email", Email::parse);
    update.account_type = fields.set("user_account_type", AccountType::parse);
    fields.deny_unknown();
    update
}

/// Lowers a `POST /v2/add-user` body; `None` when a required field is missing or invalid.
pub fn read_create(body: Value, errors: &mut FieldErrors) -> Option<NewUser> {
    let mut fields = JsonFields::of_body(body, errors)?;
    let display_name = fields.required("user_name", Name::parse);
    let email = fields.required("user_email", Email::parse);
    let mut rest = read_common(&mut fields);
    // Zluri's create calls it `account_type`; the update's name is accepted too, not both.
    rest.account_type = match (fields.has("account_type"), fields.has("user_account_type")) {
        (true, true) => {
            fields.error(
                "account_type",
                "give either account_type or user_account_type",
            );
            fields.take("user_account_type");
            fields.take("account_type");
            None
        }
        (true, false) => fields.set("account_type", AccountType::parse),
        _ => fields.set("user_account_type", AccountType::parse),
    };
    let reporting_manager_email = fields.set("reporting_manager_email", Email::parse);
    if !rest.reporting_manager.is_unchanged() && reporting_manager_email.is_some() {
        fields.error(
            "reporting_manager_email",
            "give either reporting_manager_id or reporting_manager_email",
        );
    }
    // Accepted so that Zluri requests work unchanged; Roster has no onboarding workflow.
    let _onboarding = fields.object("onboardingData");
    fields.deny_unknown();
    Some(NewUser {
        email: email?,
        display_name: display_name?,
        reporting_manager_email,
        rest,
    })
}

fn read_common(fields: &mut JsonFields<'_>) -> UserUpdate {
    UserUpdate {
        personal_email: fields.patch("user_personal_email", Email::parse),
        department: fields.patch("user_department_id", DepartmentId::parse),
        status: fields.set("user_status", UserStatus::parse),
        reporting_manager: fields.patch("reporting_manager_id", UserId::parse),
        designation: fields.patch("user_designation", any_text),
        archived: fields.bool("user_archive"),
        optimization_inclusion: fields.set("optimization_inclusion", OptimizationInclusion::parse),
        primary_source: read_primary_source(fields),
        custom_values: read_custom_fields(fields, "user_custom_fields", &[]),
        permissions: replace_set(fields, "user_permissions", Permission::parse),
        roles: replace_set(fields, "user_role_ids", RoleId::parse),
        groups: replace_set(fields, "user_group_ids", UserGroupId::parse),
        ..UserUpdate::default()
    }
}

/// At most this many entries in one array of ids or names: each id is looked up (and each named
/// user updated) in the request's transaction, and both databases bind a bounded number of
/// parameters.
pub const MAX_SET_ENTRIES: usize = 1000;

/// An array read as a set (duplicates collapse); a bad entry is named `field[i]`. Absent → `None`.
pub fn set_of<T: Ord, E: std::fmt::Display>(
    fields: &mut JsonFields<'_>,
    field: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Option<BTreeSet<T>> {
    let items = fields.string_array(field, parse)?;
    if items.len() > MAX_SET_ENTRIES {
        fields.error(field, format!("at most {MAX_SET_ENTRIES} entries"));
        return None;
    }
    Some(items.into_iter().collect())
}

/// An array that replaces a whole set.
pub fn replace_set<T: Ord, E: std::fmt::Display>(
    fields: &mut JsonFields<'_>,
    field: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> SetChange<T> {
    set_of(fields, field, parse).map_or(SetChange::Unchanged, SetChange::Replace)
}

/// `primary_source`: null clears it; an object needs all three fields together.
fn read_primary_source(fields: &mut JsonFields<'_>) -> Patch<PrimarySource> {
    let mut source = match fields.object("primary_source") {
        None => return Patch::Unchanged,
        Some(None) => return Patch::Clear,
        Some(Some(source)) => source,
    };
    let keyword = source.required("keyword", Name::parse);
    let org_integration_id = source.required("org_integration_id", IntegrationId::parse);
    let integration_id = source.required("integration_id", ObjectId::parse);
    source.deny_unknown();
    match (keyword, org_integration_id, integration_id) {
        (Some(keyword), Some(org_integration_id), Some(integration_id)) => {
            Patch::Set(PrimarySource {
                keyword: keyword.as_str().to_owned(),
                org_integration_id,
                integration_id,
            })
        }
        _ => Patch::Unchanged,
    }
}

/// A list of custom values (`user_custom_fields`, `app_custom_fields`): each entry sets one field's
/// value (`null` removes it); fields not listed keep their values. `ignored` names entry keys that
/// are accepted and not used.
pub fn read_custom_fields(
    fields: &mut JsonFields<'_>,
    list: &str,
    ignored: &[&str],
) -> Vec<CustomValueChange> {
    let Some(items) = fields.array(list) else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        let name = fields.name(&format!("{list}[{index}]"));
        let mut scratch = FieldErrors::new();
        if let Some(mut entry) = JsonFields::element(item, name, &mut scratch) {
            let field_id = entry.required("field_id", CustomFieldId::parse);
            if !entry.has("field_value") {
                entry.error("field_value", "is required (null removes the value)");
            }
            let value = entry.take("field_value").filter(|value| !value.is_null());
            for key in ignored {
                entry.take(key);
            }
            entry.deny_unknown();
            if let Some(field_id) = field_id {
                changes.push(CustomValueChange { field_id, value });
            }
        }
        for error in scratch.iter() {
            fields.error_at(&error.field, &error.reason);
        }
    }
    changes
}

/// A user as the native API answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    #[schema(example = "65f1c0ffee0000000000abcd")]
    pub user_id: String,
    /// The display name.
    pub user_name: String,
    pub user_email: String,
    pub user_personal_email: Option<String>,
    pub user_department_id: Option<String>,
    #[schema(value_type = UserStatusSchema)]
    pub user_status: &'static str,
    pub reporting_manager_id: Option<String>,
    pub user_designation: Option<String>,
    #[schema(value_type = AccountTypeSchema)]
    pub user_account_type: &'static str,
    pub user_archive: bool,
    #[schema(value_type = OptimizationInclusionSchema)]
    pub optimization_inclusion: &'static str,
    pub primary_source: Option<PrimarySourceView>,
    pub user_custom_fields: Vec<CustomFieldValueView>,
    /// Permissions granted to the user directly (`GET /v2/user/{userId}/access` adds those of
    /// their roles and groups).
    #[schema(value_type = Vec<PermissionSchema>)]
    pub user_permissions: Vec<&'static str>,
    /// Roles given to the user directly.
    pub user_role_ids: Vec<String>,
    /// The groups the user was made a member of. System groups (Everyone, Service Accounts) are
    /// not listed: their members follow from the account type.
    pub user_group_ids: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows with every change; also sent as the `ETag` header.
    pub version: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrimarySourceView {
    pub keyword: String,
    pub org_integration_id: String,
    pub integration_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomFieldValueView {
    pub field_id: String,
    /// A string, number or boolean, as the field's type says.
    #[schema(value_type = Object)]
    pub field_value: Value,
}

impl From<&CustomValue> for CustomFieldValueView {
    fn from(value: &CustomValue) -> Self {
        Self {
            field_id: value.field_id.to_string(),
            field_value: value.value.clone(),
        }
    }
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        Self {
            user_id: user.id.to_string(),
            user_name: user.display_name.to_string(),
            user_email: user.email.to_string(),
            user_personal_email: user.personal_email.as_ref().map(ToString::to_string),
            user_department_id: user.department_id.as_ref().map(ToString::to_string),
            user_status: user.status.as_str(),
            reporting_manager_id: user.reporting_manager_id.as_ref().map(ToString::to_string),
            user_designation: user.designation.clone(),
            user_account_type: user.account_type.as_str(),
            user_archive: user.archived,
            optimization_inclusion: user.optimization_inclusion.as_str(),
            primary_source: user
                .primary_source
                .as_ref()
                .map(|source| PrimarySourceView {
                    keyword: source.keyword.clone(),
                    org_integration_id: source.org_integration_id.to_string(),
                    integration_id: source.integration_id.to_string(),
                }),
            user_custom_fields: user
                .custom_values
                .iter()
                .map(CustomFieldValueView::from)
                .collect(),
            user_permissions: user.permissions.iter().map(|p| p.as_str()).collect(),
            user_role_ids: user.role_ids.iter().map(ToString::to_string).collect(),
            user_group_ids: user.group_ids.iter().map(ToString::to_string).collect(),
            created_at: user.created_at,
            updated_at: user.updated_at,
            version: user.version,
        }
    }
}

/// The body of `PATCH /v2/user/{userId}`: every field optional; absent fields are untouched, and
/// `null` clears an optional field (personal email, department, manager, designation, primary source).
/// Unknown fields are refused (400), since they are usually typos.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct UserUpdateBody {
    /// The display name; also sets the first and last names (first word, rest).
    #[schema(nullable = false)]
    user_name: Option<String>,
    /// The primary email: a valid email, unique in the tenant regardless of case (409 if taken).
    #[schema(nullable = false)]
    user_email: Option<String>,
    /// A valid email, or null.
    user_personal_email: Option<String>,
    /// An ObjectId of a department of this tenant, or null.
    user_department_id: Option<String>,
    #[schema(nullable = false)]
    user_status: Option<UserStatusSchema>,
    /// An ObjectId of another user of this tenant, or null. Never the user itself, never a cycle.
    reporting_manager_id: Option<String>,
    user_designation: Option<String>,
    #[schema(nullable = false)]
    user_account_type: Option<AccountTypeSchema>,
    #[schema(nullable = false)]
    user_archive: Option<bool>,
    #[schema(nullable = false)]
    optimization_inclusion: Option<OptimizationInclusionSchema>,
    /// All three fields together, or null to clear.
    primary_source: Option<PrimarySourceBody>,
    /// Values to set, one entry per field; a `field_value` of null removes the value. Fields not
    /// listed keep their values. Each value must fit its field's type.
    #[schema(nullable = false)]
    user_custom_fields: Option<Vec<CustomFieldValueBody>>,
    /// Replaces the permissions granted to the user directly; names from `GET /v2/permissions`.
    #[schema(nullable = false, value_type = Option<Vec<PermissionSchema>>)]
    user_permissions: Option<Vec<String>>,
    /// Replaces the roles given to the user directly: ObjectIds of roles of this tenant.
    #[schema(nullable = false)]
    user_role_ids: Option<Vec<String>>,
    /// Replaces the user's group memberships: ObjectIds of user groups of this tenant. Naming a
    /// system group the user is in anyway is accepted and changes nothing; naming one they cannot
    /// be in (Service Accounts for a non-service account) is refused.
    #[schema(nullable = false)]
    user_group_ids: Option<Vec<String>>,
}

/// The body of `POST /v2/add-user`.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct UserCreateBody {
    /// Required.
    user_name: String,
    /// Required; unique in the tenant regardless of case.
    user_email: String,
    user_personal_email: Option<String>,
    user_department_id: Option<String>,
    /// Default `active`.
    #[schema(nullable = false)]
    user_status: Option<UserStatusSchema>,
    reporting_manager_id: Option<String>,
    /// The manager by email, instead of `reporting_manager_id`.
    #[schema(nullable = false)]
    reporting_manager_email: Option<String>,
    user_designation: Option<String>,
    /// Default `employee` (`user_account_type` is accepted too).
    #[schema(nullable = false)]
    account_type: Option<AccountTypeSchema>,
    #[schema(nullable = false)]
    user_archive: Option<bool>,
    /// Default `include for all optimizations`.
    #[schema(nullable = false)]
    optimization_inclusion: Option<OptimizationInclusionSchema>,
    primary_source: Option<PrimarySourceBody>,
    #[schema(nullable = false)]
    user_custom_fields: Option<Vec<CustomFieldValueBody>>,
    /// Permissions granted to the user directly; names from `GET /v2/permissions`.
    #[schema(nullable = false, value_type = Option<Vec<PermissionSchema>>)]
    user_permissions: Option<Vec<String>>,
    /// ObjectIds of roles of this tenant, given to the user directly.
    #[schema(nullable = false)]
    user_role_ids: Option<Vec<String>>,
    /// ObjectIds of user groups of this tenant to make the user a member of.
    #[schema(nullable = false)]
    user_group_ids: Option<Vec<String>>,
    /// Accepted for compatibility with Zluri and ignored: Roster has no onboarding workflow.
    #[schema(value_type = Option<Object>)]
    #[serde(rename = "onboardingData")]
    onboarding_data: Option<Value>,
}

/// Where the user comes from. When given, all three fields are required.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct PrimarySourceBody {
    /// The integration's keyword, e.g. `okta`.
    keyword: String,
    /// An ObjectId of an integration of this tenant.
    org_integration_id: String,
    /// An ObjectId: the integration in the catalogue.
    integration_id: String,
}

#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct CustomFieldValueBody {
    /// An ObjectId of a user custom field of this tenant.
    field_id: String,
    /// Must fit the field's type: text → string; number → number; date → `YYYY-MM-DD`; bool →
    /// boolean; select → one of the options. Null removes the value.
    #[schema(value_type = Object)]
    field_value: Value,
}
