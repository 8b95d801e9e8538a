//! Users with their custom field values, direct permissions, roles and group memberships.

use std::collections::HashMap;

use async_trait::async_trait;
use sqlx::any::AnyRow;

use super::access::{permissions, permissions_text};
use super::cloud;
use super::custom_values::USER_VALUES;
use super::links::{parsed_ids, Held, USER_GROUPS, USER_ROLES};
use super::{
    insert_statement, paginate, push_conditions, push_order, push_search,
    versioned_update_statement,
};
use crate::session::SqlSession;
use crate::sql::{column, flag, parsed, parsed_opt, time, time_opt, Arg, Sql};
use roster_core::credential::CredentialHash;
use roster_core::id::{
    DepartmentId, IntegrationId, ObjectId, RoleId, TenantId, UserGroupId, UserId,
};
use roster_core::model::{CustomValue, PrimarySource, User};
use roster_core::query::{Condition, Page, UserFilter, UserQuery, UserSortKey};
use roster_core::store::UserRepo;
use roster_core::values::{AccountType, Email, Name, OptimizationInclusion, UserStatus};
use roster_core::DomainResult;

const COLUMNS: &str = "u.id, u.tenant_id, u.email, u.display_name, u.given_name, u.family_name, \
    u.personal_email, u.department_id, u.status, u.reporting_manager_id, u.designation, \
    u.account_type, u.archived, u.optimization_inclusion, u.ps_keyword, u.ps_org_integration_id, \
    u.ps_integration_id, u.ldap_user_name, u.is_ldap, u.notifications_opt_in, u.sso_id, \
    u.external_id, u.employee_number, u.login_name, u.email_primary, \
    u.last_successful_login, u.credential_hash, u.permissions, u.azure_credentials, \
    u.aws_credentials, u.cloud_sync_license, u.created_at, u.updated_at, \
    u.version";

/// The columns a user is written to, in the order of [`user_args`].
const WRITE_COLUMNS: [&str; 38] = [
    "id",
    "tenant_id",
    "email",
    "email_lower",
    "display_name",
    "name_lower",
    "given_name",
    "family_name",
    "personal_email",
    "department_id",
    "status",
    "reporting_manager_id",
    "designation",
    "designation_lower",
    "account_type",
    "archived",
    "optimization_inclusion",
    "ps_keyword",
    "ps_org_integration_id",
    "ps_integration_id",
    "ldap_user_name",
    "is_ldap",
    "notifications_opt_in",
    "sso_id",
    "external_id",
    "employee_number",
    "login_name",
    "login_name_lower",
    "email_primary",
    "last_successful_login",
    "credential_hash",
    "permissions",
    "azure_credentials",
    "aws_credentials",
    "cloud_sync_license",
    "created_at",
    "updated_at",
    "version",
];

fn user_args(user: &User) -> Vec<Arg> {
    let source = user.primary_source.as_ref();
    vec![
        user.id.as_str().into(),
        user.tenant_id.as_str().into(),
        user.email.as_str().into(),
        user.email.normalized().into(),
        user.display_name.as_str().into(),
        user.display_name.as_str().to_lowercase().into(),
        user.given_name.clone().into(),
        user.family_name.clone().into(),
        user.personal_email.as_ref().map(Email::as_str).into(),
        user.department_id.as_ref().map(DepartmentId::as_str).into(),
        user.status.as_str().into(),
        user.reporting_manager_id
            .as_ref()
            .map(UserId::as_str)
            .into(),
        user.designation.clone().into(),
        user.designation.as_ref().map(|d| d.to_lowercase()).into(),
        user.account_type.as_str().into(),
        user.archived.into(),
        user.optimization_inclusion.as_str().into(),
        source.map(|s| s.keyword.as_str()).into(),
        source.map(|s| s.org_integration_id.as_str()).into(),
        source.map(|s| s.integration_id.as_str()).into(),
        user.ldap_user_name.clone().into(),
        user.is_ldap.into(),
        user.notifications_opt_in.into(),
        user.sso_id.clone().into(),
        user.external_id.clone().into(),
        user.employee_number.clone().into(),
        user.login_name.clone().into(),
        user.login_name
            .as_ref()
            .map(|name| name.to_lowercase())
            .into(),
        user.email_primary.into(),
        user.last_successful_login.into(),
        user.credential
            .as_ref()
            .map(CredentialHash::as_stored)
            .into(),
        permissions_text(&user.permissions).into(),
        user.azure_credentials
            .as_ref()
            .map(cloud::azure_text)
            .into(),
        user.aws_credentials.as_ref().map(cloud::aws_text).into(),
        user.cloud_sync_license
            .as_ref()
            .map(cloud::license_text)
            .into(),
        user.created_at.into(),
        user.updated_at.into(),
        user.version.into(),
    ]
}

