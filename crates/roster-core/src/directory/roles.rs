//! Use cases on roles: create, read, list, update (name, description, permissions), delete, and
//! giving a role to users and groups or taking it from them.

use std::collections::BTreeSet;

use super::user_access::{check_groups, check_users, AccessFieldNames};
use super::user_groups::update_group_in;
use super::users::update_in;
use super::{record, Directory, Reader, Writer};
use crate::command::{
    NewRole, RoleHolders, RoleUpdate, SetChange, UserFieldNames, UserGroupUpdate, UserUpdate,
};
use crate::error::{DomainError, DomainResult, FieldErrors};
use crate::id::{RoleId, TenantId};
use crate::model::{Role, RoleDetail, RoleLinks};
use crate::query::{Slice, Window};
use crate::store::Session;

impl Directory {
    pub async fn create_role(
        &self,
        writer: &Writer<'_>,
        new: NewRole,
        names: &AccessFieldNames,
    ) -> DomainResult<RoleDetail> {
        let tenant = &writer.tenant().id;
        let mut role = Role::new(tenant.clone(), new.name);
        role.description = new.description;
        role.permissions = new.permissions;
        role.updated_by = Some(writer.actor().name.clone());
        let mut session = self.store.writer().await?;
        session
            .insert_role(&role)
            .await
            .map_err(|error| error.naming_conflict("name", names.name))?;
        record(
            session.as_mut(),
            writer,
            "role.create",
            role.id.as_str(),
            None,
            Some(&role),
        )
        .await?;
        session.commit().await?;
        Ok(RoleDetail {
            role,
            links: RoleLinks::default(),
        })
    }

    pub async fn role(&self, reader: &Reader<'_>, id: &RoleId) -> DomainResult<RoleDetail> {
        let tenant = &reader.tenant().id;
        let mut session = self.store.reader().await?;
        let role = session
            .role(tenant, id, false)
            .await?
            .ok_or(DomainError::not_found("role"))?;
        with_links(session.as_mut(), tenant, role).await
    }

    pub async fn list_roles(
        &self,
        reader: &Reader<'_>,
        search: Option<&str>,
        window: Window,
    ) -> DomainResult<Slice<RoleDetail>> {
        let tenant = &reader.tenant().id;
        let mut session = self.store.reader().await?;
        let listed = session.list_roles(tenant, search, window).await?;
        let mut items = Vec::with_capacity(listed.items.len());
        for role in listed.items {
            items.push(with_links(session.as_mut(), tenant, role).await?);
        }
        Ok(Slice {
            total: listed.total,
            items,
        })
    }

    pub async fn update_role(
        &self,
        writer: &Writer<'_>,
        id: &RoleId,
        update: RoleUpdate,
        names: &AccessFieldNames,
    ) -> DomainResult<RoleDetail> {
        let mut roles = self
            .update_roles(writer, vec![(id.clone(), update)], names)
            .await?;
        Ok(roles.remove(0))
    }

