//! Applications with their tags and custom field values.

use std::collections::HashMap;

use async_trait::async_trait;
use sqlx::any::AnyRow;

use super::custom_values::APPLICATION_VALUES;
use super::{
    insert_statement, paginate, push_conditions, push_order, push_search,
    versioned_update_statement,
};
use crate::session::SqlSession;
use crate::sql::{column, flag, parsed, parsed_opt, time, Arg, Sql};
use roster_core::id::{ApplicationId, TenantId, UserId};
use roster_core::model::{Application, CustomValue};
use roster_core::money::Amount;
use roster_core::query::{AppFilter, AppQuery, AppSortKey, Page};
use roster_core::store::ApplicationRepo;
use roster_core::values::{AppStatus, AppType, Name};
use roster_core::DomainResult;

const COLUMNS: &str = "a.id, a.tenant_id, a.name, a.app_type, a.status, a.owner_id, \
    a.technical_owner_id, a.financial_owner_id, a.budget, a.archived, a.created_at, a.updated_at, \
    a.version";

/// The columns an application is written to, in the order of [`application_args`].
const WRITE_COLUMNS: [&str; 14] = [
    "id",
    "tenant_id",
    "name",
    "name_lower",
    "app_type",
    "status",
    "owner_id",
    "technical_owner_id",
    "financial_owner_id",
    "budget",
    "archived",
    "created_at",
    "updated_at",
    "version",
];

fn application_args(app: &Application) -> Vec<Arg> {
    vec![
        app.id.as_str().into(),
        app.tenant_id.as_str().into(),
        app.name.as_str().into(),
        app.name.as_str().to_lowercase().into(),
        app.app_type.as_str().into(),
        app.status.as_str().into(),
        app.owner_id.as_ref().map(UserId::as_str).into(),
        app.technical_owner_id.as_ref().map(UserId::as_str).into(),
        app.financial_owner_id.as_ref().map(UserId::as_str).into(),
        app.budget.map(|budget| budget.to_string()).into(),
        app.archived.into(),
        app.created_at.into(),
        app.updated_at.into(),
        app.version.into(),
    ]
}

fn application(
    row: &AnyRow,
    tags: Vec<String>,
    custom_values: Vec<CustomValue>,
) -> DomainResult<Application> {
    Ok(Application {
        id: parsed(row, "id", ApplicationId::parse)?,
        tenant_id: parsed(row, "tenant_id", TenantId::parse)?,
        name: parsed(row, "name", Name::parse)?,
        app_type: parsed(row, "app_type", AppType::parse)?,
        status: parsed(row, "status", AppStatus::parse)?,
        owner_id: parsed_opt(row, "owner_id", UserId::parse)?,
        technical_owner_id: parsed_opt(row, "technical_owner_id", UserId::parse)?,
        financial_owner_id: parsed_opt(row, "financial_owner_id", UserId::parse)?,
        tags,
        budget: parsed_opt(row, "budget", Amount::parse)?,
        archived: flag(row, "archived")?,
        custom_values,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: column(row, "version")?,
    })
}

impl SqlSession {
    /// The tags of these applications, by application id, each list sorted.
    async fn tags_of(&mut self, apps: &[&str]) -> DomainResult<HashMap<String, Vec<String>>> {
        let mut tags: HashMap<String, Vec<String>> = HashMap::new();
        if apps.is_empty() {
            return Ok(tags);
        }
        let mut sql = Sql::new("SELECT app_id, tag FROM application_tags WHERE app_id IN ");
        sql.bind_list(apps.iter().copied());
        for row in sql.fetch_all(self.db()).await? {
            tags.entry(column(&row, "app_id")?)
                .or_default()
                .push(column(&row, "tag")?);
        }
        // Sorted here rather than by ORDER BY: a PostgreSQL collation may order text differently.
        tags.values_mut().for_each(|list| list.sort());
        Ok(tags)
    }

    async fn applications_from_rows(
        &mut self,
        rows: Vec<AnyRow>,
    ) -> DomainResult<Vec<Application>> {
        let ids: Vec<String> = rows
            .iter()
            .map(|row| column(row, "id"))
            .collect::<DomainResult<_>>()?;
        let keys: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut tags = self.tags_of(&keys).await?;
        let mut values = self.custom_values_of(APPLICATION_VALUES, &keys).await?;
        rows.iter()
            .zip(&ids)
            .map(|(row, id)| {
                application(
                    row,
                    tags.remove(id).unwrap_or_default(),
                    values.remove(id).unwrap_or_default(),
                )
            })
            .collect()
    }

    /// Replaces the tags and custom values of an application.
    async fn write_application_details(&mut self, app: &Application) -> DomainResult<()> {
        Sql::with(
            "DELETE FROM application_tags WHERE app_id = $1",
            vec![app.id.as_str().into()],
        )
        .execute(self.db())
        .await?;
        for tag in &app.tags {
            Sql::with(
                "INSERT INTO application_tags (app_id, tag, tag_lower) VALUES ($1, $2, $3)",
                vec![
                    app.id.as_str().into(),
                    tag.into(),
                    tag.to_lowercase().into(),
                ],
            )
            .execute(self.db())
            .await?;
        }
        self.write_custom_values(APPLICATION_VALUES, app.id.as_str(), &app.custom_values)
            .await
    }
}