/// What is stored of a user beside its row: custom values, and the ids of its roles and groups.
#[derive(Default)]
struct Extras {
    custom_values: Vec<CustomValue>,
    roles: Held,
    groups: Held,
}

fn user(row: &AnyRow, extras: Extras) -> DomainResult<User> {
    let keyword: Option<String> = column(row, "ps_keyword")?;
    let primary_source = match keyword {
        Some(keyword) => Some(PrimarySource {
            keyword,
            org_integration_id: parsed(row, "ps_org_integration_id", IntegrationId::parse)?,
            integration_id: parsed(row, "ps_integration_id", ObjectId::parse)?,
        }),
        None => None,
    };
    Ok(User {
        id: parsed(row, "id", UserId::parse)?,
        tenant_id: parsed(row, "tenant_id", TenantId::parse)?,
        email: parsed(row, "email", Email::parse)?,
        display_name: parsed(row, "display_name", Name::parse)?,
        given_name: column(row, "given_name")?,
        family_name: column(row, "family_name")?,
        personal_email: parsed_opt(row, "personal_email", Email::parse)?,
        department_id: parsed_opt(row, "department_id", DepartmentId::parse)?,
        status: parsed(row, "status", UserStatus::parse)?,
        reporting_manager_id: parsed_opt(row, "reporting_manager_id", UserId::parse)?,
        designation: column(row, "designation")?,
        account_type: parsed(row, "account_type", AccountType::parse)?,
        archived: flag(row, "archived")?,
        optimization_inclusion: parsed(
            row,
            "optimization_inclusion",
            OptimizationInclusion::parse,
        )?,
        primary_source,
        custom_values: extras.custom_values,
        ldap_user_name: column(row, "ldap_user_name")?,
        is_ldap: flag(row, "is_ldap")?,
        notifications_opt_in: flag(row, "notifications_opt_in")?,
        sso_id: column(row, "sso_id")?,
        external_id: column(row, "external_id")?,
        employee_number: column(row, "employee_number")?,
        login_name: column(row, "login_name")?,
        email_primary: flag(row, "email_primary")?,
        azure_credentials: stored_json(row, "azure_credentials", cloud::azure)?,
        aws_credentials: stored_json(row, "aws_credentials", cloud::aws)?,
        cloud_sync_license: stored_json(row, "cloud_sync_license", cloud::license)?,
        last_successful_login: time_opt(row, "last_successful_login")?,
        credential: column::<Option<String>, _>(row, "credential_hash")?
            .map(CredentialHash::from_stored),
        permissions: permissions(row, "permissions")?,
        role_ids: parsed_ids(extras.roles, USER_ROLES, RoleId::parse)?,
        group_ids: parsed_ids(extras.groups, USER_GROUPS, UserGroupId::parse)?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: column(row, "version")?,
    })
}

/// An optional JSON column read with `read`.
fn stored_json<T>(
    row: &AnyRow,
    name: &str,
    read: fn(&str) -> DomainResult<T>,
) -> DomainResult<Option<T>> {
    column::<Option<String>, _>(row, name)?
        .as_deref()
        .map(read)
        .transpose()
}

impl SqlSession {
    /// Users from rows of [`COLUMNS`], in the order of the rows. Whatever their number, this
    /// reads the custom values in one statement and the roles and groups in another (per
    /// [`super::MAX_KEYS`] users): reading one user stays cheap.
    async fn users_from_rows(&mut self, rows: Vec<AnyRow>) -> DomainResult<Vec<User>> {
        let ids: Vec<String> = rows
            .iter()
            .map(|row| column(row, "id"))
            .collect::<DomainResult<_>>()?;
        let keys: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut values = self.custom_values_of(USER_VALUES, &keys).await?;
        let (mut roles, mut groups) = self.user_links_of(&keys).await?;
        rows.iter()
            .zip(&ids)
            .map(|(row, id)| {
                let extras = Extras {
                    custom_values: values.remove(id).unwrap_or_default(),
                    roles: roles.remove(id).unwrap_or_default(),
                    groups: groups.remove(id).unwrap_or_default(),
                };
                user(row, extras)
            })
            .collect()
    }

