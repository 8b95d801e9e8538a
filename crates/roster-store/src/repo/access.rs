//! User groups and roles, with the roles a group holds and who is in a group.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use sqlx::any::AnyRow;

use super::links::{parsed_ids, Held, GROUP_ROLES};
use super::{insert_statement, like_pattern, push_window, versioned_update_statement, MAX_KEYS};
use crate::session::SqlSession;
use crate::sql::{column, count, parsed, parsed_opt, time, Arg, Sql};
use roster_core::id::{RoleId, TenantId, UserGroupId, UserId};
use roster_core::model::{Role, RoleLinks, UserGroup};
use roster_core::query::{Slice, Window};
use roster_core::store::AccessRepo;
use roster_core::values::{AccountType, Email, Name, Permission, SystemGroup};
use roster_core::{DomainError, DomainResult};

/// The text of a permission set: the names sorted, separated by one space ('' for none).
pub(super) fn permissions_text(permissions: &BTreeSet<Permission>) -> String {
    let mut names: Vec<&str> = permissions.iter().map(|p| p.as_str()).collect();
    names.sort_unstable();
    names.join(" ")
}

/// The permission set stored in the text column `name`.
pub(super) fn permissions(row: &AnyRow, name: &str) -> DomainResult<BTreeSet<Permission>> {
    parsed(row, name, |text| {
        text.split_whitespace()
            .map(Permission::parse)
            .collect::<Result<_, _>>()
    })
}

const GROUP_COLUMNS: &str =
    "g.id, g.tenant_id, g.name, g.description, g.external_id, g.system_kind, \
    g.created_at, g.updated_at, g.version";

/// The columns a group is written to, in the order of [`group_args`].
const GROUP_WRITE_COLUMNS: [&str; 10] = [
    "id",
    "tenant_id",
    "name",
    "name_lower",
    "description",
    "external_id",
    "system_kind",
    "created_at",
    "updated_at",
    "version",
];

fn group_args(group: &UserGroup) -> Vec<Arg> {
    vec![
        group.id.as_str().into(),
        group.tenant_id.as_str().into(),
        group.name.as_str().into(),
        group.name.as_str().to_lowercase().into(),
        group.description.clone().into(),
        group.external_id.clone().into(),
        group.system.map(SystemGroup::as_str).into(),
        group.created_at.into(),
        group.updated_at.into(),
        group.version.into(),
    ]
}

fn group(row: &AnyRow, roles: Held) -> DomainResult<UserGroup> {
    Ok(UserGroup {
        id: parsed(row, "id", UserGroupId::parse)?,
        tenant_id: parsed(row, "tenant_id", TenantId::parse)?,
        name: parsed(row, "name", Name::parse)?,
        description: column(row, "description")?,
        external_id: column(row, "external_id")?,
        system: parsed_opt(row, "system_kind", SystemGroup::parse)?,
        role_ids: parsed_ids(roles, GROUP_ROLES, RoleId::parse)?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: column(row, "version")?,
    })
}

const ROLE_COLUMNS: &str = "r.id, r.tenant_id, r.name, r.description, r.permissions, \
    r.created_at, r.updated_at, r.updated_by, r.version";

/// The columns a role is written to, in the order of [`role_args`].
const ROLE_WRITE_COLUMNS: [&str; 10] = [
    "id",
    "tenant_id",
    "name",
    "name_lower",
    "description",
    "permissions",
    "created_at",
    "updated_at",
    "updated_by",
    "version",
];

fn role_args(role: &Role) -> Vec<Arg> {
    vec![
        role.id.as_str().into(),
        role.tenant_id.as_str().into(),
        role.name.as_str().into(),
        role.name.as_str().to_lowercase().into(),
        role.description.clone().into(),
        permissions_text(&role.permissions).into(),
        role.created_at.into(),
        role.updated_at.into(),
        role.updated_by.clone().into(),
        role.version.into(),
    ]
}

fn role(row: &AnyRow) -> DomainResult<Role> {
    Ok(Role {
        id: parsed(row, "id", RoleId::parse)?,
        tenant_id: parsed(row, "tenant_id", TenantId::parse)?,
        name: parsed(row, "name", Name::parse)?,
        description: column(row, "description")?,
        permissions: permissions(row, "permissions")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        updated_by: column(row, "updated_by")?,
        version: column(row, "version")?,
    })
}

