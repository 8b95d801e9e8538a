//! A Roster user as a SCIM User resource (core, enterprise and Roster extensions), and a SCIM
//! User lowered back to a core [`UserUpdate`]. DESIGN §3 has the mapping; the published schema
//! (`discovery/user.json`) documents every attribute.

use std::collections::{BTreeSet, HashMap};

use roster_core::command::{SetChange, UserUpdate};
use roster_core::credential::CredentialHash;
use roster_core::id::{DepartmentId, UserId};
use roster_core::model::{User, UserAccess};
use roster_core::query::PageRequest;
use roster_core::values::{
    AccountType, Email, Name, OptimizationInclusion, Permission, UserStatus,
};
use roster_core::{FieldErrors, Patch, Reader};
use roster_scim::ResourceSchema;
use serde_json::{json, Map, Value};

use super::custom_fields::{custom_attributes, CustomAttribute};
use super::error::ScimResult;
use super::extract::ScimBase;
use super::resource::{field, text};
use super::response::meta;
use super::schemas::{user_schema, CUSTOM_FIELDS, ENTERPRISE_USER, ROSTER_USER, USER};
use crate::AppState;

/// The core attributes a client writes, and those of each fixed extension (custom fields are the
/// tenant's: [`UserLookup::writable_keys`]).
const CORE_ATTRIBUTES: [&str; 11] = [
    "externalId",
    "userName",
    "name",
    "displayName",
    "title",
    "userType",
    "active",
    "password",
    "emails",
    "entitlements",
    "roles",
];
const ENTERPRISE_ATTRIBUTES: [&str; 3] = ["employeeNumber", "department", "manager"];
const ROSTER_ATTRIBUTES: [&str; 2] = ["optimizationInclusion", "archived"];

/// What rendering and writing users needs besides the users: the names of departments, and the
/// tenant's custom fields with the User schema that publishes them.
pub struct UserLookup {
    pub base: ScimBase,
    departments: HashMap<DepartmentId, String>,
    pub custom: Vec<CustomAttribute>,
    pub schema: ResourceSchema,
}

impl UserLookup {
    pub async fn load(state: &AppState, reader: &Reader<'_>, base: ScimBase) -> ScimResult<Self> {
        let mut departments = HashMap::new();
        for number in 1.. {
            let page = PageRequest::new(number, PageRequest::MAX_SIZE);
            let listed = state.directory.list_departments(reader, None, page).await?;
            let done = listed.items.len() < PageRequest::MAX_SIZE as usize;
            departments.extend(listed.items.into_iter().map(|d| (d.id, d.name)));
            if done {
                break;
            }
        }
        let custom = custom_attributes(state.directory.custom_fields(reader).await?);
        Ok(Self {
            base,
            departments,
            schema: user_schema(&custom),
            custom,
        })
    }

    /// Learns the name of the user's department if it is new since the lookup was loaded (a
    /// write that names a department makes it when the tenant has none).
    pub async fn learn_department(
        &mut self,
        state: &AppState,
        reader: &Reader<'_>,
        user: &User,
    ) -> ScimResult<()> {
        if let Some(id) = &user.department_id {
            if !self.departments.contains_key(id) {
                let department = state.directory.department(reader, id).await?;
                self.departments.insert(department.id, department.name);
            }
        }
        Ok(())
    }

    /// The keys of every attribute a client writes, as [`Touched`] keys.
    pub fn writable_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = CORE_ATTRIBUTES.iter().map(|k| (*k).to_owned()).collect();
        let extensions = [
            (ENTERPRISE_USER, &ENTERPRISE_ATTRIBUTES[..]),
            (ROSTER_USER, &ROSTER_ATTRIBUTES[..]),
        ];
        for (urn, attributes) in extensions {
            keys.extend(attributes.iter().map(|a| extension_key(urn, a)));
        }
        let custom = self.custom.iter().filter(|a| a.writable());
        keys.extend(custom.map(|a| extension_key(CUSTOM_FIELDS, &a.name)));
        keys
    }

    /// The user's URI.
    pub fn location(&self, id: &UserId) -> String {
        self.base.location("Users", id.as_str())
    }
}