    /// Keeps `tenants.user_count` (the members of the group Everyone) in step with the users, in
    /// the transaction that adds or removes one, so that counting them never reads every user.
    async fn count_tenant_users(&mut self, tenant: &TenantId, change: i64) -> DomainResult<()> {
        Sql::with(
            "UPDATE tenants SET user_count = user_count + $1 WHERE id = $2",
            vec![change.into(), tenant.as_str().into()],
        )
        .execute(self.db())
        .await
        .map(drop)
    }

    /// The role ids and the group ids of these users, by user id.
    async fn user_links_of(
        &mut self,
        ids: &[&str],
    ) -> DomainResult<(HashMap<String, Held>, HashMap<String, Held>)> {
        let mut found = self.links_of(&[USER_ROLES, USER_GROUPS], ids).await?;
        let groups = found.pop().unwrap_or_default();
        let roles = found.pop().unwrap_or_default();
        Ok((roles, groups))
    }

    /// Writes the roles and groups of a user whose row is written, given what is stored now.
    async fn write_user_links(&mut self, user: &User, stored: Extras) -> DomainResult<()> {
        let id = user.id.as_str();
        let roles = user.role_ids.iter().map(RoleId::as_str).collect();
        self.change_links(USER_ROLES, &user.tenant_id, id, &stored.roles, &roles)
            .await?;
        let groups = user.group_ids.iter().map(UserGroupId::as_str).collect();
        self.change_links(USER_GROUPS, &user.tenant_id, id, &stored.groups, &groups)
            .await
    }
}

#[async_trait]
impl UserRepo for SqlSession {
    async fn user(
        &mut self,
        tenant: &TenantId,
        id: &UserId,
        for_update: bool,
    ) -> DomainResult<Option<User>> {
        let sql = Sql::with(
            &format!(
                "SELECT {COLUMNS} FROM users u WHERE u.tenant_id = $1 AND u.id = $2{}",
                self.backend.lock_rows(for_update)
            ),
            vec![tenant.as_str().into(), id.as_str().into()],
        );
        let rows = sql.fetch_all(self.db()).await?;
        Ok(self.users_from_rows(rows).await?.pop())
    }

    async fn user_id_by_email(
        &mut self,
        tenant: &TenantId,
        email: &str,
    ) -> DomainResult<Option<UserId>> {
        let sql = Sql::with(
            "SELECT id FROM users WHERE tenant_id = $1 AND email_lower = $2",
            vec![tenant.as_str().into(), email.to_lowercase().into()],
        );
        let row = sql.fetch_optional(self.db()).await?;
        row.map(|row| parsed(&row, "id", UserId::parse)).transpose()
    }

    async fn manager_of(&mut self, tenant: &TenantId, id: &UserId) -> DomainResult<Option<UserId>> {
        let sql = Sql::with(
            "SELECT reporting_manager_id FROM users WHERE tenant_id = $1 AND id = $2",
            vec![tenant.as_str().into(), id.as_str().into()],
        );
        match sql.fetch_optional(self.db()).await? {
            Some(row) => parsed_opt(&row, "reporting_manager_id", UserId::parse),
            None => Ok(None),
        }
    }

    async fn insert_user(&mut self, user: &User) -> DomainResult<()> {
        let text = insert_statement("users", &WRITE_COLUMNS);
        Sql::with(&text, user_args(user)).execute(self.db()).await?;
        self.count_tenant_users(&user.tenant_id, 1).await?;
        self.write_custom_values(USER_VALUES, user.id.as_str(), &user.custom_values)
            .await?;
        self.write_user_links(user, Extras::default()).await
    }

    async fn update_user(&mut self, user: &User, expected_version: i64) -> DomainResult<bool> {
        let text = versioned_update_statement("users", &WRITE_COLUMNS, 2);
        let mut args = user_args(user);
        args.push(expected_version.into());
        if Sql::with(&text, args).execute(self.db()).await? == 0 {
            return Ok(false);
        }
        self.write_custom_values(USER_VALUES, user.id.as_str(), &user.custom_values)
            .await?;
        // Read after the row is written (and so locked): no other writer changes them meanwhile.
        let id = user.id.as_str();
        let (mut roles, mut groups) = self.user_links_of(&[id]).await?;
        let stored = Extras {
            roles: roles.remove(id).unwrap_or_default(),
            groups: groups.remove(id).unwrap_or_default(),
            ..Extras::default()
        };
        self.write_user_links(user, stored).await?;
        Ok(true)
    }

