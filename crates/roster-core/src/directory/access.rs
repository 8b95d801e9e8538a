//! Who is calling, and what they may do. Write use cases take a [`Writer`], which can only be
//! obtained from a [`Caller`] whose key has the write scope: lacking it, the write path is unreachable.

use chrono::Duration;

use super::Directory;
use crate::error::{DomainError, DomainResult};
use crate::id::UserId;
use crate::model::{Actor, ApiKey, Tenant};
use crate::values::Scope;

/// An authenticated API key and its tenant.
#[derive(Clone, Debug)]
pub struct Caller {
    tenant: Tenant,
    actor: Actor,
    scope: Scope,
    /// The user the key acts for, if it was bound to one.
    user_id: Option<UserId>,
}

/// Permission to read one tenant's directory.
#[derive(Debug)]
pub struct Reader<'a>(&'a Caller);

/// Permission to change one tenant's directory.
#[derive(Debug)]
pub struct Writer<'a>(&'a Caller);

impl Caller {
    /// A caller acting for `tenant` with full rights: the command line, which has the database itself.
    pub fn local(tenant: Tenant) -> Self {
        Self {
            tenant,
            actor: Actor::command_line(),
            scope: Scope::Admin,
            user_id: None,
        }
    }

    pub fn tenant(&self) -> &Tenant {
        &self.tenant
    }

    pub fn scope(&self) -> Scope {
        self.scope
    }

    pub fn reader(&self) -> Reader<'_> {
        Reader(self)
    }

    pub fn writer(&self) -> DomainResult<Writer<'_>> {
        if self.scope.allows(Scope::Write) {
            Ok(Writer(self))
        } else {
            Err(DomainError::Forbidden("this API key may only read"))
        }
    }
}

impl Reader<'_> {
    pub fn tenant(&self) -> &Tenant {
        &self.0.tenant
    }

    /// The user the caller's key acts for, if it was bound to one.
    pub fn user_id(&self) -> Option<&UserId> {
        self.0.user_id.as_ref()
    }
}

impl Writer<'_> {
    pub fn tenant(&self) -> &Tenant {
        &self.0.tenant
    }

    pub fn actor(&self) -> &Actor {
        &self.0.actor
    }

    pub fn reader(&self) -> Reader<'_> {
        Reader(self.0)
    }
}

impl Directory {
    /// The caller a secret belongs to; unknown and revoked keys are refused alike.
    pub async fn authenticate(&self, secret: &str) -> DomainResult<Caller> {
        const INVALID: &str = "the API key is invalid";
        if !secret.starts_with(ApiKey::SECRET_PREFIX) {
            return Err(DomainError::Unauthenticated(INVALID));
        }
        let mut session = self.store.reader().await?;
        let key = session
            .api_key_by_hash(&ApiKey::hash_secret(secret))
            .await?
            .filter(|key| key.revoked_at.is_none())
            .ok_or(DomainError::Unauthenticated(INVALID))?;
        let tenant = session
            .tenant(&key.tenant_id)
            .await?
            .ok_or(DomainError::Unauthenticated(INVALID))?;
        drop(session);
        self.touch_key(&key).await;
        Ok(Caller {
            tenant,
            actor: Actor {
                key_id: Some(key.id.clone()),
                name: key.name.clone(),
            },
            scope: key.scope,
            user_id: key.user_id.clone(),
        })
    }

    /// Records when a key was last used, at most once a minute so that reads stay reads.
    async fn touch_key(&self, key: &ApiKey) {
        let now = crate::model::now();
        if key
            .last_used_at
            .is_some_and(|at| now - at < Duration::minutes(1))
        {
            return;
        }
        let mut touched = key.clone();
        touched.last_used_at = Some(now);
        // Best effort: a busy database must not fail the request this key is making.
        if let Ok(mut session) = self.store.writer().await {
            if session.update_api_key(&touched).await.is_ok() {
                let _ = session.commit().await;
            }
        }
    }
}
