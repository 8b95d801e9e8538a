//! Application users: who uses which application, with which licenses, and when they last did.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use super::{
    insert_statement, paginate, push_conditions, push_order, push_search,
    versioned_update_statement,
};
use crate::session::SqlSession;
use crate::sql::{column, flag, parsed, time, time_text, Arg, Sql};
use roster_core::id::{ApplicationId, DepartmentId, LicenseId, TenantId, UserId};
use roster_core::model::{AppUser, AppUserDetail};
use roster_core::query::{
    AppUserFilter, AppUserQuery, AppUserScope, AppUserSortKey, Comparison, Page,
};
use roster_core::store::AppUserRepo;
use roster_core::values::{AccountType, AppStatus, Email, Name, OptimizationInclusion, UserStatus};
use roster_core::{DomainError, DomainResult};

/// The columns of `app_users au` that make an [`AppUser`].
pub(super) const COLUMNS: &str = "au.app_id, au.user_id, au.tenant_id, au.role, au.status, \
    au.archived, au.optimization_inclusion, au.license_ids, au.last_used_at, au.created_at, \
    au.updated_at, au.version";

/// What [`detail`] reads beside [`COLUMNS`], from [`DETAIL_FROM`].
pub(super) const DETAIL_COLUMNS: &str = "a.name AS app_name, u.display_name AS user_name, \
    u.email AS user_email, u.status AS user_status, u.archived AS user_archived, \
    u.account_type AS user_account_type, u.designation AS user_designation";

pub(super) const DETAIL_FROM: &str =
    "app_users au JOIN users u ON u.id = au.user_id JOIN applications a ON a.id = au.app_id";