    async fn delete_user(&mut self, tenant: &TenantId, id: &UserId) -> DomainResult<bool> {
        // The reports lose their manager, and the applications the user owned lose that owner;
        // bumping their versions keeps their ETags honest. (Their uses of applications go with
        // them, by the foreign keys.)
        let args = || -> Vec<Arg> {
            vec![
                roster_core::model::now().into(),
                tenant.as_str().into(),
                id.as_str().into(),
            ]
        };
        Sql::with(
            "UPDATE users SET reporting_manager_id = NULL, version = version + 1, updated_at = $1 \
             WHERE tenant_id = $2 AND reporting_manager_id = $3",
            args(),
        )
        .execute(self.db())
        .await?;
        Sql::with(
            "UPDATE applications SET \
             owner_id = CASE WHEN owner_id = $3 THEN NULL ELSE owner_id END, \
             technical_owner_id = CASE WHEN technical_owner_id = $3 THEN NULL \
             ELSE technical_owner_id END, \
             financial_owner_id = CASE WHEN financial_owner_id = $3 THEN NULL \
             ELSE financial_owner_id END, \
             version = version + 1, updated_at = $1 \
             WHERE tenant_id = $2 \
             AND (owner_id = $3 OR technical_owner_id = $3 OR financial_owner_id = $3)",
            args(),
        )
        .execute(self.db())
        .await?;
        let deleted = Sql::with(
            "DELETE FROM users WHERE tenant_id = $1 AND id = $2",
            vec![tenant.as_str().into(), id.as_str().into()],
        )
        .execute(self.db())
        .await?;
        if deleted > 0 {
            self.count_tenant_users(tenant, -1).await?;
        }
        Ok(deleted > 0)
    }

    async fn list_users(
        &mut self,
        tenant: &TenantId,
        query: &UserQuery,
    ) -> DomainResult<Page<User>> {
        let mut count = Sql::new("SELECT COUNT(*) FROM users u WHERE u.tenant_id = ");
        count.bind(tenant.as_str());
        let mut select = Sql::new(&format!(
            "SELECT {COLUMNS} FROM users u WHERE u.tenant_id = "
        ));
        select.bind(tenant.as_str());
        push_conditions(&mut count, &query.conditions, push_filter);
        push_conditions(&mut select, &query.conditions, push_filter);
        let total = count.fetch_count(self.db()).await?;
        // The id ends every order (it is unique). Asked for last, it is that tiebreak: written
        // twice, SQLite would sort the whole tenant rather than read it in index order.
        let (sort, descending) = match query.sort.split_last() {
            Some((last, rest)) if last.key == UserSortKey::Id => (rest, last.descending),
            _ => (&query.sort[..], false),
        };
        let direction = if descending { "DESC" } else { "ASC" };
        if is_lookup(&query.conditions) {
            push_order(
                &mut select,
                sort,
                sort_expression,
                &format!("u.id || '' {direction}"),
            );
        } else {
            push_order(&mut select, sort, sort_column, &format!("u.id {direction}"));
        }
        paginate(&mut select, query.page);
        let rows = select.fetch_all(self.db()).await?;
        Ok(Page {
            total,
            request: query.page,
            items: self.users_from_rows(rows).await?,
        })
    }

    async fn count_users_in_department(
        &mut self,
        tenant: &TenantId,
        id: &DepartmentId,
    ) -> DomainResult<u64> {
        Sql::with(
            "SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND department_id = $2",
            vec![tenant.as_str().into(), id.as_str().into()],
        )
        .fetch_count(self.db())
        .await
    }

    async fn count_users_with_integration(
        &mut self,
        tenant: &TenantId,
        id: &IntegrationId,
    ) -> DomainResult<u64> {
        Sql::with(
            "SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND ps_org_integration_id = $2",
            vec![tenant.as_str().into(), id.as_str().into()],
        )
        .fetch_count(self.db())
        .await
    }
}

fn sort_column(key: UserSortKey) -> &'static str {
    match key {
        UserSortKey::Id => "u.id",
        UserSortKey::Name => "u.name_lower",
        UserSortKey::Email => "u.email_lower",
        UserSortKey::Status => "u.status",
        UserSortKey::Designation => "u.designation_lower",
        UserSortKey::CreatedAt => "u.created_at",
        UserSortKey::UpdatedAt => "u.updated_at",
    }
}

