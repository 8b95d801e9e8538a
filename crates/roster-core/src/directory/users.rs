//! Use cases on users: create, read, list, update (the seed endpoint) and delete.

use std::collections::BTreeSet;

use super::custom_values::check_custom_values;
use super::user_access::check_access;
use super::{record, Directory, Reader, Writer};
use crate::command::{NewUser, SetChange, UserFieldNames, UserUpdate};
use crate::error::{DomainError, DomainResult, FieldErrors};
use crate::id::{TenantId, UserId};
use crate::model::{Department, Role, User};
use crate::patch::Patch;
use crate::query::{Condition, Page, PageRequest, Sort, UserFilter, UserQuery, UserSortKey};
use crate::store::Session;
use crate::values::FieldEntity;

/// Management chains longer than this are treated as broken rather than walked forever.
const MAX_CHAIN: usize = 10_000;

impl Directory {
    pub async fn user(&self, reader: &Reader<'_>, id: &UserId) -> DomainResult<User> {
        let mut session = self.store.reader().await?;
        session
            .user(&reader.tenant().id, id, false)
            .await?
            .ok_or(DomainError::not_found("user"))
    }

    pub async fn list_users(
        &self,
        reader: &Reader<'_>,
        query: &UserQuery,
    ) -> DomainResult<Page<User>> {
        let mut session = self.store.reader().await?;
        session.list_users(&reader.tenant().id, query).await
    }

    /// Every user of the tenant by email (for dialects without paging, like Wavefront's).
    pub async fn all_users(&self, reader: &Reader<'_>) -> DomainResult<Vec<User>> {
        self.all_users_where(reader, Vec::new()).await
    }

    /// Every user of the tenant that meets all `conditions`, by email.
    pub async fn all_users_where(
        &self,
        reader: &Reader<'_>,
        conditions: Vec<Condition>,
    ) -> DomainResult<Vec<User>> {
        let mut users = Vec::new();
        for page in 1.. {
            let query = UserQuery {
                conditions: conditions.clone(),
                page: PageRequest::new(page, PageRequest::MAX_SIZE),
                sort: vec![Sort {
                    key: UserSortKey::Email,
                    descending: false,
                }],
            };
            let listed = self.list_users(reader, &query).await?;
            let done = listed.items.len() < PageRequest::MAX_SIZE as usize;
            users.extend(listed.items);
            if done {
                break;
            }
        }
        Ok(users)
    }

    /// The user with this email (compared case-insensitively).
    pub async fn user_by_email(&self, reader: &Reader<'_>, email: &str) -> DomainResult<User> {
        let id = self.user_id_by_email(reader, email).await?;
        self.user(reader, &id).await
    }

    /// The id of the user with this email (compared case-insensitively): one indexed lookup, for
    /// dialects that name users by email and then change them.
    pub async fn user_id_by_email(&self, reader: &Reader<'_>, email: &str) -> DomainResult<UserId> {
        let mut session = self.store.reader().await?;
        session
            .user_id_by_email(&reader.tenant().id, email)
            .await?
            .ok_or(DomainError::not_found("user"))
    }

    /// The users with these emails (case-insensitive); unknown emails are left out.
    pub async fn users_by_emails(
        &self,
        reader: &Reader<'_>,
        emails: Vec<String>,
    ) -> DomainResult<Vec<User>> {
        let query = UserQuery {
            conditions: vec![Condition {
                filter: UserFilter::Emails(emails),
                negated: false,
            }],
            page: PageRequest::new(1, PageRequest::MAX_SIZE),
            ..UserQuery::default()
        };
        Ok(self.list_users(reader, &query).await?.items)
    }

    /// Creates a user. `errors` carries what the dialect already found wrong, so that every failing
    /// field is reported at once.
    pub async fn create_user(
        &self,
        writer: &Writer<'_>,
        new: NewUser,
        names: &UserFieldNames,
        errors: FieldErrors,
    ) -> DomainResult<User> {
        let mut session = self.store.writer().await?;
        let user = create_in(session.as_mut(), writer, new, names, errors).await?;
        session.commit().await?;
        Ok(user)
    }

    /// Creates all these users in one transaction, or none of them. An error names the failing
    /// user by its position (`[2].email`).
    pub async fn create_users(
        &self,
        writer: &Writer<'_>,
        users: Vec<NewUser>,
        names: &UserFieldNames,
    ) -> DomainResult<Vec<User>> {
        let mut session = self.store.writer().await?;
        let mut created = Vec::with_capacity(users.len());
        for (index, new) in users.into_iter().enumerate() {
            let user = create_in(session.as_mut(), writer, new, names, FieldErrors::new())
                .await
                .map_err(|error| error.at_position(index))?;
            created.push(user);
        }
        session.commit().await?;
        Ok(created)
    }

