//! A session: a pooled connection for reading, or one transaction for writing.

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Transaction};

use crate::backend::Backend;
use crate::error::from_sqlx;
use roster_core::store::Session;
use roster_core::{DomainError, DomainResult};

enum Connection {
    Read(PoolConnection<Any>),
    Write(Transaction<'static, Any>),
}

pub(crate) struct SqlSession {
    connection: Connection,
    pub(crate) backend: Backend,
}

impl SqlSession {
    pub async fn read(backend: Backend, pool: &AnyPool) -> DomainResult<Self> {
        let connection = Connection::Read(pool.acquire().await.map_err(from_sqlx)?);
        Ok(Self {
            connection,
            backend,
        })
    }

    pub async fn write(backend: Backend, pool: &AnyPool) -> DomainResult<Self> {
        // sqlx 0.8's begin is not cancel-safe: dropped after the database began the transaction
        // but before the answer was read (a client that goes away), it returns the connection to
        // the pool still inside it, and every later BEGIN on it fails — with SQLite's one writer
        // connection, every later write. In its own task the begin always finishes, and a
        // transaction nobody takes is dropped whole, which rolls it back.
        let pool = pool.clone();
        let begin = tokio::spawn(async move { pool.begin_with(backend.begin_write()).await });
        let transaction = begin
            .await
            .map_err(|error| DomainError::Internal(format!("beginning a transaction: {error}")))?
            .map_err(from_sqlx)?;
        Ok(Self {
            connection: Connection::Write(transaction),
            backend,
        })
    }

    /// Whether this session is a write transaction.
    pub fn writing(&self) -> bool {
        matches!(self.connection, Connection::Write(_))
    }

    pub fn db(&mut self) -> &mut AnyConnection {
        match &mut self.connection {
            Connection::Read(connection) => connection,
            Connection::Write(transaction) => transaction,
        }
    }
}

#[async_trait]
impl Session for SqlSession {
    async fn commit(self: Box<Self>) -> DomainResult<()> {
        match self.connection {
            Connection::Read(_) => Ok(()),
            Connection::Write(transaction) => transaction.commit().await.map_err(from_sqlx),
        }
    }
}