/// Groups and roles are ordered alike: by lower-cased name, then id (names are unique per tenant
/// only up to case, so the id settles nothing in practice, but it keeps the order total).
fn by_name<T>(items: &mut [T], name: fn(&T) -> &Name, id: fn(&T) -> &str) {
    items.sort_by_cached_key(|item| (name(item).as_str().to_lowercase(), id(item).to_owned()));
}

/// Appends the condition (on `users u`) of being a member of `group`: for system groups, what
/// [`SystemGroup::includes`] says of the user's account type; else a membership row.
/// `FROM … WHERE …` of a group's members as `u`. A plain group starts from its membership rows
/// (which only ever link users of the group's own tenant), so that counting a group reads its
/// members, not the whole tenant; a system group's members follow from the users.
fn push_members(sql: &mut Sql, tenant: &TenantId, group: &UserGroup) {
    match group.system {
        None => sql
            .push(" FROM user_group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ")
            .bind(group.id.as_str()),
        Some(kind) => {
            sql.push(" FROM users u WHERE u.tenant_id = ")
                .bind(tenant.as_str());
            if kind == SystemGroup::ServiceAccounts {
                sql.push(" AND u.account_type = ")
                    .bind(AccountType::Service.as_str());
            }
            sql
        }
    };
}

impl SqlSession {
    /// Groups from rows of [`GROUP_COLUMNS`], with their role ids, in the order of the rows.
    async fn groups_from_rows(&mut self, rows: Vec<AnyRow>) -> DomainResult<Vec<UserGroup>> {
        let ids: Vec<String> = rows
            .iter()
            .map(|row| column(row, "id"))
            .collect::<DomainResult<_>>()?;
        let keys: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut roles = self
            .links_of(&[GROUP_ROLES], &keys)
            .await?
            .pop()
            .unwrap_or_default();
        rows.iter()
            .zip(&ids)
            .map(|(row, id)| group(row, roles.remove(id).unwrap_or_default()))
            .collect()
    }

    /// The tenant's rows (`columns` of `table alias`) with these ids, each once, in no particular
    /// order.
    async fn rows_by_ids(
        &mut self,
        columns: &str,
        table: &str,
        tenant: &TenantId,
        ids: &[&str],
    ) -> DomainResult<Vec<AnyRow>> {
        let alias = table.rsplit(' ').next().unwrap_or(table);
        let ids: Vec<&str> = ids
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut rows = Vec::new();
        for chunk in ids.chunks(MAX_KEYS) {
            let mut select = Sql::new(&format!(
                "SELECT {columns} FROM {table} WHERE {alias}.tenant_id = "
            ));
            select
                .bind(tenant.as_str())
                .push(&format!(" AND {alias}.id IN "))
                .bind_list(chunk.iter().copied());
            rows.extend(select.fetch_all(self.db()).await?);
        }
        Ok(rows)
    }

    /// One window of the tenant's rows (`columns` of `table alias`) by lower-cased name then id,
    /// narrowed to names containing `search`, and how many there are in all.
    async fn named_window(
        &mut self,
        columns: &str,
        table: &str,
        tenant: &TenantId,
        search: Option<&str>,
        window: Window,
    ) -> DomainResult<(u64, Vec<AnyRow>)> {
        let alias = table.rsplit(' ').next().unwrap_or(table);
        let mut count = Sql::new(&format!(
            "SELECT COUNT(*) FROM {table} WHERE {alias}.tenant_id = "
        ));
        let mut select = Sql::new(&format!(
            "SELECT {columns} FROM {table} WHERE {alias}.tenant_id = "
        ));
        for sql in [&mut count, &mut select] {
            sql.bind(tenant.as_str());
            if let Some(term) = search {
                sql.push(&format!(" AND {alias}.name_lower LIKE "))
                    .bind(like_pattern(term))
                    .push(" ESCAPE '\\'");
            }
        }
        let total = count.fetch_count(self.db()).await?;
        select.push(&format!(" ORDER BY {alias}.name_lower, {alias}.id"));
        push_window(&mut select, window);
        Ok((total, select.fetch_all(self.db()).await?))
    }