/// The SCIM User of `access`: every attribute Roster has, before projection.
pub fn user_resource(access: &UserAccess, lookup: &UserLookup) -> Value {
    let user = &access.user;
    let mut resource = Map::new();
    let mut schemas = vec![json!(USER)];
    resource.insert("id".into(), json!(user.id));
    put(&mut resource, "externalId", user.external_id.as_ref());
    resource.insert(
        "userName".into(),
        json!(user.login_name.as_deref().unwrap_or(user.email.as_str())),
    );
    let mut name = Map::new();
    put(&mut name, "givenName", user.given_name.as_ref());
    put(&mut name, "familyName", user.family_name.as_ref());
    if !name.is_empty() {
        resource.insert("name".into(), Value::Object(name));
    }
    resource.insert("displayName".into(), json!(user.display_name));
    put(&mut resource, "title", user.designation.as_ref());
    resource.insert("userType".into(), json!(user.account_type));
    match user.status {
        UserStatus::Active => resource.insert("active".into(), json!(true)),
        UserStatus::Inactive | UserStatus::Suspended => {
            resource.insert("active".into(), json!(false))
        }
        UserStatus::Unknown => None,
    };
    let mut emails =
        vec![json!({"value": user.email, "type": "work", "primary": user.email_primary})];
    if let Some(personal) = &user.personal_email {
        emails.push(json!({"value": personal, "type": "home"}));
    }
    resource.insert("emails".into(), Value::Array(emails));
    if !user.permissions.is_empty() {
        let entitlements = user.permissions.iter().map(|p| json!({"value": p}));
        resource.insert("entitlements".into(), entitlements.collect());
    }
    if !access.roles.is_empty() {
        let roles = access.roles.iter().map(|role| json!({"value": role.name}));
        resource.insert("roles".into(), roles.collect());
    }
    // System groups are not SCIM groups: their members follow from the users.
    let groups: Vec<Value> = access
        .groups
        .iter()
        .filter(|detail| detail.group.system.is_none())
        .map(|detail| {
            let id = detail.group.id.as_str();
            json!({"value": id, "$ref": lookup.base.location("Groups", id), "display": detail.group.name})
        })
        .collect();
    if !groups.is_empty() {
        resource.insert("groups".into(), Value::Array(groups));
    }
    let mut enterprise = Map::new();
    put(
        &mut enterprise,
        "employeeNumber",
        user.employee_number.as_ref(),
    );
    let department = user
        .department_id
        .as_ref()
        .and_then(|id| lookup.departments.get(id));
    put(&mut enterprise, "department", department);
    if let Some(manager) = &user.reporting_manager_id {
        let reference = lookup.location(manager);
        enterprise.insert(
            "manager".into(),
            json!({"value": manager, "$ref": reference}),
        );
    }
    if !enterprise.is_empty() {
        schemas.push(json!(ENTERPRISE_USER));
        resource.insert(ENTERPRISE_USER.into(), Value::Object(enterprise));
    }
    let mut roster = Map::new();
    roster.insert(
        "optimizationInclusion".into(),
        json!(user.optimization_inclusion),
    );
    roster.insert("archived".into(), json!(user.archived));
    schemas.push(json!(ROSTER_USER));
    resource.insert(ROSTER_USER.into(), Value::Object(roster));
    let custom: Map<String, Value> = lookup
        .custom
        .iter()
        .filter_map(|attribute| {
            let stored = user
                .custom_values
                .iter()
                .find(|value| value.field_id == attribute.field.id)?;
            Some((attribute.name.clone(), stored.value.clone()))
        })
        .collect();
    if !custom.is_empty() {
        schemas.push(json!(CUSTOM_FIELDS));
        resource.insert(CUSTOM_FIELDS.into(), Value::Object(custom));
    }
    resource.insert("schemas".into(), Value::Array(schemas));
    let location = lookup.location(&user.id);
    resource.insert(
        "meta".into(),
        meta(
            "User",
            user.created_at,
            user.updated_at,
            location,
            user.version,
        ),
    );
    Value::Object(resource)
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<&String>) {
    if let Some(value) = value {
        map.insert(key.into(), json!(value));
    }
}

/// Which attributes a write names: all of them for a create or a replace, the changed ones for
/// a PATCH. Keys are core attribute names, or `URN:attribute` for extension attributes.
pub type Touched = BTreeSet<String>;

/// An extension attribute's key in [`Touched`].
fn extension_key(urn: &str, attribute: &str) -> String {
    format!("{urn}:{attribute}")
}

