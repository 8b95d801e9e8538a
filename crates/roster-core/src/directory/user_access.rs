//! What a user may do: reading a user together with their groups and roles, and the rules for
//! changing a user's roles and group memberships.

use std::collections::{BTreeMap, BTreeSet};

use super::{Directory, Reader};
use crate::command::{SetChange, UserFieldNames, UserUpdate};
use crate::error::{DomainResult, FieldErrors};
use crate::id::{RoleId, TenantId, UserGroupId, UserId};
use crate::model::{Role, User, UserAccess, UserGroup, UserGroupDetail};
use crate::query::{Condition, PageRequest, UserFilter, UserQuery};
use crate::store::Session;

/// The names the caller's dialect gives the fields of group and role commands.
#[derive(Clone, Copy, Debug)]
pub struct AccessFieldNames {
    pub name: &'static str,
    pub description: &'static str,
    pub roles: &'static str,
    pub members: &'static str,
    pub groups: &'static str,
}

impl Directory {
    /// The user with their groups (system groups included) and roles.
    pub async fn user_access(&self, reader: &Reader<'_>, id: &UserId) -> DomainResult<UserAccess> {
        let user = self.user(reader, id).await?;
        Ok(self.users_access(reader, vec![user]).await?.remove(0))
    }

    /// These users with their groups and roles, reading each group and role once.
    pub async fn users_access(
        &self,
        reader: &Reader<'_>,
        users: Vec<User>,
    ) -> DomainResult<Vec<UserAccess>> {
        let mut session = self.store.reader().await?;
        describe_users(session.as_mut(), &reader.tenant().id, users).await
    }
}

