//! Use cases on user groups: create, read, list, update (name, description, roles, members) and
//! delete. System groups keep their name and members; only their roles can change.

use std::collections::{BTreeMap, BTreeSet};

use super::user_access::{check_roles, check_users, group_detail, AccessFieldNames};
use super::users::update_in;
use super::{record, Directory, Reader, Writer};
use crate::command::{NewUserGroup, SetChange, UserFieldNames, UserGroupUpdate, UserUpdate};
use crate::error::{DomainError, DomainResult, FieldErrors};
use crate::id::{RoleId, TenantId, UserGroupId, UserId};
use crate::model::{Role, UserGroup, UserGroupDetail};
use crate::query::{Slice, Window};
use crate::store::Session;

impl Directory {
    pub async fn create_user_group(
        &self,
        writer: &Writer<'_>,
        new: NewUserGroup,
        names: &AccessFieldNames,
    ) -> DomainResult<UserGroupDetail> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let mut errors = FieldErrors::new();
        check_roles(
            session.as_mut(),
            tenant,
            &new.role_ids,
            names.roles,
            &mut errors,
        )
        .await?;
        check_users(
            session.as_mut(),
            tenant,
            &new.members,
            names.members,
            &mut errors,
        )
        .await?;
        errors.into_result()?;
        let mut group = UserGroup::new(tenant.clone(), new.name);
        group.description = new.description;
        group.external_id = new.external_id;
        group.role_ids = new.role_ids;
        session
            .insert_user_group(&group)
            .await
            .map_err(|error| error.naming_conflict("name", names.name))?;
        record(
            session.as_mut(),
            writer,
            "user_group.create",
            group.id.as_str(),
            None,
            Some(&group),
        )
        .await?;
        change_members(
            session.as_mut(),
            writer,
            &group.id,
            &new.members,
            true,
            names,
        )
        .await?;
        let detail = read_detail(session.as_mut(), tenant, group).await?;
        session.commit().await?;
        Ok(detail)
    }

    pub async fn user_group(
        &self,
        reader: &Reader<'_>,
        id: &UserGroupId,
    ) -> DomainResult<UserGroupDetail> {
        let tenant = &reader.tenant().id;
        let mut session = self.store.reader().await?;
        let group = session
            .user_group(tenant, id, false)
            .await?
            .ok_or(DomainError::not_found("user group"))?;
        read_detail(session.as_mut(), tenant, group).await
    }

    pub async fn list_user_groups(
        &self,
        reader: &Reader<'_>,
        search: Option<&str>,
        window: Window,
    ) -> DomainResult<Slice<UserGroupDetail>> {
        let tenant = &reader.tenant().id;
        let mut session = self.store.reader().await?;
        let listed = session.list_user_groups(tenant, search, window).await?;
        let mut items = Vec::with_capacity(listed.items.len());
        for group in listed.items {
            items.push(read_detail(session.as_mut(), tenant, group).await?);
        }
        Ok(Slice {
            total: listed.total,
            items,
        })
    }

    /// The groups alone, without their roles' details or member counts (for dialects that read
    /// the members themselves, like SCIM).
    pub async fn user_groups_page(
        &self,
        reader: &Reader<'_>,
        search: Option<&str>,
        window: Window,
    ) -> DomainResult<Slice<UserGroup>> {
        let mut session = self.store.reader().await?;
        session
            .list_user_groups(&reader.tenant().id, search, window)
            .await
    }

    /// The ids of the members of each of these plain groups, in a few reads however many there
    /// are.
    pub async fn group_member_ids(
        &self,
        reader: &Reader<'_>,
        groups: &[UserGroupId],
    ) -> DomainResult<BTreeMap<UserGroupId, BTreeSet<UserId>>> {
        let mut session = self.store.reader().await?;
        session.member_ids(&reader.tenant().id, groups).await
    }

    /// Changes name, description and roles of the group and adds and removes members, in one
    /// transaction.
    pub async fn update_user_group(
        &self,
        writer: &Writer<'_>,
        id: &UserGroupId,
        update: UserGroupUpdate,
        names: &AccessFieldNames,
    ) -> DomainResult<UserGroupDetail> {
        let mut session = self.store.writer().await?;
        let group = update_group_in(session.as_mut(), writer, id, update, names).await?;
        let detail = read_detail(session.as_mut(), &writer.tenant().id, group).await?;
        session.commit().await?;
        Ok(detail)
    }

    /// Deletes a group; its members leave it. System groups cannot be deleted. `if_revision`
    /// makes it conditional on the [revision](UserGroup::revision) the caller saw.
    pub async fn delete_user_group(
        &self,
        writer: &Writer<'_>,
        id: &UserGroupId,
        if_revision: Option<i64>,
    ) -> DomainResult<UserGroup> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let group = session
            .user_group(tenant, id, true)
            .await?
            .ok_or(DomainError::not_found("user group"))?;
        check_revision(session.as_mut(), &group, if_revision).await?;
        if group.system.is_some() {
            return Err(DomainError::Forbidden("a system group cannot be deleted"));
        }
        session.delete_user_group(tenant, id).await?;
        record(
            session.as_mut(),
            writer,
            "user_group.delete",
            id.as_str(),
            Some(&group),
            None,
        )
        .await?;
        session.commit().await?;
        Ok(group)
    }
}