    /// Applies these updates in one transaction, or none of them (Wavefront grants a permission
    /// to many roles at once).
    pub async fn update_roles(
        &self,
        writer: &Writer<'_>,
        updates: Vec<(RoleId, RoleUpdate)>,
        names: &AccessFieldNames,
    ) -> DomainResult<Vec<RoleDetail>> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let batch = updates.len() > 1;
        let mut updated = Vec::with_capacity(updates.len());
        for (index, (id, update)) in updates.into_iter().enumerate() {
            let role = update_role_in(session.as_mut(), writer, &id, update, names)
                .await
                .map_err(|error| {
                    if batch {
                        error.at_position(index)
                    } else {
                        error
                    }
                })?;
            updated.push(with_links(session.as_mut(), tenant, role).await?);
        }
        session.commit().await?;
        Ok(updated)
    }

    /// Deletes a role; the users and groups holding it lose it.
    pub async fn delete_role(&self, writer: &Writer<'_>, id: &RoleId) -> DomainResult<Role> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let role = session
            .role(tenant, id, true)
            .await?
            .ok_or(DomainError::not_found("role"))?;
        session.delete_role(tenant, id).await?;
        record(
            session.as_mut(),
            writer,
            "role.delete",
            id.as_str(),
            Some(&role),
            None,
        )
        .await?;
        session.commit().await?;
        Ok(role)
    }

    /// Gives the role to (`grant`) or takes it from these users and groups, in one transaction.
    pub async fn change_role_holders(
        &self,
        writer: &Writer<'_>,
        id: &RoleId,
        holders: RoleHolders,
        grant: bool,
        names: &AccessFieldNames,
    ) -> DomainResult<RoleDetail> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let role = session
            .role(tenant, id, true)
            .await?
            .ok_or(DomainError::not_found("role"))?;
        // Every unknown user and group is named at once, before anything is written.
        let mut errors = FieldErrors::new();
        check_users(
            session.as_mut(),
            tenant,
            &holders.users,
            names.members,
            &mut errors,
        )
        .await?;
        check_groups(
            session.as_mut(),
            tenant,
            &holders.groups,
            names.groups,
            &mut errors,
        )
        .await?;
        errors.into_result()?;
        let change = |set| SetChange::add_or_remove(grant, set);
        let user_names = UserFieldNames::all(names.members);
        for user in &holders.users {
            let update = UserUpdate {
                roles: change(BTreeSet::from([id.clone()])),
                ..UserUpdate::default()
            };
            update_in(
                session.as_mut(),
                writer,
                user,
                update,
                None,
                &user_names,
                FieldErrors::new(),
            )
            .await?;
        }
        for group in &holders.groups {
            let update = UserGroupUpdate {
                roles: change(BTreeSet::from([id.clone()])),
                ..UserGroupUpdate::default()
            };
            let group_names = AccessFieldNames {
                members: names.groups,
                ..*names
            };
            update_group_in(session.as_mut(), writer, group, update, &group_names)
                .await
                .map_err(|error| match error {
                    // Checked above; only a concurrent delete gets here.
                    DomainError::NotFound { .. } => DomainError::invalid(
                        names.groups,
                        format!("no user group with these ids exists: {group}"),
                    ),
                    other => other,
                })?;
        }
        let detail = with_links(session.as_mut(), tenant, role).await?;
        session.commit().await?;
        Ok(detail)
    }
}

/// Updates one role inside a write session, with its audit event.
async fn update_role_in(
    session: &mut dyn Session,
    writer: &Writer<'_>,
    id: &RoleId,
    update: RoleUpdate,
    names: &AccessFieldNames,
) -> DomainResult<Role> {
    let current = session
        .role(&writer.tenant().id, id, true)
        .await?
        .ok_or(DomainError::not_found("role"))?;
    let mut next = current.clone();
    next.name = update.name.unwrap_or(next.name);
    next.description = update.description.apply_to(next.description);
    next.permissions = update.permissions.apply_to(next.permissions);
    if next == current {
        return Ok(current);
    }
    next.version = current.version + 1;
    next.updated_at = crate::model::now();
    next.updated_by = Some(writer.actor().name.clone());
    let written = session.update_role(&next, current.version).await;
    if !written.map_err(|error| error.naming_conflict("name", names.name))? {
        return Err(DomainError::PreconditionFailed {
            current: current.version,
        });
    }
    record(
        session,
        writer,
        "role.update",
        id.as_str(),
        Some(&current),
        Some(&next),
    )
    .await?;
    Ok(next)
}

async fn with_links(
    session: &mut dyn Session,
    tenant: &TenantId,
    role: Role,
) -> DomainResult<RoleDetail> {
    let links = session
        .role_links(tenant, &role.id, RoleLinks::SAMPLE)
        .await?;
    Ok(RoleDetail { role, links })
}
