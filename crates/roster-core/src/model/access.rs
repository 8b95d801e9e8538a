//! Who may do what: user groups, roles and the permissions they carry. A user's permissions are the
//! ones granted to them directly, plus those of their roles, plus those of their groups' roles.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::id::{RoleId, TenantId, UserGroupId, UserId};
use crate::values::{Email, Name, Permission, SystemGroup};

/// A group of users that share roles. System groups (`system` set) have members that follow from
/// the users themselves; their name and members cannot be edited, their roles can.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UserGroup {
    pub id: UserGroupId,
    pub tenant_id: TenantId,
    pub name: Name,
    pub description: Option<String>,
    /// The id an identity provider gives the group (SCIM `externalId`).
    pub external_id: Option<String>,
    pub system: Option<SystemGroup>,
    pub role_ids: BTreeSet<RoleId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl UserGroup {
    pub fn new(tenant_id: TenantId, name: Name) -> Self {
        let now = crate::model::now();
        Self {
            id: UserGroupId::generate(),
            tenant_id,
            name,
            description: None,
            external_id: None,
            system: None,
            role_ids: BTreeSet::new(),
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    /// The system group `kind` of a new tenant.
    pub fn system(tenant_id: TenantId, kind: SystemGroup) -> Self {
        let name = Name::parse(kind.as_str()).unwrap_or_else(|_| unreachable!("a valid name"));
        Self {
            description: Some(kind.description().to_owned()),
            system: Some(kind),
            ..Self::new(tenant_id, name)
        }
    }

    /// The group's revision with these members: it changes whenever the group or its members do.
    /// The members live on the users (a member change does not grow the group's [`version`]), so
    /// protocols whose group resource lists its members (SCIM) tag it with this instead. It is a
    /// stable 64-bit FNV-1a hash, the same on every node and every build, kept positive.
    ///
    /// [`version`]: UserGroup::version
    pub fn revision<'a>(&self, members: impl IntoIterator<Item = &'a UserId>) -> i64 {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0100_0000_01b3;
        let mut sorted: Vec<&UserId> = members.into_iter().collect();
        sorted.sort();
        sorted.dedup();
        let mut hash = OFFSET;
        let version = self.version.to_le_bytes();
        let bytes = sorted
            .iter()
            .flat_map(|id| id.as_str().bytes().chain([b',']));
        for byte in version.into_iter().chain(bytes) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
        }
        (hash >> 1) as i64
    }

    /// Whether the name (and the description) can be changed, and the group deleted.
    pub fn name_editable(&self) -> bool {
        self.system.is_none()
    }

    /// Whether members can be added and removed by hand.
    pub fn users_editable(&self) -> bool {
        self.system.is_none()
    }

    /// Roles can be given to every group, system groups too.
    pub fn roles_editable(&self) -> bool {
        true
    }
}

/// A named set of permissions, held by users directly and by groups.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Role {
    pub id: RoleId,
    pub tenant_id: TenantId,
    pub name: Name,
    pub description: Option<String>,
    pub permissions: BTreeSet<Permission>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Who changed the role last (the API key's name), for Wavefront's `lastUpdatedAccountId`.
    pub updated_by: Option<String>,
    pub version: i64,
}

impl Role {
    pub fn new(tenant_id: TenantId, name: Name) -> Self {
        let now = crate::model::now();
        Self {
            id: RoleId::generate(),
            tenant_id,
            name,
            description: None,
            permissions: BTreeSet::new(),
            created_at: now,
            updated_at: now,
            updated_by: None,
            version: 1,
        }
    }
}

/// A group as readers see it: with its roles, how many members it has and the first of them.
#[derive(Clone, Debug, PartialEq)]
pub struct UserGroupDetail {
    pub group: UserGroup,
    pub roles: Vec<Role>,
    pub member_count: u64,
    /// Members by email, at most [`UserGroupDetail::MEMBER_SAMPLE`] of them (empty where the
    /// reader asked for none).
    pub members: Vec<Email>,
}

impl UserGroupDetail {
    /// How many members a group's representation lists; `member_count` has the exact number.
    pub const MEMBER_SAMPLE: u32 = 1000;
}

/// Who holds a role: directly (accounts) and through groups.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RoleLinks {
    pub account_count: u64,
    pub group_count: u64,
    /// The first accounts by email and groups by name, at most [`RoleLinks::SAMPLE`] of each.
    pub sample_accounts: Vec<Email>,
    pub sample_groups: Vec<UserGroup>,
}

impl RoleLinks {
    pub const SAMPLE: u32 = 10;
}

/// A role with who holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleDetail {
    pub role: Role,
    pub links: RoleLinks,
}

/// Everything that decides what a user may do.
#[derive(Clone, Debug, PartialEq)]
pub struct UserAccess {
    pub user: crate::model::User,
    /// Every group the user is in, system groups first, then by name.
    pub groups: Vec<UserGroupDetail>,
    /// The roles given to the user directly, by name.
    pub roles: Vec<Role>,
}

impl UserAccess {
    /// Direct permissions, plus those of the user's roles, plus those of their groups' roles.
    pub fn effective_permissions(&self) -> BTreeSet<Permission> {
        let through_groups = self.groups.iter().flat_map(|group| &group.roles);
        self.roles
            .iter()
            .chain(through_groups)
            .flat_map(|role| role.permissions.iter().copied())
            .chain(self.user.permissions.iter().copied())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group() -> UserGroup {
        let name = Name::parse("Engineers").expect("name");
        UserGroup::new(TenantId::generate(), name)
    }

    #[test]
    fn a_group_revision_changes_with_its_members_and_its_version_only() {
        let group = group();
        let (ada, bob) = (UserId::generate(), UserId::generate());
        let empty = group.revision([]);
        let both = group.revision([&ada, &bob]);
        assert_ne!(empty, both);
        assert_ne!(group.revision([&ada]), both);
        assert_eq!(
            group.revision([&bob, &ada, &ada]),
            both,
            "a set: order and repeats don't count"
        );
        let renamed = UserGroup {
            version: group.version + 1,
            ..group.clone()
        };
        assert_ne!(renamed.revision([&ada, &bob]), both);
        assert!(both >= 0 && empty >= 0);
    }
}
