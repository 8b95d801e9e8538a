//! Roster's storage: one SQL implementation of the core's [`Store`] for both SQLite (the embedded
//! default) and PostgreSQL (several stateless nodes on one database). Queries are written once;
//! the differences live in [`backend`].

mod backend;
mod error;
mod repo;
mod session;
mod sql;

use async_trait::async_trait;
use sqlx::AnyPool;

pub use backend::Backend;
use roster_core::store::{Session, Store};
use roster_core::{DomainError, DomainResult};
use session::SqlSession;

/// The store behind a database URL: `sqlite://PATH` or `postgres://…`.
#[derive(Clone, Debug)]
pub struct SqlStore {
    backend: Backend,
    reader: AnyPool,
    writer: AnyPool,
}

impl SqlStore {
    /// Connects without migrating.
    pub async fn connect(url: &str) -> DomainResult<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let (reader, writer) = backend.pools(url).await?;
        Ok(Self {
            backend,
            reader,
            writer,
        })
    }

    /// Connects and brings the schema up to date: what `roster serve` does at start.
    pub async fn open(url: &str) -> DomainResult<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the migrations not applied yet. Safe to run from several nodes at once on
    /// PostgreSQL (sqlx takes an advisory lock).
    pub async fn migrate(&self) -> DomainResult<Vec<i64>> {
        let migrator = self.backend.migrator();
        migrator
            .run(&self.writer)
            .await
            .map_err(|error| DomainError::Unavailable(format!("migration failed: {error}")))?;
        Ok(migrator.iter().map(|migration| migration.version).collect())
    }

    /// The versions of the migrations this build knows, for one backend.
    pub fn migration_versions(backend: Backend) -> Vec<i64> {
        backend
            .migrator()
            .iter()
            .map(|migration| migration.version)
            .collect()
    }

    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn reader(&self) -> DomainResult<Box<dyn Session>> {
        Ok(Box::new(
            SqlSession::read(self.backend, &self.reader).await?,
        ))
    }

    async fn writer(&self) -> DomainResult<Box<dyn Session>> {
        Ok(Box::new(
            SqlSession::write(self.backend, &self.writer).await?,
        ))
    }

    async fn ping(&self) -> DomainResult<()> {
        let mut session = SqlSession::read(self.backend, &self.reader).await?;
        sql::Sql::new("SELECT 1")
            .fetch_count(session.db())
            .await
            .map(drop)
    }

    fn backend(&self) -> &'static str {
        self.backend.name()
    }
}
