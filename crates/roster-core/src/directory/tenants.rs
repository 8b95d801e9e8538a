//! Administration of tenants and API keys, for the command line (which holds the database itself).

use super::{record_and_commit, Caller, Directory};
use crate::error::{DomainError, DomainResult};
use crate::id::{ApiKeyId, TenantId, UserId};
use crate::model::{ApiKey, NewApiKey, Tenant, UserGroup};
use crate::values::{Name, Scope, SystemGroup};

impl Directory {
    /// A new tenant. Its slug comes from the name; a taken slug gets `-2`, `-3`, … appended.
    pub async fn create_tenant(&self, name: Name) -> DomainResult<Tenant> {
        let mut session = self.store.writer().await?;
        let base = Tenant::slug_for(name.as_str());
        let mut slug = base.clone();
        let mut suffix = 1;
        while session.tenant_by_slug(&slug).await?.is_some() {
            suffix += 1;
            slug = format!("{base}-{suffix}");
        }
        let tenant = Tenant {
            id: TenantId::generate(),
            name: name.as_str().to_owned(),
            slug,
            created_at: crate::model::now(),
        };
        session.insert_tenant(&tenant).await?;
        for kind in SystemGroup::ALL {
            session
                .insert_user_group(&UserGroup::system(tenant.id.clone(), *kind))
                .await?;
        }
        session.commit().await?;
        Ok(tenant)
    }

    pub async fn tenant_by_slug(&self, slug: &str) -> DomainResult<Tenant> {
        let mut session = self.store.reader().await?;
        session
            .tenant_by_slug(slug)
            .await?
            .ok_or(DomainError::not_found("tenant"))
    }

    /// A new key for the tenant; the secret is in the result and nowhere else. A key can act for
    /// one of the tenant's users (`holder`: their id or email), who is then its current user.
    pub async fn create_api_key(
        &self,
        tenant_slug: &str,
        name: Name,
        scope: Scope,
        holder: Option<&str>,
    ) -> DomainResult<NewApiKey> {
        let tenant = self.tenant_by_slug(tenant_slug).await?;
        let user_id = match holder {
            Some(holder) => Some(self.holder_id(&tenant, holder).await?),
            None => None,
        };
        let made = ApiKey::generate(tenant.id.clone(), name.as_str().to_owned(), scope, user_id);
        let caller = Caller::local(tenant);
        let writer = caller.writer()?;
        let mut session = self.store.writer().await?;
        session.insert_api_key(&made.key).await?;
        record_and_commit(
            session,
            &writer,
            "api_key.create",
            made.key.id.as_str(),
            None,
            Some(&made.key),
        )
        .await?;
        Ok(made)
    }

    /// The id of the tenant's user named by id or email.
    async fn holder_id(&self, tenant: &Tenant, holder: &str) -> DomainResult<UserId> {
        let mut session = self.store.reader().await?;
        let found = match UserId::parse(holder) {
            Ok(id) => session
                .user(&tenant.id, &id, false)
                .await?
                .map(|user| user.id),
            Err(_) => session.user_id_by_email(&tenant.id, holder).await?,
        };
        found.ok_or(DomainError::not_found("user"))
    }

    pub async fn api_keys(&self, tenant_slug: &str) -> DomainResult<Vec<ApiKey>> {
        let tenant = self.tenant_by_slug(tenant_slug).await?;
        let mut session = self.store.reader().await?;
        session.api_keys(&tenant.id).await
    }

    /// Revokes a key; it stops working at once. Revoking twice is harmless.
    pub async fn revoke_api_key(&self, id: &ApiKeyId) -> DomainResult<ApiKey> {
        let mut session = self.store.writer().await?;
        let key = session
            .api_key(id)
            .await?
            .ok_or(DomainError::not_found("API key"))?;
        if key.revoked_at.is_some() {
            return Ok(key);
        }
        let tenant = session
            .tenant(&key.tenant_id)
            .await?
            .ok_or(DomainError::not_found("tenant"))?;
        let mut revoked = key.clone();
        revoked.revoked_at = Some(crate::model::now());
        session.update_api_key(&revoked).await?;
        let caller = Caller::local(tenant);
        record_and_commit(
            session,
            &caller.writer()?,
            "api_key.revoke",
            id.as_str(),
            Some(&key),
            Some(&revoked),
        )
        .await?;
        Ok(revoked)
    }
}