#[async_trait]
impl ApplicationRepo for SqlSession {
    async fn insert_application(&mut self, app: &Application) -> DomainResult<()> {
        let text = insert_statement("applications", &WRITE_COLUMNS);
        Sql::with(&text, application_args(app))
            .execute(self.db())
            .await?;
        self.write_application_details(app).await
    }

    async fn application(
        &mut self,
        tenant: &TenantId,
        id: &ApplicationId,
        for_update: bool,
    ) -> DomainResult<Option<Application>> {
        let sql = Sql::with(
            &format!(
                "SELECT {COLUMNS} FROM applications a WHERE a.tenant_id = $1 AND a.id = $2{}",
                self.backend.lock_rows(for_update)
            ),
            vec![tenant.as_str().into(), id.as_str().into()],
        );
        let rows = sql.fetch_all(self.db()).await?;
        Ok(self.applications_from_rows(rows).await?.pop())
    }

    async fn application_id_by_name(
        &mut self,
        tenant: &TenantId,
        name: &str,
    ) -> DomainResult<Option<ApplicationId>> {
        let sql = Sql::with(
            "SELECT id FROM applications WHERE tenant_id = $1 AND name_lower = $2",
            vec![tenant.as_str().into(), name.trim().to_lowercase().into()],
        );
        let row = sql.fetch_optional(self.db()).await?;
        row.map(|row| parsed(&row, "id", ApplicationId::parse))
            .transpose()
    }

    async fn update_application(
        &mut self,
        app: &Application,
        expected_version: i64,
    ) -> DomainResult<bool> {
        let text = versioned_update_statement("applications", &WRITE_COLUMNS, 2);
        let mut args = application_args(app);
        args.push(expected_version.into());
        if Sql::with(&text, args).execute(self.db()).await? == 0 {
            return Ok(false);
        }
        self.write_application_details(app).await?;
        Ok(true)
    }

    async fn delete_application(
        &mut self,
        tenant: &TenantId,
        id: &ApplicationId,
    ) -> DomainResult<bool> {
        // Children first, explicitly: the cascades from applications would reach app_user_licenses
        // both through app_users and through licenses, and the second path has no cascade.
        const OWNED: &str =
            "app_id IN (SELECT id FROM applications WHERE tenant_id = $1 AND id = $2)";
        for table in ["app_user_licenses", "app_users", "licenses"] {
            Sql::with(
                &format!("DELETE FROM {table} WHERE {OWNED}"),
                vec![tenant.as_str().into(), id.as_str().into()],
            )
            .execute(self.db())
            .await?;
        }
        let deleted = Sql::with(
            "DELETE FROM applications WHERE tenant_id = $1 AND id = $2",
            vec![tenant.as_str().into(), id.as_str().into()],
        )
        .execute(self.db())
        .await?;
        Ok(deleted > 0)
    }

    async fn list_applications(
        &mut self,
        tenant: &TenantId,
        query: &AppQuery,
    ) -> DomainResult<Page<Application>> {
        let mut count = Sql::new("SELECT COUNT(*) FROM applications a WHERE a.tenant_id = ");
        count.bind(tenant.as_str());
        let mut select = Sql::new(&format!(
            "SELECT {COLUMNS} FROM applications a WHERE a.tenant_id = "
        ));
        select.bind(tenant.as_str());
        push_conditions(&mut count, &query.conditions, push_filter);
        push_conditions(&mut select, &query.conditions, push_filter);
        let total = count.fetch_count(self.db()).await?;
        push_order(&mut select, &query.sort, sort_column, "a.id ASC");
        paginate(&mut select, query.page);
        let rows = select.fetch_all(self.db()).await?;
        Ok(Page {
            total,
            request: query.page,
            items: self.applications_from_rows(rows).await?,
        })
    }
}

fn sort_column(key: AppSortKey) -> &'static str {
    match key {
        AppSortKey::Id => "a.id",
        AppSortKey::Name => "a.name_lower",
        AppSortKey::Status => "a.status",
        AppSortKey::CreatedAt => "a.created_at",
        AppSortKey::UpdatedAt => "a.updated_at",
    }
}

/// Appends one condition on `applications a`.
fn push_filter(sql: &mut Sql, filter: &AppFilter) {
    match filter {
        AppFilter::Ids(ids) => {
            sql.push("a.id IN ")
                .bind_list(ids.iter().map(ApplicationId::as_str));
        }
        AppFilter::Status(values) => {
            sql.push("a.status IN ")
                .bind_list(values.iter().map(|v| v.as_str()));
        }
        AppFilter::Type(values) => {
            sql.push("a.app_type IN ")
                .bind_list(values.iter().map(|v| v.as_str()));
        }
        AppFilter::Archived(archived) => {
            sql.push("a.archived = ").bind(*archived);
        }
        AppFilter::Owner(ids) => {
            let owners = ids.iter().map(UserId::as_str);
            sql.push("a.owner_id IN ").bind_list(owners.clone());
            sql.push(" OR a.technical_owner_id IN ")
                .bind_list(owners.clone());
            sql.push(" OR a.financial_owner_id IN ").bind_list(owners);
        }
        AppFilter::Tags(tags) => {
            sql.push(
                "EXISTS (SELECT 1 FROM application_tags t WHERE t.app_id = a.id AND t.tag_lower IN ",
            )
            .bind_list(tags.iter().map(|tag| tag.to_lowercase()))
            .push(")");
        }
        AppFilter::Search(terms) => push_search(sql, &["a.name_lower"], terms),
    }
}