/// Reads what [`UserAccess`] needs for each user: every group and role once, member counts once.
pub(super) async fn describe_users(
    session: &mut dyn Session,
    tenant: &TenantId,
    users: Vec<User>,
) -> DomainResult<Vec<UserAccess>> {
    // Only the system groups one of these users is in: counting the members of one (a whole
    // tenant's users) is the costliest read here.
    let system: Vec<UserGroup> = session
        .system_groups(tenant)
        .await?
        .into_iter()
        .filter(|group| {
            group
                .system
                .is_some_and(|kind| users.iter().any(|user| kind.includes(user.account_type)))
        })
        .collect();
    let group_ids: Vec<UserGroupId> = users
        .iter()
        .flat_map(|user| user.group_ids.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut groups = system.clone();
    groups.extend(session.user_groups(tenant, &group_ids).await?);
    let role_ids: Vec<RoleId> = users
        .iter()
        .flat_map(|user| user.role_ids.iter())
        .chain(groups.iter().flat_map(|group| group.role_ids.iter()))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let roles: BTreeMap<RoleId, Role> = session
        .roles(tenant, &role_ids)
        .await?
        .into_iter()
        .map(|role| (role.id.clone(), role))
        .collect();
    let mut details = BTreeMap::new();
    for group in groups {
        let detail = group_detail(session, tenant, group, &roles, 0).await?;
        details.insert(detail.group.id.clone(), detail);
    }
    let mut explicit: Vec<&UserGroupDetail> = details
        .values()
        .filter(|detail| detail.group.system.is_none())
        .collect();
    explicit.sort_by_key(|detail| detail.group.name.as_str().to_lowercase());
    Ok(users
        .into_iter()
        .map(|user| {
            let in_system = system
                .iter()
                .filter(|group| {
                    group
                        .system
                        .is_some_and(|kind| kind.includes(user.account_type))
                })
                .filter_map(|group| details.get(&group.id));
            let member_of = explicit
                .iter()
                .copied()
                .filter(|detail| user.group_ids.contains(&detail.group.id));
            let groups = in_system.chain(member_of).cloned().collect();
            let user_roles = user
                .role_ids
                .iter()
                .filter_map(|id| roles.get(id).cloned())
                .collect();
            UserAccess {
                user,
                groups,
                roles: sorted_by_name(user_roles),
            }
        })
        .collect())
}

/// A group with its roles (taken from `roles`), its member count and up to `sample` members.
pub(super) async fn group_detail(
    session: &mut dyn Session,
    tenant: &TenantId,
    group: UserGroup,
    roles: &BTreeMap<RoleId, Role>,
    sample: u32,
) -> DomainResult<UserGroupDetail> {
    let member_count = session.count_members(tenant, &group).await?;
    let members = if sample == 0 {
        Vec::new()
    } else {
        session.members(tenant, &group, sample).await?
    };
    let group_roles = group
        .role_ids
        .iter()
        .filter_map(|id| roles.get(id).cloned())
        .collect();
    Ok(UserGroupDetail {
        group,
        roles: sorted_by_name(group_roles),
        member_count,
        members,
    })
}

fn sorted_by_name(mut roles: Vec<Role>) -> Vec<Role> {
    roles.sort_by_key(|role| role.name.as_str().to_lowercase());
    roles
}

/// The rules of a user's roles and memberships: named roles and groups exist in the tenant, and
/// system groups are not joined or left by hand. Naming a system group the user is in anyway (as a
/// client does when it writes back what it read) is accepted and dropped from the change.
pub(super) async fn check_access(
    session: &mut dyn Session,
    user: &User,
    update: &mut UserUpdate,
    names: &UserFieldNames,
    errors: &mut FieldErrors,
) -> DomainResult<()> {
    let tenant = &user.tenant_id;
    if let Some(named) = update.roles.named() {
        check_roles(session, tenant, named, names.roles, errors).await?;
    }
    let Some(named) = update.groups.named() else {
        return Ok(());
    };
    let ids: Vec<UserGroupId> = named.iter().cloned().collect();
    let found = session.user_groups(tenant, &ids).await?;
    if let Some(reason) = unknown(&ids, found.iter().map(|group| &group.id), "user group") {
        errors.body(names.groups, reason);
    }
    let account_type = update.account_type.unwrap_or(user.account_type);
    let removing = matches!(update.groups, SetChange::Remove(_));
    let mut system = BTreeSet::new();
    for group in &found {
        let Some(kind) = group.system else { continue };
        if kind.includes(account_type) == removing {
            let reason = if removing {
                format!("{kind} is a system group: its members cannot leave it")
            } else {
                format!("{kind} is a system group: this user cannot be a member")
            };
            errors.body(names.groups, reason);
        }
        system.insert(group.id.clone());
    }
    update.groups = std::mem::take(&mut update.groups).without(|id| system.contains(id));
    Ok(())
}

/// Every named role exists in the tenant.
pub(super) async fn check_roles(
    session: &mut dyn Session,
    tenant: &TenantId,
    named: &BTreeSet<RoleId>,
    field: &str,
    errors: &mut FieldErrors,
) -> DomainResult<()> {
    let ids: Vec<RoleId> = named.iter().cloned().collect();
    let found = session.roles(tenant, &ids).await?;
    if let Some(reason) = unknown(&ids, found.iter().map(|role| &role.id), "role") {
        errors.body(field, reason);
    }
    Ok(())
}

/// "no role with these ids exists: …" when some of `wanted` are not among `found`.
pub(super) fn unknown<'a, T: Ord + std::fmt::Display + 'a>(
    wanted: &[T],
    found: impl Iterator<Item = &'a T>,
    entity: &str,
) -> Option<String> {
    let found: BTreeSet<&T> = found.collect();
    let missing: Vec<String> = wanted
        .iter()
        .filter(|id| !found.contains(id))
        .map(ToString::to_string)
        .collect();
    (!missing.is_empty())
        .then(|| format!("no {entity} with these ids exists: {}", missing.join(", ")))
}

/// Records (in `errors`, under `field`) every id that is not a user of the tenant; for operations
/// that name users in a body. Reads the users a page at a time, not one by one.
pub(super) async fn check_users(
    session: &mut dyn Session,
    tenant: &TenantId,
    ids: &BTreeSet<UserId>,
    field: &str,
    errors: &mut FieldErrors,
) -> DomainResult<()> {
    let wanted: Vec<UserId> = ids.iter().cloned().collect();
    let mut found = BTreeSet::new();
    for chunk in wanted.chunks(PageRequest::MAX_SIZE as usize) {
        let query = UserQuery {
            conditions: vec![Condition {
                filter: UserFilter::Ids(chunk.to_vec()),
                negated: false,
            }],
            page: PageRequest::new(1, PageRequest::MAX_SIZE),
            ..UserQuery::default()
        };
        let page = session.list_users(tenant, &query).await?;
        found.extend(page.items.into_iter().map(|user| user.id));
    }
    if let Some(reason) = unknown(&wanted, found.iter(), "user") {
        errors.body(field, reason);
    }
    Ok(())
}

/// Records every id that is not a user group of the tenant.
pub(super) async fn check_groups(
    session: &mut dyn Session,
    tenant: &TenantId,
    ids: &BTreeSet<UserGroupId>,
    field: &str,
    errors: &mut FieldErrors,
) -> DomainResult<()> {
    let wanted: Vec<UserGroupId> = ids.iter().cloned().collect();
    let found = session.user_groups(tenant, &wanted).await?;
    if let Some(reason) = unknown(&wanted, found.iter().map(|group| &group.id), "user group") {
        errors.body(field, reason);
    }
    Ok(())
}