/// `resource` (already in the schema's canonical names and types) lowered to an update of the
/// attributes in `touched`. `current` is the user being changed (`None` on create). Absent
/// touched attributes are cleared where Roster can clear them; Roster's required values
/// (display name, account type, optimization inclusion, archived) keep theirs.
pub fn lower_user(
    resource: &Value,
    touched: &Touched,
    current: Option<&User>,
    custom: &[CustomAttribute],
    errors: &mut FieldErrors,
) -> UserUpdate {
    let mut update = UserUpdate::default();
    let has = |key: &str| touched.contains(key);
    let enterprise = |name: &str| field(resource, ENTERPRISE_USER).and_then(|e| field(e, name));
    let roster = |name: &str| field(resource, ROSTER_USER).and_then(|e| field(e, name));

    if has("externalId") {
        update.external_id = optional_text(field(resource, "externalId"), "externalId", errors);
    }
    if has("name") {
        let name = field(resource, "name");
        for (sub, target) in [
            ("givenName", &mut update.given_name),
            ("familyName", &mut update.family_name),
        ] {
            *target = match name.and_then(|n| field(n, sub)) {
                None | Some(Value::Null) => Patch::Clear,
                Some(value) => match text(value).map(Name::parse) {
                    Some(Ok(parsed)) => Patch::Set(parsed.to_string()),
                    _ => {
                        errors.body(format!("name.{sub}"), "must be a non-blank string");
                        Patch::Unchanged
                    }
                },
            };
        }
    }
    if has("displayName") {
        if let Some(value) = field(resource, "displayName") {
            match text(value).map(Name::parse) {
                Some(Ok(name)) => update.display_name = Some(name),
                _ => errors.body("displayName", "must be a non-blank string"),
            }
        }
    }
    if has("title") {
        update.designation = optional_text(field(resource, "title"), "title", errors);
    }
    if has("userType") {
        if let Some(value) = field(resource, "userType") {
            match text(value).map(|t| AccountType::parse(&t.to_lowercase())) {
                Some(Ok(kind)) => update.account_type = Some(kind),
                _ => errors.body(
                    "userType",
                    "must be one of employee, service, group, external",
                ),
            }
        }
    }
    if has("active") && (current.is_some() || field(resource, "active").is_some()) {
        update.status = Some(match field(resource, "active") {
            // A user created without `active` is active; one whose `active` is removed is unknown.
            None | Some(Value::Null) => UserStatus::Unknown,
            Some(Value::Bool(true)) => UserStatus::Active,
            // A suspended user is already not active; false keeps the finer status.
            Some(Value::Bool(false)) => match current.map(|user| user.status) {
                Some(UserStatus::Suspended) => UserStatus::Suspended,
                _ => UserStatus::Inactive,
            },
            Some(_) => {
                errors.body("active", "must be a boolean");
                return update;
            }
        });
    }
    if has("password") {
        if let Some(value) = field(resource, "password") {
            match text(value).map(CredentialHash::from_secret) {
                Some(Ok(hash)) => update.credential = Patch::Set(hash),
                Some(Err(reason)) => errors.body("password", reason),
                None => errors.body("password", "must be a string"),
            }
        }
    }
    let work_email = if has("emails") {
        read_emails(field(resource, "emails"), &mut update, errors)
    } else {
        None
    };
    resolve_user_name(resource, touched, current, work_email, &mut update, errors);
    if has("entitlements") {
        update.permissions =
            SetChange::Replace(read_entitlements(field(resource, "entitlements"), errors));
    }
    if has("roles") {
        update.roles_named = Some(read_roles(field(resource, "roles"), errors));
    }
    if has(&extension_key(ENTERPRISE_USER, "employeeNumber")) {
        update.employee_number =
            optional_text(enterprise("employeeNumber"), "employeeNumber", errors);
    }
    if has(&extension_key(ENTERPRISE_USER, "department")) {
        match enterprise("department") {
            None | Some(Value::Null) => update.department = Patch::Clear,
            Some(value) => match text(value).map(Name::parse) {
                Some(Ok(name)) => update.department_named = Some(name),
                _ => errors.body("department", "must be a non-blank string"),
            },
        }
    }
    if has(&extension_key(ENTERPRISE_USER, "manager")) {
        update.reporting_manager = match enterprise("manager") {
            None | Some(Value::Null) => Patch::Clear,
            Some(manager) => {
                let id = field(manager, "value").and_then(text).or_else(|| {
                    field(manager, "$ref")
                        .and_then(text)
                        .and_then(|r| r.rsplit('/').next())
                });
                match id.map(UserId::parse) {
                    Some(Ok(id)) => Patch::Set(id),
                    _ => {
                        errors.body("manager.value", "must be the id of a user of the tenant");
                        Patch::Unchanged
                    }
                }
            }
        };
    }
    if has(&extension_key(ROSTER_USER, "optimizationInclusion")) {
        if let Some(value) = roster("optimizationInclusion") {
            match text(value).map(OptimizationInclusion::parse) {
                Some(Ok(inclusion)) => update.optimization_inclusion = Some(inclusion),
                _ => errors.body(
                    "optimizationInclusion",
                    "must be one of the four optimization inclusion settings",
                ),
            }
        }
    }
    if has(&extension_key(ROSTER_USER, "archived")) {
        match roster("archived") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(archived)) => update.archived = Some(*archived),
            Some(_) => errors.body("archived", "must be a boolean"),
        }
    }
    let custom_value = |name: &str| field(resource, CUSTOM_FIELDS).and_then(|e| field(e, name));
    for attribute in custom.iter().filter(|a| a.writable()) {
        if has(&extension_key(CUSTOM_FIELDS, &attribute.name)) {
            let change = attribute.change(custom_value(&attribute.name), errors);
            update.custom_values.push(change);
        }
    }
    update
}

