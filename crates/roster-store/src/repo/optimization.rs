//! The optimization candidates of DESIGN §2: counted per application and per license for the
//! summary, listed page by page, and reclaimed. Each kind's rule is written once, in
//! [`push_considered`] and [`push_excluded_users`]; every query here is built from those two.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::app_users::{detail, license_ids, COLUMNS, DETAIL_COLUMNS, DETAIL_FROM};
use super::MAX_KEYS;
use crate::session::SqlSession;
use crate::sql::{column, count, parsed, Sql};
use roster_core::id::{ApplicationId, LicenseId, TenantId, UserId};
use roster_core::model::{AppUserDetail, CandidateCounts, SeatCounts};
use roster_core::query::{CandidateQuery, Page};
use roster_core::store::OptimizationRepo;
use roster_core::values::{AppStatus, OptimizationInclusion, OptimizationKind, UserStatus};
use roster_core::DomainResult;

/// Whose candidates: a tenant's, or one application's of it, or only some application users.
struct Scope<'a> {
    tenant: &'a TenantId,
    app: Option<&'a ApplicationId>,
    only: Option<&'a [(ApplicationId, UserId)]>,
    unused_since: DateTime<Utc>,
}

/// Appends `AND column NOT IN (…)`; nothing when there is nothing to exclude (`NOT IN (NULL)`
/// would exclude everything).
fn push_not_in(sql: &mut Sql, column: &str, values: &[&'static str]) {
    if !values.is_empty() {
        sql.push(" AND ")
            .push(column)
            .push(" NOT IN ")
            .bind_list(values.iter().copied());
    }
}

/// The settings that keep their holder out of `kind`, as stored.
fn excluding(kind: OptimizationKind) -> Vec<&'static str> {
    OptimizationInclusion::excluding(kind)
        .into_iter()
        .map(OptimizationInclusion::as_str)
        .collect()
}

/// Appends the conditions of `kind` on the application user's own columns (`au`).
fn push_own_rule(sql: &mut Sql, kind: OptimizationKind, scope: &Scope<'_>) {
    sql.push(" AND au.status = ")
        .bind(AppStatus::Active.as_str());
    push_not_in(sql, "au.optimization_inclusion", &excluding(kind));
    if kind == OptimizationKind::Unused {
        // Never used is stored as '', which is before every time.
        sql.push(" AND au.last_used_at < ")
            .bind(scope.unused_since)
            .push(" AND au.license_ids <> ''");
    }
}

/// Appends the narrowing of `scope` to one application or some application users.
fn push_narrowing(sql: &mut Sql, scope: &Scope<'_>) {
    if let Some(app) = scope.app {
        sql.push(" AND au.app_id = ").bind(app.as_str());
    }
    match scope.only {
        Some([]) => {
            sql.push(" AND 1 = 0");
        }
        Some(keys) => {
            sql.push(" AND (au.app_id, au.user_id) IN ");
            push_keys(sql, keys);
        }
        None => {}
    }
}

/// Appends `SELECT id FROM users WHERE …`: the users of the tenant whose own setting keeps them
/// out of `kind`.
fn push_excluded_users(sql: &mut Sql, kind: OptimizationKind, scope: &Scope<'_>) {
    sql.push("SELECT id FROM users WHERE tenant_id = ")
        .bind(scope.tenant.as_str())
        .push(" AND optimization_inclusion IN ")
        .bind_list(excluding(kind));
}

/// Appends `SELECT {columns} FROM app_users au WHERE …`: the application users of `scope` that
/// `kind` considers, by their own settings and, for undeprovisioned, their user's. For unused,
/// leaving out the users who exclude themselves is the caller's part: see [`push_candidates`].
///
/// The queries follow the indexes, because a tenant may have millions of application users:
/// undeprovisioned candidates are found from the few deprovisioned or archived users
/// (`app_users_user`), unused ones from one range of `app_users_activity` per application.
fn push_considered(sql: &mut Sql, kind: OptimizationKind, scope: &Scope<'_>, columns: &str) {
    sql.push(&format!("SELECT {columns} FROM app_users au WHERE "));
    match kind {
        OptimizationKind::Undeprovisioned => {
            // The users as two sets, each read from its own index (users_status, users_archived):
            // written as one OR, SQLite reads every user of the tenant.
            let excluding = excluding(kind);
            sql.push("au.user_id IN (SELECT id FROM users WHERE tenant_id = ")
                .bind(scope.tenant.as_str())
                .push(" AND status IN ")
                .bind_list(
                    UserStatus::DEPROVISIONED
                        .iter()
                        .map(|status| status.as_str()),
                );
            push_not_in(sql, "optimization_inclusion", &excluding);
            sql.push(" UNION ALL SELECT id FROM users WHERE tenant_id = ")
                .bind(scope.tenant.as_str())
                .push(" AND archived = ")
                .bind(true);
            push_not_in(sql, "optimization_inclusion", &excluding);
            sql.push(")");
        }
        OptimizationKind::Unused => {
            sql.push("au.app_id IN (SELECT id FROM applications WHERE tenant_id = ")
                .bind(scope.tenant.as_str())
                .push(")");
        }
    }
    push_own_rule(sql, kind, scope);
    push_narrowing(sql, scope);
}