    /// Grows the version of the tenant's rows of `table` that `holders` (a subquery) selects, so
    /// that their ETags change with what they lose.
    async fn bump_versions(
        &mut self,
        table: &str,
        tenant: &TenantId,
        holders: &str,
        id: &str,
    ) -> DomainResult<u64> {
        Sql::with(
            &format!(
                "UPDATE {table} SET version = version + 1, updated_at = $1 \
                 WHERE tenant_id = $2 AND id IN ({holders})"
            ),
            vec![
                roster_core::model::now().into(),
                tenant.as_str().into(),
                id.into(),
            ],
        )
        .execute(self.db())
        .await
    }
}

#[async_trait]
impl AccessRepo for SqlSession {
    async fn insert_user_group(&mut self, group: &UserGroup) -> DomainResult<()> {
        let text = insert_statement("user_groups", &GROUP_WRITE_COLUMNS);
        Sql::with(&text, group_args(group))
            .execute(self.db())
            .await?;
        let roles: Vec<&str> = group.role_ids.iter().map(RoleId::as_str).collect();
        self.add_links(GROUP_ROLES, &group.tenant_id, group.id.as_str(), &roles)
            .await
    }

    async fn user_group(
        &mut self,
        tenant: &TenantId,
        id: &UserGroupId,
        for_update: bool,
    ) -> DomainResult<Option<UserGroup>> {
        let sql = Sql::with(
            &format!(
                "SELECT {GROUP_COLUMNS} FROM user_groups g WHERE g.tenant_id = $1 AND g.id = $2{}",
                self.backend.lock_rows(for_update)
            ),
            vec![tenant.as_str().into(), id.as_str().into()],
        );
        let rows = sql.fetch_all(self.db()).await?;
        Ok(self.groups_from_rows(rows).await?.pop())
    }

    async fn user_groups(
        &mut self,
        tenant: &TenantId,
        ids: &[UserGroupId],
    ) -> DomainResult<Vec<UserGroup>> {
        let keys: Vec<&str> = ids.iter().map(UserGroupId::as_str).collect();
        let rows = self
            .rows_by_ids(GROUP_COLUMNS, "user_groups g", tenant, &keys)
            .await?;
        let mut groups = self.groups_from_rows(rows).await?;
        by_name(&mut groups, |g| &g.name, |g| g.id.as_str());
        Ok(groups)
    }

    async fn system_groups(&mut self, tenant: &TenantId) -> DomainResult<Vec<UserGroup>> {
        let sql = Sql::with(
            &format!(
                "SELECT {GROUP_COLUMNS} FROM user_groups g \
                 WHERE g.tenant_id = $1 AND g.system_kind IS NOT NULL ORDER BY g.name_lower, g.id"
            ),
            vec![tenant.as_str().into()],
        );
        let rows = sql.fetch_all(self.db()).await?;
        self.groups_from_rows(rows).await
    }

    async fn update_user_group(
        &mut self,
        group: &UserGroup,
        expected_version: i64,
    ) -> DomainResult<bool> {
        let text = versioned_update_statement("user_groups", &GROUP_WRITE_COLUMNS, 2);
        let mut args = group_args(group);
        args.push(expected_version.into());
        if Sql::with(&text, args).execute(self.db()).await? == 0 {
            return Ok(false);
        }
        let id = group.id.as_str();
        let stored = self
            .links_of(&[GROUP_ROLES], &[id])
            .await?
            .pop()
            .and_then(|mut held| held.remove(id))
            .unwrap_or_default();
        let wanted = group.role_ids.iter().map(RoleId::as_str).collect();
        self.change_links(GROUP_ROLES, &group.tenant_id, id, &stored, &wanted)
            .await?;
        Ok(true)
    }

    async fn delete_user_group(
        &mut self,
        tenant: &TenantId,
        id: &UserGroupId,
    ) -> DomainResult<bool> {
        // The members lose the group (the memberships go by the foreign keys' cascade).
        self.bump_versions(
            "users",
            tenant,
            "SELECT user_id FROM user_group_members WHERE group_id = $3",
            id.as_str(),
        )
        .await?;
        let deleted = Sql::with(
            "DELETE FROM user_groups WHERE tenant_id = $1 AND id = $2",
            vec![tenant.as_str().into(), id.as_str().into()],
        )
        .execute(self.db())
        .await?;
        Ok(deleted > 0)
    }

