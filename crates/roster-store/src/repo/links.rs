//! The join tables that say who holds what: a user's roles and groups, a group's roles. A row is
//! only ever written for a target of the owner's tenant, so no link crosses tenants.

use std::collections::{BTreeSet, HashMap};

use super::MAX_KEYS;
use crate::session::SqlSession;
use crate::sql::{column, Sql};
use roster_core::id::TenantId;
use roster_core::{DomainError, DomainResult};

/// One join table: rows of (`owner`, `target`), the target being one of the ids `targets` selects
/// when given a tenant.
#[derive(Clone, Copy)]
pub(super) struct Links {
    table: &'static str,
    owner: &'static str,
    target: &'static str,
    targets: &'static str,
}

/// The roles given to a user directly.
pub(super) const USER_ROLES: Links = Links {
    table: "user_roles",
    owner: "user_id",
    target: "role_id",
    targets: "SELECT id FROM roles WHERE tenant_id = ",
};

/// The groups a user was made a member of: never a system group, whose members follow from the
/// users themselves.
pub(super) const USER_GROUPS: Links = Links {
    table: "user_group_members",
    owner: "user_id",
    target: "group_id",
    targets: "SELECT id FROM user_groups WHERE system_kind IS NULL AND tenant_id = ",
};

/// The roles given to a group.
pub(super) const GROUP_ROLES: Links = Links {
    table: "user_group_roles",
    owner: "group_id",
    target: "role_id",
    targets: "SELECT id FROM roles WHERE tenant_id = ",
};

/// The ids of one owner's links, as stored.
pub(super) type Held = BTreeSet<String>;

/// Typed ids from the text of a join table's column.
pub(super) fn parsed_ids<T: Ord>(
    held: Held,
    links: Links,
    parse: fn(&str) -> Result<T, &'static str>,
) -> DomainResult<BTreeSet<T>> {
    held.iter()
        .map(|id| {
            parse(id).map_err(|reason| {
                DomainError::Internal(format!(
                    "stored column {}.{} is unreadable: {reason}",
                    links.table, links.target
                ))
            })
        })
        .collect()
}

impl SqlSession {
    /// For each of `tables` (in that order), what each of `owners` holds there; owners holding
    /// nothing are absent. One statement per [`MAX_KEYS`] owners, whatever the number of tables.
    pub(super) async fn links_of(
        &mut self,
        tables: &[Links],
        owners: &[&str],
    ) -> DomainResult<Vec<HashMap<String, Held>>> {
        let mut found = vec![HashMap::<String, Held>::new(); tables.len()];
        for chunk in owners.chunks(MAX_KEYS) {
            let mut sql = Sql::default();
            for (index, links) in tables.iter().enumerate() {
                if index > 0 {
                    sql.push(" UNION ALL ");
                }
                let Links {
                    table,
                    owner,
                    target,
                    ..
                } = links;
                sql.push(&format!(
                    "SELECT '{table}' AS link_table, {owner} AS owner_id, {target} AS target_id \
                     FROM {table} WHERE {owner} IN "
                ))
                .bind_list(chunk.iter().copied());
            }
            for row in sql.fetch_all(self.db()).await? {
                let table: String = column(&row, "link_table")?;
                let Some(index) = tables.iter().position(|links| links.table == table) else {
                    continue;
                };
                found[index]
                    .entry(column(&row, "owner_id")?)
                    .or_default()
                    .insert(column(&row, "target_id")?);
            }
        }
        Ok(found)
    }

    /// Makes `owner` hold exactly `wanted` in this table, given that it holds `stored` now: only
    /// the rows that changed are deleted or inserted.
    pub(super) async fn change_links(
        &mut self,
        links: Links,
        tenant: &TenantId,
        owner: &str,
        stored: &Held,
        wanted: &BTreeSet<&str>,
    ) -> DomainResult<()> {
        let removed: Vec<&str> = stored
            .iter()
            .map(String::as_str)
            .filter(|id| !wanted.contains(id))
            .collect();
        let added: Vec<&str> = wanted
            .iter()
            .copied()
            .filter(|id| !stored.contains(*id))
            .collect();
        let Links {
            table,
            owner: owner_column,
            target,
            ..
        } = links;
        for chunk in removed.chunks(MAX_KEYS) {
            let mut sql = Sql::new(&format!("DELETE FROM {table} WHERE {owner_column} = "));
            sql.bind(owner)
                .push(&format!(" AND {target} IN "))
                .bind_list(chunk.iter().copied());
            sql.execute(self.db()).await?;
        }
        self.add_links(links, tenant, owner, &added).await
    }

    /// Inserts a row for each of `targets` (distinct, not yet held). Fails when one of them is not
    /// in the tenant (or, for a user's groups, is a system group): the caller checked that they
    /// exist, so another writer removed it since.
    pub(super) async fn add_links(
        &mut self,
        links: Links,
        tenant: &TenantId,
        owner: &str,
        targets: &[&str],
    ) -> DomainResult<()> {
        let Links {
            table,
            owner: owner_column,
            target,
            targets: eligible,
        } = links;
        for chunk in targets.chunks(MAX_KEYS) {
            // Selecting the targets (rather than inserting the ids as given) is what keeps every
            // link inside the tenant.
            let mut sql = Sql::new(&format!(
                "INSERT INTO {table} ({owner_column}, {target}) SELECT "
            ));
            sql.bind(owner)
                .push(", id FROM (")
                .push(eligible)
                .bind(tenant.as_str())
                .push(" AND id IN ")
                .bind_list(chunk.iter().copied())
                .push(") eligible");
            let inserted = sql.execute(self.db()).await?;
            if usize::try_from(inserted).unwrap_or(usize::MAX) < chunk.len() {
                return Err(DomainError::in_use(
                    "a role or group this change refers to does not exist",
                ));
            }
        }
        Ok(())
    }
}