/// Appends `SELECT {columns} FROM app_users au WHERE …`: the candidates of `kind` in `scope`.
fn push_candidates(sql: &mut Sql, kind: OptimizationKind, scope: &Scope<'_>, columns: &str) {
    push_considered(sql, kind, scope, columns);
    if kind == OptimizationKind::Unused {
        // Each row looks its user up in the small set of those who exclude themselves.
        sql.push(" AND au.user_id NOT IN (");
        push_excluded_users(sql, kind, scope);
        sql.push(")");
    }
}

/// Appends `SELECT k, n FROM …`: how many candidates of `kind` in `scope` have each value `k` of
/// the column `key` (`au.app_id`, `au.license_ids`); values without candidates are left out.
fn push_totals(sql: &mut Sql, kind: OptimizationKind, scope: &Scope<'_>, key: &str) {
    match kind {
        OptimizationKind::Undeprovisioned => {
            sql.push("SELECT c.k, COUNT(*) AS n FROM (");
            push_candidates(sql, kind, scope, &format!("{key} AS k"));
            sql.push(") c GROUP BY c.k");
        }
        OptimizationKind::Unused => {
            // Unused candidates may be hundreds of thousands, and looking up the user of each
            // costs as much as all the rest: instead, the rows of the few users who exclude
            // themselves are counted from those users (app_users_user), and taken off.
            // PostgreSQL sums integers as numeric, hence the cast.
            sql.push("SELECT t.k, CAST(SUM(t.n) AS BIGINT) AS n FROM (");
            push_considered(sql, kind, scope, &format!("{key} AS k, COUNT(*) AS n"));
            sql.push(&format!(
                " GROUP BY {key} UNION ALL SELECT {key} AS k, -COUNT(*) AS n FROM ("
            ));
            push_excluded_users(sql, kind, scope);
            // CROSS JOIN: SQLite keeps this order, from the users to their application users.
            sql.push(") x CROSS JOIN app_users au WHERE au.user_id = x.id");
            push_own_rule(sql, kind, scope);
            push_narrowing(sql, scope);
            sql.push(&format!(
                " GROUP BY {key}) t GROUP BY t.k HAVING SUM(t.n) > 0"
            ));
        }
    }
}

/// Appends `(VALUES ($a, $b), …)` for application user keys.
fn push_keys(sql: &mut Sql, keys: &[(ApplicationId, UserId)]) {
    sql.push("(VALUES ");
    for (index, (app, user)) in keys.iter().enumerate() {
        sql.push(if index == 0 { "(" } else { ", (" })
            .bind(app.as_str())
            .push(", ")
            .bind(user.as_str())
            .push(")");
    }
    sql.push(")");
}

impl SqlSession {
    /// One slice of the candidates of one kind, ordered by application and user. In a write
    /// session they stay locked until it ends: two writers reclaiming the same candidates take
    /// turns, and the second finds (by the rule, checked again on the locked rows) that they
    /// are candidates no more.
    async fn candidate_slice(
        &mut self,
        kind: OptimizationKind,
        scope: &Scope<'_>,
        offset: u64,
        limit: u64,
    ) -> DomainResult<Vec<AppUserDetail>> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS}, {DETAIL_COLUMNS} FROM ("));
        push_candidates(&mut sql, kind, scope, "au.app_id, au.user_id");
        sql.push(" ORDER BY au.app_id, au.user_id LIMIT ")
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .push(" OFFSET ")
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .push(&format!(
                ") k, {DETAIL_FROM} WHERE au.app_id = k.app_id AND au.user_id = k.user_id"
            ));
        push_own_rule(&mut sql, kind, scope);
        sql.push(" ORDER BY au.app_id, au.user_id")
            .push(&self.backend.lock_rows_of(self.writing(), "au"));
        sql.fetch_all(self.db()).await?.iter().map(detail).collect()
    }
}

