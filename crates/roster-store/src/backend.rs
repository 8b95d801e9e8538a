//! The few real differences between SQLite and PostgreSQL, kept in one place so that every query
//! elsewhere is written once.

use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};

use crate::error::from_sqlx;
use roster_core::{DomainError, DomainResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The migrations of one backend: plain SQL files with the same numbers in both folders.
macro_rules! migrations {
    ($folder:literal: $($version:literal => $file:literal),+ $(,)?) => {
        vec![$(Migration::new(
            $version,
            $file.into(),
            MigrationType::Simple,
            include_str!(concat!("../migrations/", $folder, "/", $file, ".sql")).into(),
            false,
        )),+]
    };
}

impl Backend {
    pub fn from_url(url: &str) -> DomainResult<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(DomainError::Unavailable(format!(
                "unsupported database URL {url:?}: use sqlite://PATH or postgres://…"
            )))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }

    /// The pools to read and to write with. SQLite allows one writer at a time, so its writes go
    /// through a single connection (queueing in the pool instead of failing with SQLITE_BUSY), and
    /// its readers are separate connections that WAL lets run beside the writer.
    pub async fn pools(self, url: &str) -> DomainResult<(AnyPool, AnyPool)> {
        match self {
            Self::Sqlite => {
                let url = sqlite_url(url);
                let writer = sqlite_pool(1, false)
                    .connect(&url)
                    .await
                    .map_err(from_sqlx)?;
                let reader = sqlite_pool(8, true)
                    .connect(&url)
                    .await
                    .map_err(from_sqlx)?;
                Ok((reader, writer))
            }
            Self::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await
                    .map_err(from_sqlx)?;
                Ok((pool.clone(), pool))
            }
        }
    }

    /// How a write transaction starts. SQLite takes the write lock up front, so a transaction that
    /// read first cannot fail later when another process holds the lock.
    pub fn begin_write(self) -> &'static str {
        match self {
            Self::Sqlite => "BEGIN IMMEDIATE",
            Self::Postgres => "BEGIN",
        }
    }

    /// Locks the selected rows until the transaction ends. SQLite needs none: its writer is alone.
    pub fn lock_rows(self, for_update: bool) -> &'static str {
        match (self, for_update) {
            (Self::Postgres, true) => " FOR UPDATE",
            _ => "",
        }
    }

    /// [`Self::lock_rows`] for the rows of one table of a join, named by its alias.
    pub fn lock_rows_of(self, for_update: bool, alias: &str) -> String {
        match self.lock_rows(for_update) {
            "" => String::new(),
            lock => format!("{lock} OF {alias}"),
        }
    }

    pub fn migrator(self) -> Migrator {
        let migrations = match self {
            Self::Sqlite => migrations!(
                "sqlite": 1 => "0001_directory", 2 => "0002_applications", 3 => "0003_access",
                4 => "0004_cloud_accounts", 5 => "0005_scim", 6 => "0006_scim_lookups"
            ),
            Self::Postgres => migrations!(
                "postgres": 1 => "0001_directory", 2 => "0002_applications", 3 => "0003_access",
                4 => "0004_cloud_accounts", 5 => "0005_scim", 6 => "0006_scim_lookups"
            ),
        };
        Migrator {
            migrations: migrations.into(),
            ..Migrator::DEFAULT
        }
    }
}

/// `sqlite://PATH` as sqlx wants it: created when missing.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// WAL so readers never wait for the writer; `synchronous=FULL` so that a write acknowledged to a
/// client survives a crash of the process or the machine; foreign keys on.
fn sqlite_pool(size: u32, read_only: bool) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = FULL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                if read_only {
                    conn.execute("PRAGMA query_only = ON").await?;
                }
                Ok(())
            })
        })
}
