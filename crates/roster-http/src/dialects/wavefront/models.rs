//! Wavefront's JSON models (seed-apis.md §3.4), built from the directory's entities. Key names are
//! the generated clients' `attribute_map`s; the keys the Python client requires are never null.

use chrono::{DateTime, Utc};
use roster_core::model::{Role, RoleDetail, UserAccess, UserGroup, UserGroupDetail};
use roster_core::query::{Slice, Window};
use serde::Serialize;
use utoipa::ToSchema;

/// What may be changed on a user group. System groups keep their name and members.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserGroupProperties {
    pub name_editable: bool,
    pub users_editable: bool,
    pub roles_editable: bool,
}

/// What may be changed on a role (every role Roster has is editable).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleProperties {
    pub name_editable: bool,
    pub perms_editable: bool,
    pub users_addable: bool,
    pub users_removable: bool,
    pub deletable: bool,
}

/// `RoleDTO`. The link counts and samples are present where a role is read on its own (the role
/// API); inside a user or group they are left out.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleDto {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub customer: String,
    /// The permissions the role grants.
    pub permissions: Vec<String>,
    pub created_epoch_millis: i64,
    pub last_updated_ms: i64,
    /// The name of the API key that changed the role last.
    pub last_updated_account_id: Option<String>,
    pub properties: RoleProperties,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked_accounts_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked_groups_count: Option<u64>,
    /// Up to ten users holding the role directly, by email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_linked_accounts: Option<Vec<String>>,
    /// Up to ten groups holding the role, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_linked_groups: Option<Vec<LinkedGroup>>,
}

/// A group inside a role's sample: a `UserGroup` without its roles (which would lead back to the
/// role).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkedGroup {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub customer: String,
    pub properties: UserGroupProperties,
    pub created_epoch_millis: i64,
    pub role_count: usize,
}

impl LinkedGroup {
    fn of(group: &UserGroup, customer: &str) -> Self {
        Self {
            id: group.id.to_string(),
            name: group.name.to_string(),
            description: group.description.clone(),
            customer: customer.to_owned(),
            properties: UserGroupProperties::of(group),
            created_epoch_millis: millis(group.created_at),
            role_count: group.role_ids.len(),
        }
    }
}

impl UserGroupProperties {
    fn of(group: &UserGroup) -> Self {
        Self {
            name_editable: group.name_editable(),
            users_editable: group.users_editable(),
            roles_editable: group.roles_editable(),
        }
    }
}

/// `UserGroup` (inside a user) and `UserGroupModel` (the user-group API): the same keys.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserGroupModel {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub customer: String,
    pub properties: UserGroupProperties,
    pub created_epoch_millis: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<RoleDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_count: Option<u64>,
    /// The members' emails: the first 1,000 by email (`userCount` is exact). Left out inside a
    /// user, where the group `Everyone` would list the whole directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<String>>,
}

/// `UserModel`: `identifier`, `customer`, `groups` and `userGroups` are always present.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserModel {
    /// The user's email.
    pub identifier: String,
    /// The tenant's slug.
    pub customer: String,
    pub sso_id: Option<String>,
    /// Epoch milliseconds.
    pub last_successful_login: Option<i64>,
    /// The permissions granted to the user directly (not those of their roles and groups).
    pub groups: Vec<String>,
    /// Every group the user is in: the system groups first, then by name.
    pub user_groups: Vec<UserGroupModel>,
    /// The roles given to the user directly.
    pub roles: Vec<RoleDto>,
}

/// `ValidatedUsersDTO`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ValidatedUsers {
    pub valid_users: Vec<UserModel>,
    pub invalid_identifiers: Vec<String>,
}

/// `Paged<T>`: one window of a list by `offset` and `limit`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub offset: u64,
    pub limit: u32,
    pub total_items: u64,
    pub more_items: bool,
    pub cursor: Option<String>,
    pub sort: Option<Sorting>,
}

/// Lists are sorted by name, ascending.
#[derive(Debug, Serialize, ToSchema)]
pub struct Sorting {
    pub field: &'static str,
    pub ascending: bool,
}

impl<T> Paged<T> {
    pub fn of<U>(slice: Slice<U>, window: Window, view: impl Fn(U) -> T) -> Self {
        let shown = u64::try_from(slice.items.len()).unwrap_or(u64::MAX);
        Self {
            items: slice.items.into_iter().map(view).collect(),
            offset: window.offset,
            limit: window.limit,
            total_items: slice.total,
            more_items: window.offset.saturating_add(shown) < slice.total,
            cursor: None,
            sort: Some(Sorting {
                field: "name",
                ascending: true,
            }),
        }
    }
}

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

impl RoleDto {
    pub fn of(role: &Role, customer: &str) -> Self {
        Self {
            id: role.id.to_string(),
            name: role.name.to_string(),
            description: role.description.clone(),
            customer: customer.to_owned(),
            permissions: role.permissions.iter().map(|p| p.to_string()).collect(),
            created_epoch_millis: millis(role.created_at),
            last_updated_ms: millis(role.updated_at),
            last_updated_account_id: role.updated_by.clone(),
            properties: RoleProperties {
                name_editable: true,
                perms_editable: true,
                users_addable: true,
                users_removable: true,
                deletable: true,
            },
            linked_accounts_count: None,
            linked_groups_count: None,
            sample_linked_accounts: None,
            sample_linked_groups: None,
        }
    }

    pub fn detailed(detail: &RoleDetail, customer: &str) -> Self {
        let links = &detail.links;
        Self {
            linked_accounts_count: Some(links.account_count),
            linked_groups_count: Some(links.group_count),
            sample_linked_accounts: Some(
                links
                    .sample_accounts
                    .iter()
                    .map(|e| e.to_string())
                    .collect(),
            ),
            sample_linked_groups: Some(
                links
                    .sample_groups
                    .iter()
                    .map(|group| LinkedGroup::of(group, customer))
                    .collect(),
            ),
            ..Self::of(&detail.role, customer)
        }
    }
}

impl UserGroupModel {
    /// A group inside a user: roles and member count, no member list.
    pub fn within_user(detail: &UserGroupDetail, customer: &str) -> Self {
        let group = &detail.group;
        Self {
            id: group.id.to_string(),
            name: group.name.to_string(),
            description: group.description.clone(),
            customer: customer.to_owned(),
            properties: UserGroupProperties::of(group),
            created_epoch_millis: millis(group.created_at),
            roles: Some(
                detail
                    .roles
                    .iter()
                    .map(|role| RoleDto::of(role, customer))
                    .collect(),
            ),
            role_count: Some(group.role_ids.len()),
            user_count: Some(detail.member_count),
            users: None,
        }
    }

    /// A group as the user-group API shows it, with its members.
    pub fn detailed(detail: &UserGroupDetail, customer: &str) -> Self {
        Self {
            users: Some(detail.members.iter().map(|e| e.to_string()).collect()),
            ..Self::within_user(detail, customer)
        }
    }
}

impl UserModel {
    pub fn of(access: &UserAccess, customer: &str) -> Self {
        let user = &access.user;
        Self {
            identifier: user.email.to_string(),
            customer: customer.to_owned(),
            sso_id: user.sso_id.clone(),
            last_successful_login: user.last_successful_login.map(millis),
            groups: user.permissions.iter().map(|p| p.to_string()).collect(),
            user_groups: access
                .groups
                .iter()
                .map(|group| UserGroupModel::within_user(group, customer))
                .collect(),
            roles: access
                .roles
                .iter()
                .map(|role| RoleDto::of(role, customer))
                .collect(),
        }
    }
}
