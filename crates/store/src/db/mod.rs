//! The two database drivers behind one small interface: a query with `$N` placeholders
//! and bound values, run on a pool or inside a write transaction, giving rows of
//! integers and texts.
//!
//! SQLite is driven in-process through rusqlite, each statement run on the calling
//! thread: a query takes microseconds, and handing it to a connection thread and back
//! (as sqlx's SQLite driver does) cost more than the query itself. PostgreSQL is driven
//! through sqlx's asynchronous driver.

mod changes;
mod postgres;
mod sqlite;
mod value;

use std::sync::Arc;

pub(crate) use sqlite::{SqliteReaders, SqliteWriter};
pub(crate) use value::{Row, Value};

use crate::{Result, StoreError};

/// Where queries run: one of the two SQLite pools, or PostgreSQL's.
#[derive(Clone)]
pub(crate) enum Pool {
    SqliteRead(Arc<SqliteReaders>),
    SqliteWrite(Arc<SqliteWriter>),
    Postgres(sqlx::PgPool),
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Pool::SqliteRead(_) => "Pool::SqliteRead",
            Pool::SqliteWrite(_) => "Pool::SqliteWrite",
            Pool::Postgres(_) => "Pool::Postgres",
        })
    }
}

impl Pool {
    /// Starts a transaction with `begin` (`BEGIN IMMEDIATE` on SQLite, which takes the
    /// write lock at once). Dropped without [`Tx::commit`], it rolls back.
    pub(crate) async fn begin(&self, begin: &str) -> Result<Tx> {
        match self {
            Pool::SqliteWrite(writer) => Ok(Tx::Sqlite(writer.begin(begin).await?)),
            Pool::SqliteRead(_) => Err(StoreError::Database("write transaction on a read-only pool".into())),
            Pool::Postgres(pool) => {
                let tx = pool.begin_with(sqlx::AssertSqlSafe(begin.to_owned())).await?;
                Ok(Tx::Postgres(tx))
            }
        }
    }

    pub(crate) async fn close(&self) {
        if let Pool::Postgres(pool) = self {
            pool.close().await;
        }
    }
}

/// An open write transaction.
pub(crate) enum Tx {
    Sqlite(sqlite::WriteTx),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit(),
            Tx::Postgres(tx) => Ok(tx.commit().await?),
        }
    }
}

/// What a query runs on.
pub(crate) enum On<'a> {
    Pool(&'a Pool),
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Pool> for On<'a> {
    fn from(pool: &'a Pool) -> Self {
        On::Pool(pool)
    }
}

impl<'a> From<&'a mut Tx> for On<'a> {
    fn from(tx: &'a mut Tx) -> Self {
        On::Tx(tx)
    }
}

/// What a statement changed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Done {
    rows_affected: u64,
}

impl Done {
    pub(crate) fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

/// A statement with its bound values, in the order of their `$N` placeholders.
pub(crate) struct Query<'q> {
    sql: &'q str,
    args: Vec<Value>,
}

pub(crate) fn query(sql: &str) -> Query<'_> {
    Query { sql, args: Vec::new() }
}

impl<'q> Query<'q> {
    pub(crate) fn bind(mut self, value: impl Into<Value>) -> Self {
        self.args.push(value.into());
        self
    }

    pub(crate) async fn fetch_all(self, on: impl Into<On<'_>>) -> Result<Vec<Row>> {
        match on.into() {
            On::Pool(Pool::SqliteRead(readers)) => readers.with(|c| sqlite::fetch(c, self.sql, &self.args)),
            On::Pool(Pool::SqliteWrite(writer)) => {
                writer.run(self.sql, |c| sqlite::fetch(c, self.sql, &self.args)).await
            }
            On::Tx(Tx::Sqlite(tx)) => sqlite::fetch(tx.connection(self.sql), self.sql, &self.args),
            On::Pool(Pool::Postgres(pool)) => postgres::fetch(pool, self.sql, self.args).await,
            On::Tx(Tx::Postgres(tx)) => postgres::fetch(&mut **tx, self.sql, self.args).await,
        }
    }

    pub(crate) async fn fetch_optional(self, on: impl Into<On<'_>>) -> Result<Option<Row>> {
        match on.into() {
            // PostgreSQL stops after the first row instead of sending them all.
            On::Pool(Pool::Postgres(pool)) => postgres::fetch_optional(pool, self.sql, self.args).await,
            On::Tx(Tx::Postgres(tx)) => postgres::fetch_optional(&mut **tx, self.sql, self.args).await,
            on => Ok(self.fetch_all(on).await?.into_iter().next()),
        }
    }

    /// The first row; [`StoreError::NotFound`] when there is none.
    pub(crate) async fn fetch_one(self, on: impl Into<On<'_>>) -> Result<Row> {
        self.fetch_optional(on).await?.ok_or(StoreError::NotFound)
    }

    pub(crate) async fn execute(self, on: impl Into<On<'_>>) -> Result<Done> {
        let rows_affected = match on.into() {
            On::Pool(Pool::SqliteRead(readers)) => readers.with(|c| sqlite::execute(c, self.sql, &self.args))?,
            On::Pool(Pool::SqliteWrite(writer)) => {
                writer.run(self.sql, |c| sqlite::execute(c, self.sql, &self.args)).await?
            }
            On::Tx(Tx::Sqlite(tx)) => sqlite::execute(tx.connection(self.sql), self.sql, &self.args)?,
            On::Pool(Pool::Postgres(pool)) => postgres::execute(pool, self.sql, self.args).await?,
            On::Tx(Tx::Postgres(tx)) => postgres::execute(&mut **tx, self.sql, self.args).await?,
        };
        Ok(Done { rows_affected })
    }
}

/// Runs several `;`-separated statements without parameters (migrations).
pub(crate) async fn execute_script(tx: &mut Tx, sql: &str) -> Result<()> {
    match tx {
        Tx::Sqlite(tx) => Ok(tx.connection(sql).execute_batch(sql).map_err(sqlite::error)?),
        Tx::Postgres(tx) => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())).execute(&mut **tx).await?;
            Ok(())
        }
    }
}