/// Updates one group inside a write session, with its audit event (and one per member changed).
pub(super) async fn update_group_in(
    session: &mut dyn Session,
    writer: &Writer<'_>,
    id: &UserGroupId,
    update: UserGroupUpdate,
    names: &AccessFieldNames,
) -> DomainResult<UserGroup> {
    let tenant = &writer.tenant().id;
    let current = session
        .user_group(tenant, id, true)
        .await?
        .ok_or(DomainError::not_found("user group"))?;
    if update
        .if_match
        .is_some_and(|version| version != current.version)
    {
        return Err(DomainError::PreconditionFailed {
            current: current.version,
        });
    }
    check_revision(session, &current, update.if_revision).await?;
    let mut errors = FieldErrors::new();
    if let Some(kind) = current.system {
        if update
            .name
            .as_ref()
            .is_some_and(|name| name != &current.name)
        {
            errors.body(
                names.name,
                format!("{kind} is a system group: its name cannot change"),
            );
        }
        // A client writing back what it read (same name, same description) changes nothing.
        let description = update
            .description
            .clone()
            .apply_to(current.description.clone());
        if description != current.description {
            errors.body(
                names.description,
                format!("{kind} is a system group: its description cannot change"),
            );
        }
        if !update.add_members.is_empty() || !update.remove_members.is_empty() {
            errors.body(
                names.members,
                format!("{kind} is a system group: its members follow from the users"),
            );
        }
    }
    if let Some(named) = update.roles.named() {
        check_roles(session, tenant, named, names.roles, &mut errors).await?;
    }
    let members: BTreeSet<UserId> = update
        .add_members
        .union(&update.remove_members)
        .cloned()
        .collect();
    check_users(session, tenant, &members, names.members, &mut errors).await?;
    errors.into_result()?;
    let mut next = current.clone();
    next.name = update.name.unwrap_or(next.name);
    next.description = update.description.apply_to(next.description);
    next.external_id = update.external_id.apply_to(next.external_id);
    next.role_ids = update.roles.apply_to(next.role_ids);
    if next != current {
        next.version = current.version + 1;
        next.updated_at = crate::model::now();
        let written = session.update_user_group(&next, current.version).await;
        if !written.map_err(|error| error.naming_conflict("name", names.name))? {
            return Err(DomainError::PreconditionFailed {
                current: current.version,
            });
        }
        record(
            session,
            writer,
            "user_group.update",
            id.as_str(),
            Some(&current),
            Some(&next),
        )
        .await?;
    }
    change_members(session, writer, id, &update.add_members, true, names).await?;
    change_members(session, writer, id, &update.remove_members, false, names).await?;
    Ok(next)
}

/// Refuses (412) a write conditional on a revision the group (locked by the caller) no longer has.
async fn check_revision(
    session: &mut dyn Session,
    group: &UserGroup,
    if_revision: Option<i64>,
) -> DomainResult<()> {
    let Some(expected) = if_revision else {
        return Ok(());
    };
    let ids = std::slice::from_ref(&group.id);
    let mut members = session.member_ids(&group.tenant_id, ids).await?;
    let current = group.revision(&members.remove(&group.id).unwrap_or_default());
    if current == expected {
        Ok(())
    } else {
        Err(DomainError::PreconditionFailed { current })
    }
}

/// Adds (`join`) or removes these users to or from the group, as updates of the users.
async fn change_members(
    session: &mut dyn Session,
    writer: &Writer<'_>,
    group: &UserGroupId,
    users: &BTreeSet<UserId>,
    join: bool,
    names: &AccessFieldNames,
) -> DomainResult<()> {
    let user_names = UserFieldNames::all(names.members);
    for user in users {
        let group = BTreeSet::from([group.clone()]);
        let update = UserUpdate {
            groups: SetChange::add_or_remove(join, group),
            ..UserUpdate::default()
        };
        update_in(
            session,
            writer,
            user,
            update,
            None,
            &user_names,
            FieldErrors::new(),
        )
        .await?;
    }
    Ok(())
}

/// A group as its own endpoints show it: roles, member count and the first members.
pub(super) async fn read_detail(
    session: &mut dyn Session,
    tenant: &TenantId,
    group: UserGroup,
) -> DomainResult<UserGroupDetail> {
    let ids: Vec<RoleId> = group.role_ids.iter().cloned().collect();
    let roles: BTreeMap<RoleId, Role> = session
        .roles(tenant, &ids)
        .await?
        .into_iter()
        .map(|role| (role.id.clone(), role))
        .collect();
    group_detail(
        session,
        tenant,
        group,
        &roles,
        UserGroupDetail::MEMBER_SAMPLE,
    )
    .await
}