/// The text of `license_ids`: the ids sorted and distinct, separated by one space.
fn license_ids_text(licenses: &[LicenseId]) -> String {
    let mut ids: Vec<&str> = licenses.iter().map(LicenseId::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.join(" ")
}

/// The licenses of a `license_ids` text.
pub(super) fn license_ids(text: &str) -> DomainResult<Vec<LicenseId>> {
    text.split_whitespace()
        .map(|id| {
            LicenseId::parse(id).map_err(|reason| {
                DomainError::Internal(format!("stored column license_ids is unreadable: {reason}"))
            })
        })
        .collect()
}

/// `last_used_at` as stored: '' for never, so that never used sorts before every time.
fn last_used_text(at: Option<DateTime<Utc>>) -> String {
    at.map(time_text).unwrap_or_default()
}

/// The columns an application user is written to, in the order of [`app_user_args`].
const WRITE_COLUMNS: [&str; 13] = [
    "app_id",
    "user_id",
    "tenant_id",
    "role",
    "role_lower",
    "status",
    "archived",
    "optimization_inclusion",
    "license_ids",
    "last_used_at",
    "created_at",
    "updated_at",
    "version",
];

fn app_user_args(app_user: &AppUser) -> Vec<Arg> {
    vec![
        app_user.app_id.as_str().into(),
        app_user.user_id.as_str().into(),
        app_user.tenant_id.as_str().into(),
        app_user.role.clone().into(),
        app_user
            .role
            .as_ref()
            .map(|role| role.to_lowercase())
            .into(),
        app_user.status.as_str().into(),
        app_user.archived.into(),
        app_user.optimization_inclusion.as_str().into(),
        license_ids_text(&app_user.licenses).into(),
        last_used_text(app_user.last_used_at).into(),
        app_user.created_at.into(),
        app_user.updated_at.into(),
        app_user.version.into(),
    ]
}

fn app_user(row: &AnyRow) -> DomainResult<AppUser> {
    let last_used: String = column(row, "last_used_at")?;
    Ok(AppUser {
        tenant_id: parsed(row, "tenant_id", TenantId::parse)?,
        app_id: parsed(row, "app_id", ApplicationId::parse)?,
        user_id: parsed(row, "user_id", UserId::parse)?,
        role: column(row, "role")?,
        status: parsed(row, "status", AppStatus::parse)?,
        archived: flag(row, "archived")?,
        optimization_inclusion: parsed(
            row,
            "optimization_inclusion",
            OptimizationInclusion::parse,
        )?,
        licenses: license_ids(&column::<String, _>(row, "license_ids")?)?,
        last_used_at: if last_used.is_empty() {
            None
        } else {
            Some(time(row, "last_used_at")?)
        },
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: column(row, "version")?,
    })
}

/// A row of [`COLUMNS`] and [`DETAIL_COLUMNS`].
pub(super) fn detail(row: &AnyRow) -> DomainResult<AppUserDetail> {
    Ok(AppUserDetail {
        app_user: app_user(row)?,
        app_name: parsed(row, "app_name", Name::parse)?,
        user_name: parsed(row, "user_name", Name::parse)?,
        user_email: parsed(row, "user_email", Email::parse)?,
        user_status: parsed(row, "user_status", UserStatus::parse)?,
        user_archived: flag(row, "user_archived")?,
        user_account_type: parsed(row, "user_account_type", AccountType::parse)?,
        user_designation: column(row, "user_designation")?,
    })
}

impl SqlSession {
    /// Writes the app_user_licenses rows of an application user (license_ids is in its row).
    async fn insert_app_user_licenses(&mut self, app_user: &AppUser) -> DomainResult<()> {
        for license in license_ids_text(&app_user.licenses).split_whitespace() {
            Sql::with(
                "INSERT INTO app_user_licenses (app_id, user_id, license_id) VALUES ($1, $2, $3)",
                vec![
                    app_user.app_id.as_str().into(),
                    app_user.user_id.as_str().into(),
                    license.into(),
                ],
            )
            .execute(self.db())
            .await?;
        }
        Ok(())
    }
}

#[async_trait]
impl AppUserRepo for SqlSession {
    async fn insert_app_user(&mut self, app_user: &AppUser) -> DomainResult<()> {
        let text = insert_statement("app_users", &WRITE_COLUMNS);
        Sql::with(&text, app_user_args(app_user))
            .execute(self.db())
            .await?;
        self.insert_app_user_licenses(app_user).await
    }

    async fn app_user(
        &mut self,
        tenant: &TenantId,
        app: &ApplicationId,
        user: &UserId,
        for_update: bool,
    ) -> DomainResult<Option<AppUser>> {
        let sql = Sql::with(
            &format!(
                "SELECT {COLUMNS} FROM app_users au \
                 WHERE au.tenant_id = $1 AND au.app_id = $2 AND au.user_id = $3{}",
                self.backend.lock_rows(for_update)
            ),
            vec![
                tenant.as_str().into(),
                app.as_str().into(),
                user.as_str().into(),
            ],
        );
        sql.fetch_optional(self.db())
            .await?
            .as_ref()
            .map(app_user)
            .transpose()
    }

    async fn update_app_user(
        &mut self,
        app_user: &AppUser,
        expected_version: i64,
    ) -> DomainResult<bool> {
        let text = versioned_update_statement("app_users", &WRITE_COLUMNS, 3);
        let mut args = app_user_args(app_user);
        args.push(expected_version.into());
        if Sql::with(&text, args).execute(self.db()).await? == 0 {
            return Ok(false);
        }
        Sql::with(
            "DELETE FROM app_user_licenses WHERE app_id = $1 AND user_id = $2",
            vec![
                app_user.app_id.as_str().into(),
                app_user.user_id.as_str().into(),
            ],
        )
        .execute(self.db())
        .await?;
        self.insert_app_user_licenses(app_user).await?;
        Ok(true)
    }

    async fn list_app_users(
        &mut self,
        tenant: &TenantId,
        scope: &AppUserScope,
        query: &AppUserQuery,
    ) -> DomainResult<Page<AppUserDetail>> {
        let mut count = Sql::new(&format!(
            "SELECT COUNT(*) FROM {DETAIL_FROM} WHERE au.tenant_id = "
        ));
        let mut select = Sql::new(&format!(
            "SELECT {COLUMNS}, {DETAIL_COLUMNS} FROM {DETAIL_FROM} WHERE au.tenant_id = "
        ));
        for sql in [&mut count, &mut select] {
            sql.bind(tenant.as_str());
            match scope {
                AppUserScope::App(app) => sql.push(" AND au.app_id = ").bind(app.as_str()),
                AppUserScope::User(user) => sql.push(" AND au.user_id = ").bind(user.as_str()),
                AppUserScope::Users(users) => sql
                    .push(" AND au.user_id IN ")
                    .bind_list(users.iter().map(UserId::as_str)),
            };
            push_conditions(sql, &query.conditions, push_filter);
        }
        let total = count.fetch_count(self.db()).await?;
        push_order(
            &mut select,
            &query.sort,
            sort_column,
            "au.app_id ASC, au.user_id ASC",
        );
        paginate(&mut select, query.page);
        let items = select
            .fetch_all(self.db())
            .await?
            .iter()
            .map(detail)
            .collect::<DomainResult<_>>()?;
        Ok(Page {
            total,
            request: query.page,
            items,
        })
    }

    async fn record_use(
        &mut self,
        tenant: &TenantId,
        app: &ApplicationId,
        user: &UserId,
        at: DateTime<Utc>,
    ) -> DomainResult<Option<bool>> {
        let key: Vec<Arg> = vec![
            tenant.as_str().into(),
            app.as_str().into(),
            user.as_str().into(),
        ];
        let mut args = key.clone();
        args.extend([at.into(), roster_core::model::now().into()]);
        // Never used is '', before every time: one comparison moves it forward only.
        let moved = Sql::with(
            "UPDATE app_users SET last_used_at = $4, version = version + 1, updated_at = $5 \
             WHERE tenant_id = $1 AND app_id = $2 AND user_id = $3 AND last_used_at < $4",
            args,
        )
        .execute(self.db())
        .await?;
        if moved > 0 {
            return Ok(Some(true));
        }
        let exists = Sql::with(
            "SELECT 1 FROM app_users WHERE tenant_id = $1 AND app_id = $2 AND user_id = $3",
            key,
        )
        .fetch_optional(self.db())
        .await?;
        Ok(exists.map(|_| false))
    }
}

fn sort_column(key: AppUserSortKey) -> &'static str {
    match key {
        AppUserSortKey::UserName => "u.name_lower",
        AppUserSortKey::UserEmail => "u.email_lower",
        AppUserSortKey::AppName => "a.name_lower",
        // Never used ('') comes first ascending: it is the longest unused.
        AppUserSortKey::LastUsed => "au.last_used_at",
        AppUserSortKey::CreatedAt => "au.created_at",
    }
}