    /// Applies a partial update: absent fields are untouched. Nothing is written unless every
    /// field is valid; `if_match` makes the update conditional on the version the caller saw.
    pub async fn update_user(
        &self,
        writer: &Writer<'_>,
        id: &UserId,
        update: UserUpdate,
        if_match: Option<i64>,
        names: &UserFieldNames,
        errors: FieldErrors,
    ) -> DomainResult<User> {
        let mut session = self.store.writer().await?;
        let user = update_in(
            session.as_mut(),
            writer,
            id,
            update,
            if_match,
            names,
            errors,
        )
        .await?;
        session.commit().await?;
        Ok(user)
    }

    /// Applies these updates in one transaction, or none of them. An error names the failing user
    /// by its position.
    pub async fn update_users(
        &self,
        writer: &Writer<'_>,
        updates: Vec<(UserId, UserUpdate)>,
        names: &UserFieldNames,
    ) -> DomainResult<Vec<User>> {
        let mut session = self.store.writer().await?;
        let mut updated = Vec::with_capacity(updates.len());
        for (index, (id, update)) in updates.into_iter().enumerate() {
            let user = update_in(
                session.as_mut(),
                writer,
                &id,
                update,
                None,
                names,
                FieldErrors::new(),
            )
            .await
            .map_err(|error| error.at_position(index))?;
            updated.push(user);
        }
        session.commit().await?;
        Ok(updated)
    }

    /// Deletes a user; `if_match` makes it conditional on the version the caller saw.
    pub async fn delete_user(
        &self,
        writer: &Writer<'_>,
        id: &UserId,
        if_match: Option<i64>,
    ) -> DomainResult<()> {
        self.delete_users_at(writer, std::slice::from_ref(id), if_match)
            .await
    }

    /// Deletes these users in one transaction; if one of them does not exist, none is deleted.
    pub async fn delete_users(&self, writer: &Writer<'_>, ids: &[UserId]) -> DomainResult<()> {
        self.delete_users_at(writer, ids, None).await
    }

    /// Deletes these users in one transaction, each only if it is at `if_match` (when given).
    async fn delete_users_at(
        &self,
        writer: &Writer<'_>,
        ids: &[UserId],
        if_match: Option<i64>,
    ) -> DomainResult<()> {
        let mut session = self.store.writer().await?;
        let tenant = &writer.tenant().id;
        for id in ids {
            let user = session
                .user(tenant, id, true)
                .await?
                .ok_or(DomainError::not_found("user"))?;
            if if_match.is_some_and(|version| version != user.version) {
                return Err(DomainError::PreconditionFailed {
                    current: user.version,
                });
            }
            session.delete_user(tenant, id).await?;
            record(
                session.as_mut(),
                writer,
                "user.delete",
                id.as_str(),
                Some(&user),
                None,
            )
            .await?;
        }
        session.commit().await
    }
}

/// Creates one user inside a write session, with its audit event.
async fn create_in(
    session: &mut dyn Session,
    writer: &Writer<'_>,
    new: NewUser,
    names: &UserFieldNames,
    mut errors: FieldErrors,
) -> DomainResult<User> {
    let tenant = &writer.tenant().id;
    let blank = User::new(tenant.clone(), new.email.clone(), new.display_name.clone());
    let mut rest = new.rest;
    if let Some(email) = &new.reporting_manager_email {
        match session.user_id_by_email(tenant, email.as_str()).await? {
            Some(manager) => rest.reporting_manager = Patch::Set(manager),
            None => errors.body(names.reporting_manager_email, "no user has this email"),
        }
    }
    check_references(session, &blank, &mut rest, names, &mut errors).await?;
    errors.into_result()?;
    resolve_names(session, writer, &mut rest).await?;
    check_email_free(session, &blank, names).await?;
    let user = blank.apply(rest);
    // The check above decides; the unique index only catches a concurrent create.
    session
        .insert_user(&user)
        .await
        .map_err(|error| error.naming_conflict("email", names.email))?;
    record(
        session,
        writer,
        "user.create",
        user.id.as_str(),
        None,
        Some(&user),
    )
    .await?;
    Ok(user)
}

/// Updates one user inside a write session, with its audit event. The user stays locked until the
/// session ends, so concurrent updates of different fields both land.
pub(super) async fn update_in(
    session: &mut dyn Session,
    writer: &Writer<'_>,
    id: &UserId,
    mut update: UserUpdate,
    if_match: Option<i64>,
    names: &UserFieldNames,
    mut errors: FieldErrors,
) -> DomainResult<User> {
    let current = session
        .user(&writer.tenant().id, id, true)
        .await?
        .ok_or(DomainError::not_found("user"))?;
    if if_match.is_some_and(|version| version != current.version) {
        return Err(DomainError::PreconditionFailed {
            current: current.version,
        });
    }
    check_references(session, &current, &mut update, names, &mut errors).await?;
    errors.into_result()?;
    resolve_names(session, writer, &mut update).await?;
    let mut next = current.apply(update);
    if next.email != current.email {
        check_email_free(session, &next, names).await?;
    }
    if next == current {
        return Ok(current);
    }
    next.version = current.version + 1;
    next.updated_at = crate::model::now();
    let written = session.update_user(&next, current.version).await;
    if !written.map_err(|error| error.naming_conflict("email", names.email))? {
        return Err(DomainError::PreconditionFailed {
            current: current.version,
        });
    }
    record(
        session,
        writer,
        "user.update",
        id.as_str(),
        Some(&current),
        Some(&next),
    )
    .await?;
    Ok(next)
}