#[async_trait]
impl OptimizationRepo for SqlSession {
    async fn candidate_counts(
        &mut self,
        tenant: &TenantId,
        kind: OptimizationKind,
        unused_since: DateTime<Utc>,
    ) -> DomainResult<Vec<CandidateCounts>> {
        let scope = Scope {
            tenant,
            app: None,
            only: None,
            unused_since,
        };
        // Counted before the join, so that each name is read once.
        let mut sql = Sql::new("SELECT g.k AS app_id, a.name, g.n AS candidates FROM (");
        push_totals(&mut sql, kind, &scope, "au.app_id");
        sql.push(") g JOIN applications a ON a.id = g.k ORDER BY g.k");
        let mut counts = Vec::new();
        for row in sql.fetch_all(self.db()).await? {
            counts.push(CandidateCounts {
                kind,
                app_id: parsed(&row, "app_id", ApplicationId::parse)?,
                app_name: column(&row, "name")?,
                candidates: count(&row, "candidates")?,
            });
        }
        Ok(counts)
    }

    async fn candidate_seats(
        &mut self,
        tenant: &TenantId,
        kind: OptimizationKind,
        unused_since: DateTime<Utc>,
    ) -> DomainResult<Vec<SeatCounts>> {
        let scope = Scope {
            tenant,
            app: None,
            only: None,
            unused_since,
        };
        // Counted per set of licenses held (few distinct sets), split here: no row of
        // app_user_licenses is read for each of many candidates.
        let mut sql = Sql::new("SELECT s.k AS license_ids, s.n AS holders FROM (");
        push_totals(&mut sql, kind, &scope, "au.license_ids");
        sql.push(") s WHERE s.k <> ''");
        let mut per_license: BTreeMap<LicenseId, u64> = BTreeMap::new();
        for row in sql.fetch_all(self.db()).await? {
            let holders = count(&row, "holders")?;
            for license in license_ids(&column::<String, _>(&row, "license_ids")?)? {
                *per_license.entry(license).or_default() += holders;
            }
        }
        Ok(per_license
            .into_iter()
            .map(|(license_id, seats)| SeatCounts {
                kind,
                license_id,
                seats,
            })
            .collect())
    }

    async fn candidates(
        &mut self,
        tenant: &TenantId,
        query: &CandidateQuery,
    ) -> DomainResult<Page<(OptimizationKind, AppUserDetail)>> {
        let scope = Scope {
            tenant,
            app: query.app.as_ref(),
            only: query.only.as_deref(),
            unused_since: query.unused_since,
        };
        // Kind by kind in a fixed order, so the page is cut from the concatenation in Rust
        // instead of sorting the union of both kinds.
        let kinds = OptimizationKind::ALL
            .iter()
            .copied()
            .filter(|kind| query.kinds.contains(kind));
        let mut totals = Vec::new();
        for kind in kinds {
            let mut sql = Sql::new("SELECT CAST(COALESCE(SUM(t.n), 0) AS BIGINT) FROM (");
            push_totals(&mut sql, kind, &scope, "au.app_id");
            sql.push(") t");
            totals.push((kind, sql.fetch_count(self.db()).await?));
        }
        let mut skip = query.page.offset();
        let mut wanted = u64::from(query.page.size);
        let mut items = Vec::new();
        for &(kind, total) in &totals {
            if skip >= total {
                skip -= total;
                continue;
            }
            if wanted == 0 {
                break;
            }
            let limit = wanted.min(total - skip);
            let slice = self.candidate_slice(kind, &scope, skip, limit).await?;
            wanted -= limit;
            skip = 0;
            items.extend(slice.into_iter().map(|detail| (kind, detail)));
        }
        Ok(Page {
            total: totals.iter().map(|(_, total)| total).sum(),
            request: query.page,
            items,
        })
    }

    async fn reclaim(
        &mut self,
        tenant: &TenantId,
        app_users: &[(ApplicationId, UserId)],
        at: DateTime<Utc>,
    ) -> DomainResult<()> {
        for keys in app_users.chunks(MAX_KEYS) {
            let mut release = Sql::new(
                "DELETE FROM app_user_licenses WHERE (app_id, user_id) IN \
                 (SELECT app_id, user_id FROM app_users WHERE tenant_id = ",
            );
            release
                .bind(tenant.as_str())
                .push(" AND (app_id, user_id) IN ");
            push_keys(&mut release, keys);
            release.push(")").execute(self.db()).await?;

            let mut update = Sql::new("UPDATE app_users SET status = ");
            update
                .bind(AppStatus::Inactive.as_str())
                .push(", license_ids = '', version = version + 1, updated_at = ")
                .bind(at)
                .push(" WHERE tenant_id = ")
                .bind(tenant.as_str())
                .push(" AND (app_id, user_id) IN ");
            push_keys(&mut update, keys);
            update.execute(self.db()).await?;
        }
        Ok(())
    }
}