fn comparison(operator: Comparison) -> &'static str {
    match operator {
        Comparison::Eq => " = ",
        Comparison::Gt => " > ",
        Comparison::Gte => " >= ",
        Comparison::Lt => " < ",
        Comparison::Lte => " <= ",
    }
}

/// Appends one condition on `app_users au` (with `users u` and `applications a`).
fn push_filter(sql: &mut Sql, filter: &AppUserFilter) {
    match filter {
        AppUserFilter::Status(values) => {
            sql.push("au.status IN ")
                .bind_list(values.iter().map(|v| v.as_str()));
        }
        AppUserFilter::Licenses(ids) => {
            sql.push(
                "EXISTS (SELECT 1 FROM app_user_licenses x WHERE x.app_id = au.app_id \
                 AND x.user_id = au.user_id AND x.license_id IN ",
            )
            .bind_list(ids.iter().map(LicenseId::as_str))
            .push(")");
        }
        AppUserFilter::LicenseMapped(true) => {
            sql.push("au.license_ids <> ''");
        }
        AppUserFilter::LicenseMapped(false) => {
            sql.push("au.license_ids = ''");
        }
        AppUserFilter::Role(roles) => {
            sql.push("au.role_lower IN ")
                .bind_list(roles.iter().map(|role| role.to_lowercase()));
        }
        AppUserFilter::Archived(archived) => {
            sql.push("au.archived = ").bind(*archived);
        }
        AppUserFilter::LastUsed(bounds) => {
            // Never used ('') matches no bound.
            sql.push("au.last_used_at <> ''");
            for (operator, at) in bounds {
                sql.push(" AND au.last_used_at")
                    .push(comparison(*operator))
                    .bind(*at);
            }
        }
        AppUserFilter::UserStatus(values) => {
            sql.push("u.status IN ")
                .bind_list(values.iter().map(|v| v.as_str()));
        }
        AppUserFilter::UserArchived(archived) => {
            sql.push("u.archived = ").bind(*archived);
        }
        AppUserFilter::UserAccountType(values) => {
            sql.push("u.account_type IN ")
                .bind_list(values.iter().map(|v| v.as_str()));
        }
        AppUserFilter::UserDepartment(ids) => {
            sql.push("u.department_id IN ")
                .bind_list(ids.iter().map(DepartmentId::as_str));
        }
        AppUserFilter::UserDesignation(values) => {
            sql.push("u.designation_lower IN ")
                .bind_list(values.iter().map(|v| v.to_lowercase()));
        }
        AppUserFilter::Search(terms) => {
            push_search(sql, &["u.name_lower", "u.email_lower"], terms);
        }
        AppUserFilter::AppSearch(terms) => {
            push_search(sql, &["a.name_lower"], terms);
        }
    }
}