    async fn list_user_groups(
        &mut self,
        tenant: &TenantId,
        search: Option<&str>,
        window: Window,
    ) -> DomainResult<Slice<UserGroup>> {
        let (total, rows) = self
            .named_window(GROUP_COLUMNS, "user_groups g", tenant, search, window)
            .await?;
        Ok(Slice {
            total,
            items: self.groups_from_rows(rows).await?,
        })
    }

    async fn count_members(&mut self, tenant: &TenantId, group: &UserGroup) -> DomainResult<u64> {
        // Counted without reading users: a plain group's membership rows, the tenant's user
        // count for Everyone, an index range for Service Accounts.
        let sql = match group.system {
            None => Sql::with(
                "SELECT COUNT(*) FROM user_group_members m \
                 JOIN user_groups g ON g.id = m.group_id \
                 WHERE m.group_id = $1 AND g.tenant_id = $2",
                vec![group.id.as_str().into(), tenant.as_str().into()],
            ),
            Some(SystemGroup::Everyone) => Sql::with(
                "SELECT user_count FROM tenants WHERE id = $1",
                vec![tenant.as_str().into()],
            ),
            Some(SystemGroup::ServiceAccounts) => {
                let mut sql = Sql::new("SELECT COUNT(*)");
                push_members(&mut sql, tenant, group);
                sql
            }
        };
        sql.fetch_count(self.db()).await
    }

    async fn member_ids(
        &mut self,
        tenant: &TenantId,
        groups: &[UserGroupId],
    ) -> DomainResult<BTreeMap<UserGroupId, BTreeSet<UserId>>> {
        let mut members: BTreeMap<UserGroupId, BTreeSet<UserId>> = groups
            .iter()
            .map(|group| (group.clone(), BTreeSet::new()))
            .collect();
        for chunk in groups.chunks(MAX_KEYS) {
            let mut sql = Sql::new(
                "SELECT m.group_id, m.user_id FROM user_group_members m \
                 JOIN user_groups g ON g.id = m.group_id WHERE g.tenant_id = ",
            );
            sql.bind(tenant.as_str())
                .push(" AND m.group_id IN ")
                .bind_list(chunk.iter().map(UserGroupId::as_str));
            for row in sql.fetch_all(self.db()).await? {
                let group = parsed(&row, "group_id", UserGroupId::parse)?;
                let user = parsed(&row, "user_id", UserId::parse)?;
                members.entry(group).or_default().insert(user);
            }
        }
        Ok(members)
    }

    async fn members(
        &mut self,
        tenant: &TenantId,
        group: &UserGroup,
        limit: u32,
    ) -> DomainResult<Vec<Email>> {
        let mut sql = Sql::new("SELECT u.email");
        push_members(&mut sql, tenant, group);
        sql.push(" ORDER BY u.email_lower, u.id LIMIT ")
            .bind(i64::from(limit));
        sql.fetch_all(self.db())
            .await?
            .iter()
            .map(|row| parsed(row, "email", Email::parse))
            .collect()
    }

    async fn insert_role(&mut self, role: &Role) -> DomainResult<()> {
        let text = insert_statement("roles", &ROLE_WRITE_COLUMNS);
        Sql::with(&text, role_args(role))
            .execute(self.db())
            .await
            .map(drop)
    }

    async fn role(
        &mut self,
        tenant: &TenantId,
        id: &RoleId,
        for_update: bool,
    ) -> DomainResult<Option<Role>> {
        let sql = Sql::with(
            &format!(
                "SELECT {ROLE_COLUMNS} FROM roles r WHERE r.tenant_id = $1 AND r.id = $2{}",
                self.backend.lock_rows(for_update)
            ),
            vec![tenant.as_str().into(), id.as_str().into()],
        );
        sql.fetch_optional(self.db())
            .await?
            .as_ref()
            .map(role)
            .transpose()
    }

    async fn role_by_name(&mut self, tenant: &TenantId, name: &str) -> DomainResult<Option<Role>> {
        let sql = Sql::with(
            &format!(
                "SELECT {ROLE_COLUMNS} FROM roles r WHERE r.tenant_id = $1 AND r.name_lower = $2"
            ),
            vec![tenant.as_str().into(), name.to_lowercase().into()],
        );
        sql.fetch_optional(self.db())
            .await?
            .as_ref()
            .map(role)
            .transpose()
    }