/// Whether the conditions look users up by a key an index finds them by. Without statistics,
/// SQLite reads a whole tenant in the order a page asks for (through an index that gives that
/// order) rather than find those few users by their key and sort them; ordering by expressions
/// leaves it only the second way.
fn is_lookup(conditions: &[Condition<UserFilter>]) -> bool {
    conditions.iter().any(|condition| {
        !condition.negated
            && matches!(
                condition.filter,
                UserFilter::Ids(_)
                    | UserFilter::UserNames(_)
                    | UserFilter::Emails(_)
                    | UserFilter::ExternalIds(_)
            )
    })
}

/// [`sort_column`] as an expression no index gives the order of (text keys; the times keep
/// their type), sorting exactly as the column does.
fn sort_expression(key: UserSortKey) -> &'static str {
    match key {
        UserSortKey::Id => "u.id || ''",
        UserSortKey::Name => "u.name_lower || ''",
        UserSortKey::Email => "u.email_lower || ''",
        UserSortKey::Status => "u.status || ''",
        UserSortKey::Designation => "u.designation_lower || ''",
        UserSortKey::CreatedAt => "u.created_at",
        UserSortKey::UpdatedAt => "u.updated_at",
    }
}

/// Appends one condition on `users u`.
fn push_filter(sql: &mut Sql, filter: &UserFilter) {
    match filter {
        UserFilter::Ids(ids) => sql.push("u.id IN ").bind_list(ids.iter().map(UserId::as_str)),
        UserFilter::Status(values) => {
            sql.push("u.status IN ").bind_list(values.iter().map(|v| v.as_str()))
        }
        UserFilter::AccountType(values) => {
            sql.push("u.account_type IN ").bind_list(values.iter().map(|v| v.as_str()))
        }
        UserFilter::Department(ids) => {
            sql.push("u.department_id IN ").bind_list(ids.iter().map(DepartmentId::as_str))
        }
        UserFilter::Designation(values) => sql
            .push("u.designation_lower IN ")
            .bind_list(values.iter().map(|v| v.to_lowercase())),
        UserFilter::Archived(archived) => sql.push("u.archived = ").bind(*archived),
        UserFilter::OptimizationInclusion(values) => {
            sql.push("u.optimization_inclusion IN ").bind_list(values.iter().map(|v| v.as_str()))
        }
        UserFilter::Groups(ids) => sql
            .push("u.id IN (SELECT m.user_id FROM user_group_members m WHERE m.group_id IN ")
            .bind_list(ids.iter().map(UserGroupId::as_str))
            .push(")"),
        UserFilter::ReportingManager(ids) => {
            sql.push("u.reporting_manager_id IN ").bind_list(ids.iter().map(UserId::as_str))
        }
        UserFilter::CustomField { field, values } => sql
            .push("EXISTS (SELECT 1 FROM user_custom_values v WHERE v.user_id = u.id AND v.field_id = ")
            .bind(field.as_str())
            .push(" AND v.value_text IN ")
            .bind_list(values.iter())
            .push(")"),
        UserFilter::Emails(emails) => {
            sql.push("u.email_lower IN ").bind_list(emails.iter().map(|e| e.to_lowercase()))
        }
        UserFilter::AnyEmails(emails) => {
            // No lower-cased personal email is stored: LOWER() folds ASCII letters alike on both
            // backends, and the Kelvin sign is the one other character Unicode folds into ASCII.
            let lower = || emails.iter().map(|e| e.to_lowercase());
            sql.push("(u.email_lower IN ")
                .bind_list(lower())
                .push(" OR LOWER(REPLACE(u.personal_email, ")
                .bind("\u{212A}")
                .push(", 'k')) IN ")
                .bind_list(lower())
                .push(")")
        }
        UserFilter::ExternalIds(ids) => sql.push("u.external_id IN ").bind_list(ids.iter()),
        UserFilter::UserNames(names) => {
            let lower = || names.iter().map(|name| name.to_lowercase());
            sql.push("(u.login_name_lower IN ")
                .bind_list(lower())
                .push(" OR (u.login_name_lower IS NULL AND u.email_lower IN ")
                .bind_list(lower())
                .push("))")
        }
        UserFilter::Search(terms) => {
            push_search(sql, &["u.name_lower", "u.email_lower"], terms);
            sql
        }
    };
}
