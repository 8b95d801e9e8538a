//! Tenants and the API keys that act for them.

use chrono::{DateTime, Utc};
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::id::{ApiKeyId, TenantId, UserId};
use crate::values::Scope;

/// One organisation's directory. `slug` is what the Wavefront `customer` and BlueXP `tenantId` show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub slug: String,
    pub created_at: DateTime<Utc>,
}

impl Tenant {
    /// The slug a tenant named `name` gets: lower-case letters and digits joined by single dashes.
    pub fn slug_for(name: &str) -> String {
        let mut slug = String::new();
        for ch in name.trim().chars().flat_map(char::to_lowercase) {
            if ch.is_ascii_alphanumeric() {
                slug.push(ch);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-').to_owned();
        if slug.is_empty() {
            "tenant".to_owned()
        } else {
            slug
        }
    }
}

/// A stored API key. Only the SHA-256 of the secret is kept: the secret is 192 random bits, so a
/// fast hash is enough and lets every request find its key with one indexed lookup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub tenant_id: TenantId,
    pub name: String,
    pub scope: Scope,
    /// The user the key acts for (BlueXP's current user), if it was bound to one.
    pub user_id: Option<UserId>,
    /// The first characters of the secret, enough to recognise a key in a list.
    pub prefix: String,
    #[serde(skip)]
    pub secret_hash: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A key just made: the stored record and the secret, which exists only here and is shown once.
#[derive(Debug)]
pub struct NewApiKey {
    pub key: ApiKey,
    pub secret: String,
}

impl ApiKey {
    pub const SECRET_PREFIX: &'static str = "rst_";

    pub fn generate(
        tenant_id: TenantId,
        name: String,
        scope: Scope,
        user_id: Option<UserId>,
    ) -> NewApiKey {
        let random: String = rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(32)
            .map(char::from)
            .collect();
        let secret = format!("{}{random}", Self::SECRET_PREFIX);
        let key = ApiKey {
            id: ApiKeyId::generate(),
            tenant_id,
            name,
            scope,
            user_id,
            prefix: secret[..10].to_owned(),
            secret_hash: Self::hash_secret(&secret),
            created_at: crate::model::now(),
            last_used_at: None,
            revoked_at: None,
        };
        NewApiKey { key, secret }
    }

    pub fn hash_secret(secret: &str) -> String {
        hex::encode(Sha256::digest(secret.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(Tenant::slug_for("Acme Corp."), "acme-corp");
        assert_eq!(Tenant::slug_for("  ÉCOLE  42 "), "cole-42");
        assert_eq!(Tenant::slug_for("!!!"), "tenant");
    }

    #[test]
    fn generated_keys_store_only_the_hash_of_the_secret() {
        let made = ApiKey::generate(TenantId::generate(), "ci".into(), Scope::Write, None);
        assert!(made.secret.starts_with("rst_"));
        assert_eq!(made.key.secret_hash, ApiKey::hash_secret(&made.secret));
        assert_ne!(made.key.secret_hash, made.secret);
    }
}
