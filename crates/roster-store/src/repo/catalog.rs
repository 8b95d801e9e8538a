//! Departments, custom field definitions and integrations.

use async_trait::async_trait;
use sqlx::any::AnyRow;

use super::{like_pattern, paginate};
use crate::session::SqlSession;
use crate::sql::{column, json, parsed, time, Sql};
use roster_core::id::{CustomFieldId, DepartmentId, IntegrationId, ObjectId, TenantId};
use roster_core::model::{CustomField, Department, Integration};
use roster_core::query::{Page, PageRequest};
use roster_core::store::CatalogRepo;
use roster_core::values::{FieldEntity, FieldType};
use roster_core::{DomainError, DomainResult};

const DEPARTMENT_COLUMNS: &str =
    "SELECT id, tenant_id, name, created_at, updated_at FROM departments";
const FIELD_COLUMNS: &str = "SELECT id, tenant_id, name, field_type, options, entity, created_at, \
                             updated_at FROM custom_fields";
const INTEGRATION_COLUMNS: &str =
    "SELECT id, tenant_id, keyword, integration_id, name, created_at, \
                                   updated_at FROM integrations";

fn department(row: &AnyRow) -> DomainResult<Department> {
    Ok(Department {
        id: parsed(row, "id", DepartmentId::parse)?,
        tenant_id: parsed(row, "tenant_id", TenantId::parse)?,
        name: column(row, "name")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

fn custom_field(row: &AnyRow) -> DomainResult<CustomField> {
    Ok(CustomField {
        id: parsed(row, "id", CustomFieldId::parse)?,
        tenant_id: parsed(row, "tenant_id", TenantId::parse)?,
        name: column(row, "name")?,
        field_type: parsed(row, "field_type", FieldType::parse)?,
        options: json(row, "options")?,
        entity: parsed(row, "entity", FieldEntity::parse)?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

fn integration(row: &AnyRow) -> DomainResult<Integration> {
    Ok(Integration {
        id: parsed(row, "id", IntegrationId::parse)?,
        tenant_id: parsed(row, "tenant_id", TenantId::parse)?,
        keyword: column(row, "keyword")?,
        integration_id: parsed(row, "integration_id", ObjectId::parse)?,
        name: column(row, "name")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

fn options_json(field: &CustomField) -> DomainResult<String> {
    serde_json::to_string(&field.options).map_err(|error| DomainError::Internal(error.to_string()))
}

impl SqlSession {
    /// One page of a tenant's rows of `columns` (a `SELECT … FROM table`), optionally narrowed to
    /// names containing `search`, ordered by id.
    async fn catalog_page<T>(
        &mut self,
        columns: &str,
        tenant: &TenantId,
        search: Option<&str>,
        page: PageRequest,
        read: fn(&AnyRow) -> DomainResult<T>,
    ) -> DomainResult<Page<T>> {
        let table = columns.rsplit(" FROM ").next().unwrap_or_default();
        let mut count = Sql::new(&format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = "));
        let mut select = Sql::new(&format!("{columns} WHERE tenant_id = "));
        for sql in [&mut count, &mut select] {
            sql.bind(tenant.as_str());
            if let Some(term) = search {
                sql.push(" AND name_lower LIKE ")
                    .bind(like_pattern(term))
                    .push(" ESCAPE '\\'");
            }
        }
        let total = count.fetch_count(self.db()).await?;
        select.push(" ORDER BY id");
        paginate(&mut select, page);
        let items = select
            .fetch_all(self.db())
            .await?
            .iter()
            .map(read)
            .collect::<DomainResult<_>>()?;
        Ok(Page {
            total,
            request: page,
            items,
        })
    }

    async fn delete_by_id(
        &mut self,
        table: &str,
        tenant: &TenantId,
        id: &str,
    ) -> DomainResult<bool> {
        let sql = Sql::with(
            &format!("DELETE FROM {table} WHERE tenant_id = $1 AND id = $2"),
            vec![tenant.as_str().into(), id.into()],
        );
        Ok(sql.execute(self.db()).await? > 0)
    }

    async fn one<T>(
        &mut self,
        columns: &str,
        tenant: &TenantId,
        id: &str,
        read: fn(&AnyRow) -> DomainResult<T>,
    ) -> DomainResult<Option<T>> {
        let sql = Sql::with(
            &format!("{columns} WHERE tenant_id = $1 AND id = $2"),
            vec![tenant.as_str().into(), id.into()],
        );
        sql.fetch_optional(self.db())
            .await?
            .as_ref()
            .map(read)
            .transpose()
    }
}

#[async_trait]
impl CatalogRepo for SqlSession {
    async fn insert_department(&mut self, department: &Department) -> DomainResult<()> {
        Sql::with(
            "INSERT INTO departments (id, tenant_id, name, name_lower, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            vec![
                department.id.as_str().into(),
                department.tenant_id.as_str().into(),
                department.name.as_str().into(),
                department.name.to_lowercase().into(),
                department.created_at.into(),
                department.updated_at.into(),
            ],
        )
        .execute(self.db())
        .await
        .map(drop)
    }

    async fn department(
        &mut self,
        tenant: &TenantId,
        id: &DepartmentId,
    ) -> DomainResult<Option<Department>> {
        self.one(DEPARTMENT_COLUMNS, tenant, id.as_str(), department)
            .await
    }

    async fn department_by_name(
        &mut self,
        tenant: &TenantId,
        name: &str,
    ) -> DomainResult<Option<Department>> {
        let sql = Sql::with(
            &format!("{DEPARTMENT_COLUMNS} WHERE tenant_id = $1 AND name_lower = $2"),
            vec![tenant.as_str().into(), name.to_lowercase().into()],
        );
        sql.fetch_optional(self.db())
            .await?
            .as_ref()
            .map(department)
            .transpose()
    }

    async fn update_department(&mut self, department: &Department) -> DomainResult<()> {
        Sql::with(
            "UPDATE departments SET name = $1, name_lower = $2, updated_at = $3 \
             WHERE tenant_id = $4 AND id = $5",
            vec![
                department.name.as_str().into(),
                department.name.to_lowercase().into(),
                department.updated_at.into(),
                department.tenant_id.as_str().into(),
                department.id.as_str().into(),
            ],
        )
        .execute(self.db())
        .await
        .map(drop)
    }

    async fn delete_department(
        &mut self,
        tenant: &TenantId,
        id: &DepartmentId,
    ) -> DomainResult<bool> {
        self.delete_by_id("departments", tenant, id.as_str()).await
    }

    async fn list_departments(
        &mut self,
        tenant: &TenantId,
        search: Option<&str>,
        page: PageRequest,
    ) -> DomainResult<Page<Department>> {
        self.catalog_page(DEPARTMENT_COLUMNS, tenant, search, page, department)
            .await
    }

    async fn insert_custom_field(&mut self, field: &CustomField) -> DomainResult<()> {
        Sql::with(
            "INSERT INTO custom_fields (id, tenant_id, name, name_lower, field_type, options, entity, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                field.id.as_str().into(),
                field.tenant_id.as_str().into(),
                field.name.as_str().into(),
                field.name.to_lowercase().into(),
                field.field_type.as_str().into(),
                options_json(field)?.into(),
                field.entity.as_str().into(),
                field.created_at.into(),
                field.updated_at.into(),
            ],
        )
        .execute(self.db())
        .await
        .map(drop)
    }

    async fn custom_field(
        &mut self,
        tenant: &TenantId,
        id: &CustomFieldId,
    ) -> DomainResult<Option<CustomField>> {
        self.one(FIELD_COLUMNS, tenant, id.as_str(), custom_field)
            .await
    }

    async fn update_custom_field(&mut self, field: &CustomField) -> DomainResult<()> {
        Sql::with(
            "UPDATE custom_fields SET name = $1, name_lower = $2, options = $3, updated_at = $4 \
             WHERE tenant_id = $5 AND id = $6",
            vec![
                field.name.as_str().into(),
                field.name.to_lowercase().into(),
                options_json(field)?.into(),
                field.updated_at.into(),
                field.tenant_id.as_str().into(),
                field.id.as_str().into(),
            ],
        )
        .execute(self.db())
        .await
        .map(drop)
    }

    async fn delete_custom_field(
        &mut self,
        tenant: &TenantId,
        id: &CustomFieldId,
    ) -> DomainResult<bool> {
        self.delete_by_id("custom_fields", tenant, id.as_str())
            .await
    }

    async fn custom_fields(&mut self, tenant: &TenantId) -> DomainResult<Vec<CustomField>> {
        let sql = Sql::with(
            &format!("{FIELD_COLUMNS} WHERE tenant_id = $1 ORDER BY id"),
            vec![tenant.as_str().into()],
        );
        sql.fetch_all(self.db())
            .await?
            .iter()
            .map(custom_field)
            .collect()
    }

    async fn insert_integration(&mut self, integration: &Integration) -> DomainResult<()> {
        Sql::with(
            "INSERT INTO integrations (id, tenant_id, keyword, integration_id, name, name_lower, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                integration.id.as_str().into(),
                integration.tenant_id.as_str().into(),
                integration.keyword.as_str().into(),
                integration.integration_id.as_str().into(),
                integration.name.as_str().into(),
                integration.name.to_lowercase().into(),
                integration.created_at.into(),
                integration.updated_at.into(),
            ],
        )
        .execute(self.db())
        .await
        .map(drop)
    }

    async fn integration(
        &mut self,
        tenant: &TenantId,
        id: &IntegrationId,
    ) -> DomainResult<Option<Integration>> {
        self.one(INTEGRATION_COLUMNS, tenant, id.as_str(), integration)
            .await
    }

    async fn update_integration(&mut self, integration: &Integration) -> DomainResult<()> {
        Sql::with(
            "UPDATE integrations SET keyword = $1, integration_id = $2, name = $3, name_lower = $4, \
             updated_at = $5 WHERE tenant_id = $6 AND id = $7",
            vec![
                integration.keyword.as_str().into(),
                integration.integration_id.as_str().into(),
                integration.name.as_str().into(),
                integration.name.to_lowercase().into(),
                integration.updated_at.into(),
                integration.tenant_id.as_str().into(),
                integration.id.as_str().into(),
            ],
        )
        .execute(self.db())
        .await
        .map(drop)
    }

    async fn delete_integration(
        &mut self,
        tenant: &TenantId,
        id: &IntegrationId,
    ) -> DomainResult<bool> {
        self.delete_by_id("integrations", tenant, id.as_str()).await
    }

    async fn list_integrations(
        &mut self,
        tenant: &TenantId,
        search: Option<&str>,
        page: PageRequest,
    ) -> DomainResult<Page<Integration>> {
        self.catalog_page(INTEGRATION_COLUMNS, tenant, search, page, integration)
            .await
    }
}