    async fn roles(&mut self, tenant: &TenantId, ids: &[RoleId]) -> DomainResult<Vec<Role>> {
        let keys: Vec<&str> = ids.iter().map(RoleId::as_str).collect();
        let mut roles = self
            .rows_by_ids(ROLE_COLUMNS, "roles r", tenant, &keys)
            .await?
            .iter()
            .map(role)
            .collect::<DomainResult<Vec<_>>>()?;
        by_name(&mut roles, |r| &r.name, |r| r.id.as_str());
        Ok(roles)
    }

    async fn update_role(&mut self, role: &Role, expected_version: i64) -> DomainResult<bool> {
        let text = versioned_update_statement("roles", &ROLE_WRITE_COLUMNS, 2);
        let mut args = role_args(role);
        args.push(expected_version.into());
        Ok(Sql::with(&text, args).execute(self.db()).await? > 0)
    }

    async fn delete_role(&mut self, tenant: &TenantId, id: &RoleId) -> DomainResult<bool> {
        // The holders lose the role (their rows go by the foreign keys' cascade).
        self.bump_versions(
            "users",
            tenant,
            "SELECT user_id FROM user_roles WHERE role_id = $3",
            id.as_str(),
        )
        .await?;
        self.bump_versions(
            "user_groups",
            tenant,
            "SELECT group_id FROM user_group_roles WHERE role_id = $3",
            id.as_str(),
        )
        .await?;
        let deleted = Sql::with(
            "DELETE FROM roles WHERE tenant_id = $1 AND id = $2",
            vec![tenant.as_str().into(), id.as_str().into()],
        )
        .execute(self.db())
        .await?;
        Ok(deleted > 0)
    }

    async fn list_roles(
        &mut self,
        tenant: &TenantId,
        search: Option<&str>,
        window: Window,
    ) -> DomainResult<Slice<Role>> {
        let (total, rows) = self
            .named_window(ROLE_COLUMNS, "roles r", tenant, search, window)
            .await?;
        Ok(Slice {
            total,
            items: rows.iter().map(role).collect::<DomainResult<_>>()?,
        })
    }

    async fn role_links(
        &mut self,
        tenant: &TenantId,
        id: &RoleId,
        sample: u32,
    ) -> DomainResult<RoleLinks> {
        let args = || -> Vec<Arg> { vec![tenant.as_str().into(), id.as_str().into()] };
        const USERS: &str = "users u JOIN user_roles x ON x.user_id = u.id \
                             WHERE u.tenant_id = $1 AND x.role_id = $2";
        const GROUPS: &str = "user_groups g JOIN user_group_roles x ON x.group_id = g.id \
                              WHERE g.tenant_id = $1 AND x.role_id = $2";
        let counts = Sql::with(
            &format!(
                "SELECT (SELECT COUNT(*) FROM {USERS}) AS account_count, \
                 (SELECT COUNT(*) FROM {GROUPS}) AS group_count"
            ),
            args(),
        )
        .fetch_optional(self.db())
        .await?
        .ok_or_else(|| DomainError::Internal("counting a role's holders gave no row".into()))?;
        let mut links = RoleLinks {
            account_count: count(&counts, "account_count")?,
            group_count: count(&counts, "group_count")?,
            ..RoleLinks::default()
        };
        if sample == 0 {
            return Ok(links);
        }
        if links.account_count > 0 {
            let mut accounts = Sql::with(
                &format!("SELECT u.email FROM {USERS} ORDER BY u.email_lower, u.id LIMIT "),
                args(),
            );
            accounts.bind(i64::from(sample));
            links.sample_accounts = accounts
                .fetch_all(self.db())
                .await?
                .iter()
                .map(|row| parsed(row, "email", Email::parse))
                .collect::<DomainResult<_>>()?;
        }
        if links.group_count > 0 {
            let mut groups = Sql::with(
                &format!("SELECT {GROUP_COLUMNS} FROM {GROUPS} ORDER BY g.name_lower, g.id LIMIT "),
                args(),
            );
            groups.bind(i64::from(sample));
            let rows = groups.fetch_all(self.db()).await?;
            links.sample_groups = self.groups_from_rows(rows).await?;
        }
        Ok(links)
    }
}
