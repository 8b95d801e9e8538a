//! Commands on user groups and roles.

use std::collections::BTreeSet;

use super::SetChange;
use crate::id::{RoleId, UserId};
use crate::patch::Patch;
use crate::values::{Name, Permission};

#[derive(Clone, Debug)]
pub struct NewUserGroup {
    pub name: Name,
    pub description: Option<String>,
    pub external_id: Option<String>,
    pub role_ids: BTreeSet<RoleId>,
    pub members: BTreeSet<UserId>,
}

/// A partial update of a user group. Members are added and removed on the users themselves
/// (memberships are part of each user's representation and version).
#[derive(Clone, Debug, Default)]
pub struct UserGroupUpdate {
    pub name: Option<Name>,
    pub description: Patch<String>,
    pub external_id: Patch<String>,
    /// The version the caller saw: the update is refused (412) if the group has changed since.
    pub if_match: Option<i64>,
    /// The [revision](crate::model::UserGroup::revision) the caller saw: the update is refused
    /// (412) if the group or its members have changed since.
    pub if_revision: Option<i64>,
    pub roles: SetChange<RoleId>,
    pub add_members: BTreeSet<UserId>,
    pub remove_members: BTreeSet<UserId>,
}

/// Who gains or loses a role: users directly, and groups.
#[derive(Clone, Debug, Default)]
pub struct RoleHolders {
    pub users: BTreeSet<UserId>,
    pub groups: BTreeSet<crate::id::UserGroupId>,
}

#[derive(Clone, Debug)]
pub struct NewRole {
    pub name: Name,
    pub description: Option<String>,
    pub permissions: BTreeSet<Permission>,
}

#[derive(Clone, Debug, Default)]
pub struct RoleUpdate {
    pub name: Option<Name>,
    pub description: Patch<String>,
    pub permissions: SetChange<Permission>,
}
