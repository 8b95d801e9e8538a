//! What every storage test file needs: a store per backend, and small builders.

use roster_core::id::TenantId;
use roster_core::model::{now, Tenant, User};
use roster_core::values::{Email, Name};
use roster_core::DomainError;
use roster_store::SqlStore;

/// A fresh, migrated store on each backend available (SQLite always, PostgreSQL when installed).
pub async fn stores() -> Vec<(roster_testkit::TestDatabase, SqlStore)> {
    let mut databases = vec![roster_testkit::sqlite()];
    databases.extend(roster_testkit::postgres());
    let mut stores = Vec::new();
    for database in databases {
        let store = SqlStore::open(database.url()).await.expect("open");
        stores.push((database, store));
    }
    stores
}

pub fn tenant(name: &str) -> Tenant {
    Tenant {
        id: TenantId::generate(),
        name: name.into(),
        slug: Tenant::slug_for(name),
        created_at: now(),
    }
}

pub fn user(tenant: &Tenant, email: &str, name: &str) -> User {
    User::new(
        tenant.id.clone(),
        Email::parse(email).expect("email"),
        Name::parse(name).expect("name"),
    )
}

#[track_caller]
pub fn assert_conflict_on(error: &DomainError, expected: &str) {
    assert!(
        matches!(error, DomainError::Conflict { field, .. } if field.as_deref() == Some(expected)),
        "expected a conflict on {expected}, got {error:?}"
    );
}