/// Turns a department named in the update into its id, making the department (audited, in the
/// same transaction) when the tenant has none by that name.
async fn resolve_names(
    session: &mut dyn Session,
    writer: &Writer<'_>,
    update: &mut UserUpdate,
) -> DomainResult<()> {
    resolve_department_name(session, writer, update).await?;
    resolve_role_names(session, writer, update).await
}

async fn resolve_department_name(
    session: &mut dyn Session,
    writer: &Writer<'_>,
    update: &mut UserUpdate,
) -> DomainResult<()> {
    let Some(name) = update.department_named.take() else {
        return Ok(());
    };
    let tenant = &writer.tenant().id;
    let department = match session.department_by_name(tenant, name.as_str()).await? {
        Some(department) => department,
        None => {
            let department = Department::new(tenant.clone(), &name);
            session.insert_department(&department).await?;
            let id = department.id.as_str();
            record(
                session,
                writer,
                "department.create",
                id,
                None,
                Some(&department),
            )
            .await?;
            department
        }
    };
    update.department = Patch::Set(department.id);
    Ok(())
}

/// [`UserUpdate::roles_named`] as role ids, making the roles the tenant lacks (audited).
async fn resolve_role_names(
    session: &mut dyn Session,
    writer: &Writer<'_>,
    update: &mut UserUpdate,
) -> DomainResult<()> {
    let Some(names) = update.roles_named.take() else {
        return Ok(());
    };
    let tenant = &writer.tenant().id;
    let mut ids = BTreeSet::new();
    for name in names {
        let role = match session.role_by_name(tenant, name.as_str()).await? {
            Some(role) => role,
            None => {
                let mut role = Role::new(tenant.clone(), name);
                role.updated_by = Some(writer.actor().name.clone());
                session.insert_role(&role).await?;
                let id = role.id.as_str();
                record(session, writer, "role.create", id, None, Some(&role)).await?;
                role
            }
        };
        ids.insert(role.id);
    }
    update.roles = SetChange::Replace(ids);
    Ok(())
}

/// Every rule of a user update that needs the directory: referenced ids exist in the tenant, the
/// management chain has no cycle, custom values fit their fields (and are put in their stored form).
/// Failures go into `errors`.
async fn check_references(
    session: &mut dyn Session,
    user: &User,
    update: &mut UserUpdate,
    names: &UserFieldNames,
    errors: &mut FieldErrors,
) -> DomainResult<()> {
    let tenant = &user.tenant_id;
    if let Patch::Set(department) = &update.department {
        if session.department(tenant, department).await?.is_none() {
            errors.body(names.department, "no department with this id exists");
        }
    }
    if let Patch::Set(manager) = &update.reporting_manager {
        if let Err(reason) = check_manager(session, tenant, &user.id, manager).await? {
            errors.body(names.reporting_manager, reason);
        }
    }
    if let Patch::Set(source) = &update.primary_source {
        if session
            .integration(tenant, &source.org_integration_id)
            .await?
            .is_none()
        {
            errors.body(
                names.primary_source_integration,
                "no integration with this id exists",
            );
        }
    }
    check_custom_values(
        session,
        tenant,
        FieldEntity::User,
        &mut update.custom_values,
        names.custom_fields,
        errors,
    )
    .await?;
    check_access(session, user, update, names, errors).await
}

/// Why `manager` cannot manage `user`, if it cannot: it must exist, not be the user, and not sit
/// below the user in the management chain (which would make a cycle).
async fn check_manager(
    session: &mut dyn Session,
    tenant: &TenantId,
    user: &UserId,
    manager: &UserId,
) -> DomainResult<Result<(), &'static str>> {
    if manager == user {
        return Ok(Err("a user cannot be their own reporting manager"));
    }
    if session.user(tenant, manager, false).await?.is_none() {
        return Ok(Err("no user with this id exists"));
    }
    let mut above = manager.clone();
    for _ in 0..MAX_CHAIN {
        match session.manager_of(tenant, &above).await? {
            Some(next) if &next == user => {
                return Ok(Err(
                    "would create a cycle: this user is above the manager in the chain",
                ))
            }
            Some(next) => above = next,
            None => return Ok(Ok(())),
        }
    }
    Ok(Err(
        "the management chain above this manager is too long or already cyclic",
    ))
}

/// Emails are unique per tenant regardless of case: a clash is a conflict (409), not bad input.
async fn check_email_free(
    session: &mut dyn Session,
    user: &User,
    names: &UserFieldNames,
) -> DomainResult<()> {
    match session
        .user_id_by_email(&user.tenant_id, &user.email.normalized())
        .await?
    {
        Some(other) if other != user.id => Err(DomainError::conflict(
            names.email,
            "another user already has this email",
        )),
        _ => Ok(()),
    }
}