/// Reads `emails`: the home address is the personal email; the first other one is the work email,
/// which is returned. Absent emails clear the personal one.
fn read_emails(
    emails: Option<&Value>,
    update: &mut UserUpdate,
    errors: &mut FieldErrors,
) -> Option<Email> {
    let items = match emails {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => {
            errors.body("emails", "must be an array");
            return None;
        }
    };
    let mut work = None;
    update.personal_email = Patch::Clear;
    for (index, item) in items.iter().enumerate() {
        let parsed = field(item, "value").and_then(text).map(Email::parse);
        let email = match parsed {
            Some(Ok(email)) => email,
            Some(Err(reason)) => {
                errors.body(format!("emails[{index}].value"), reason);
                continue;
            }
            None => {
                errors.body(format!("emails[{index}].value"), "is required");
                continue;
            }
        };
        let kind = field(item, "type").and_then(text).unwrap_or("work");
        if kind.eq_ignore_ascii_case("home") {
            update.personal_email = Patch::Set(email);
        } else if work.is_none() {
            work = Some(email);
            let primary = field(item, "primary").and_then(Value::as_bool);
            update.email_primary = Some(primary.unwrap_or(true));
        }
    }
    work
}

/// The email and login name from `userName` and the work email: the work email is the user's
/// email; without one, a `userName` that is an email is. A `userName` other than the email is kept
/// as the login name.
fn resolve_user_name(
    resource: &Value,
    touched: &Touched,
    current: Option<&User>,
    work_email: Option<Email>,
    update: &mut UserUpdate,
    errors: &mut FieldErrors,
) {
    let user_name = if touched.contains("userName") {
        match field(resource, "userName").and_then(text) {
            Some(name) if !name.trim().is_empty() => Some(name.to_owned()),
            _ => {
                errors.body("userName", "is required");
                return;
            }
        }
    } else {
        None
    };
    let email = match (work_email, &user_name) {
        (Some(work), _) => Some(work),
        (None, Some(name)) => Email::parse(name).ok(),
        (None, None) => None,
    };
    if email.is_none() && (current.is_none() || touched.contains("emails")) {
        errors.body(
            "emails",
            "a user needs an email: give a work email, or an email as userName",
        );
        return;
    }
    if let Some(name) = user_name {
        let final_email = email
            .as_ref()
            .or(current.map(|user| &user.email))
            .map(Email::as_str)
            .unwrap_or_default();
        update.login_name = if name.eq_ignore_ascii_case(final_email) {
            Patch::Clear
        } else {
            Patch::Set(name)
        };
    }
    update.email = email;
}

fn read_entitlements(value: Option<&Value>, errors: &mut FieldErrors) -> BTreeSet<Permission> {
    let items = match value {
        None | Some(Value::Null) => return BTreeSet::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            errors.body("entitlements", "must be an array");
            return BTreeSet::new();
        }
    };
    let mut permissions = BTreeSet::new();
    for (index, item) in items.iter().enumerate() {
        let value = field(item, "value");
        match value.and_then(text).map(Permission::parse) {
            Some(Ok(permission)) => {
                permissions.insert(permission);
            }
            _ => errors.body(
                format!("entitlements[{index}].value"),
                format!(
                    "{} is not a permission of the catalogue (GET /v2/permissions)",
                    value.unwrap_or(&Value::Null)
                ),
            ),
        }
    }
    permissions
}

/// The role names of `roles` (`[{"value": name}]`).
fn read_roles(value: Option<&Value>, errors: &mut FieldErrors) -> Vec<Name> {
    let items = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            errors.body("roles", "must be an array");
            return Vec::new();
        }
    };
    let mut names = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match field(item, "value").and_then(text).map(Name::parse) {
            Some(Ok(name)) => names.push(name),
            _ => errors.body(format!("roles[{index}].value"), "must be a role name"),
        }
    }
    names
}

fn optional_text(value: Option<&Value>, name: &str, errors: &mut FieldErrors) -> Patch<String> {
    match value {
        None | Some(Value::Null) => Patch::Clear,
        Some(value) => match text(value) {
            Some(text) => Patch::Set(text.to_owned()),
            None => {
                errors.body(name, "must be a string");
                Patch::Unchanged
            }
        },
    }
}
