//! Tenants and API keys.

use async_trait::async_trait;
use sqlx::any::AnyRow;

use crate::session::SqlSession;
use crate::sql::{column, parsed, parsed_opt, time, time_opt, Sql};
use roster_core::id::{ApiKeyId, TenantId, UserId};
use roster_core::model::{ApiKey, Tenant};
use roster_core::store::TenantRepo;
use roster_core::values::Scope;
use roster_core::DomainResult;

const TENANT_COLUMNS: &str = "SELECT id, name, slug, created_at FROM tenants";
const KEY_COLUMNS: &str = "SELECT id, tenant_id, name, scope, prefix, secret_hash, created_at, \
                           last_used_at, revoked_at, user_id FROM api_keys";

fn tenant(row: &AnyRow) -> DomainResult<Tenant> {
    Ok(Tenant {
        id: parsed(row, "id", TenantId::parse)?,
        name: column(row, "name")?,
        slug: column(row, "slug")?,
        created_at: time(row, "created_at")?,
    })
}

fn api_key(row: &AnyRow) -> DomainResult<ApiKey> {
    Ok(ApiKey {
        id: parsed(row, "id", ApiKeyId::parse)?,
        tenant_id: parsed(row, "tenant_id", TenantId::parse)?,
        name: column(row, "name")?,
        scope: parsed(row, "scope", Scope::parse)?,
        user_id: parsed_opt(row, "user_id", UserId::parse)?,
        prefix: column(row, "prefix")?,
        secret_hash: column(row, "secret_hash")?,
        created_at: time(row, "created_at")?,
        last_used_at: time_opt(row, "last_used_at")?,
        revoked_at: time_opt(row, "revoked_at")?,
    })
}

#[async_trait]
impl TenantRepo for SqlSession {
    async fn insert_tenant(&mut self, tenant: &Tenant) -> DomainResult<()> {
        Sql::with(
            "INSERT INTO tenants (id, name, slug, created_at) VALUES ($1, $2, $3, $4)",
            vec![
                tenant.id.as_str().into(),
                tenant.name.as_str().into(),
                tenant.slug.as_str().into(),
                tenant.created_at.into(),
            ],
        )
        .execute(self.db())
        .await
        .map(drop)
    }

    async fn tenant(&mut self, id: &TenantId) -> DomainResult<Option<Tenant>> {
        let sql = Sql::with(
            &format!("{TENANT_COLUMNS} WHERE id = $1"),
            vec![id.as_str().into()],
        );
        sql.fetch_optional(self.db())
            .await?
            .as_ref()
            .map(tenant)
            .transpose()
    }

    async fn tenant_by_slug(&mut self, slug: &str) -> DomainResult<Option<Tenant>> {
        let sql = Sql::with(
            &format!("{TENANT_COLUMNS} WHERE slug = $1"),
            vec![slug.into()],
        );
        sql.fetch_optional(self.db())
            .await?
            .as_ref()
            .map(tenant)
            .transpose()
    }

    async fn insert_api_key(&mut self, key: &ApiKey) -> DomainResult<()> {
        Sql::with(
            "INSERT INTO api_keys (id, tenant_id, name, scope, prefix, secret_hash, created_at, \
             last_used_at, revoked_at, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            vec![
                key.id.as_str().into(),
                key.tenant_id.as_str().into(),
                key.name.as_str().into(),
                key.scope.as_str().into(),
                key.prefix.as_str().into(),
                key.secret_hash.as_str().into(),
                key.created_at.into(),
                key.last_used_at.into(),
                key.revoked_at.into(),
                key.user_id.as_ref().map(UserId::as_str).into(),
            ],
        )
        .execute(self.db())
        .await
        .map(drop)
    }

    async fn api_key(&mut self, id: &ApiKeyId) -> DomainResult<Option<ApiKey>> {
        let sql = Sql::with(
            &format!("{KEY_COLUMNS} WHERE id = $1"),
            vec![id.as_str().into()],
        );
        sql.fetch_optional(self.db())
            .await?
            .as_ref()
            .map(api_key)
            .transpose()
    }

    async fn api_key_by_hash(&mut self, hash: &str) -> DomainResult<Option<ApiKey>> {
        let sql = Sql::with(
            &format!("{KEY_COLUMNS} WHERE secret_hash = $1"),
            vec![hash.into()],
        );
        sql.fetch_optional(self.db())
            .await?
            .as_ref()
            .map(api_key)
            .transpose()
    }

    async fn api_keys(&mut self, tenant: &TenantId) -> DomainResult<Vec<ApiKey>> {
        let sql = Sql::with(
            &format!("{KEY_COLUMNS} WHERE tenant_id = $1 ORDER BY id"),
            vec![tenant.as_str().into()],
        );
        sql.fetch_all(self.db())
            .await?
            .iter()
            .map(api_key)
            .collect()
    }

    async fn update_api_key(&mut self, key: &ApiKey) -> DomainResult<()> {
        Sql::with(
            "UPDATE api_keys SET name = $1, scope = $2, last_used_at = $3, revoked_at = $4 \
             WHERE id = $5",
            vec![
                key.name.as_str().into(),
                key.scope.as_str().into(),
                key.last_used_at.into(),
                key.revoked_at.into(),
                key.id.as_str().into(),
            ],
        )
        .execute(self.db())
        .await
        .map(drop)
    }
}
