//! The two database drivers behind one small interface: a query with `$N` placeholders
//! and bound values, run on a pool or inside a write transaction, giving rows of
//! integers and texts.
//!
//! SQLite is driven in-process through rusqlite, each statement run on the calling
//! thread: a query takes microseconds, and handing it to a connection thread and back
//! (as sqlx's SQLite driver does) cost more than the query itself. PostgreSQL is driven
//! through sqlx's asynchronous driver.

mod changes;
mod pg_changes;
mod postgres;
mod sqlite;
mod value;

use std::sync::Arc;

pub(crate) use pg_changes::PgChanges;
pub(crate) use sqlite::{SqliteReaders, SqliteWriter};
pub(crate) use value::{Row, Value};

use crate::{Result, StoreError};

/// Where queries run: one of the two SQLite pools, or PostgreSQL's.
#[derive(Clone)]
pub(crate) enum Pool {
    SqliteRead(Arc<SqliteReaders>),
    SqliteWrite(Arc<SqliteWriter>),
    /// With the node's change feed on the writer's side: statements run through it that
    /// name kept tables notify the other nodes.
    Postgres(sqlx::PgPool, Option<Arc<PgChanges>>),
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Pool::SqliteRead(_) => "Pool::SqliteRead",
            Pool::SqliteWrite(_) => "Pool::SqliteWrite",
            Pool::Postgres(..) => "Pool::Postgres",
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
            Pool::Postgres(pool, feed) => {
                let tx = pool.begin_with(sqlx::AssertSqlSafe(begin.to_owned())).await?;
                Ok(Tx::Postgres(PgTx { tx, feed: feed.clone(), names_kept_table: false }))
            }
        }
    }

    pub(crate) async fn close(&self) {
        if let Pool::Postgres(pool, feed) = self {
            if let Some(feed) = feed {
                feed.stop();
            }
            pool.close().await;
        }
    }
}

/// An open write transaction.
pub(crate) enum Tx {
    Sqlite(sqlite::WriteTx),
    Postgres(PgTx),
}

pub(crate) struct PgTx {
    tx: sqlx::Transaction<'static, sqlx::Postgres>,
    feed: Option<Arc<PgChanges>>,
    names_kept_table: bool,
}

impl PgTx {
    /// The transaction, to run `sql` in.
    fn run(&mut self, sql: &str) -> &mut sqlx::PgConnection {
        self.names_kept_table = self.names_kept_table || changes::Changes::names_kept_table(sql);
        &mut self.tx
    }
}

impl Tx {
    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit(),
            Tx::Postgres(mut tx) => {
                let notify = tx.names_kept_table.then_some(tx.feed.clone()).flatten();
                if notify.is_some() {
                    // Delivered to every node when the transaction commits.
                    postgres::execute(&mut *tx.tx, pg_changes::NOTIFY, Vec::new()).await?;
                }
                let committed = tx.tx.commit().await;
                if let Some(feed) = notify {
                    feed.changes.moved();
                }
                Ok(committed?)
            }
        }
    }
}

/// After a statement outside a transaction on PostgreSQL's writer side: tells the other
/// nodes (and this one) when it named a kept table.
async fn notify_after(pool: &sqlx::PgPool, feed: &Option<Arc<PgChanges>>, sql: &str) -> Result<()> {
    if let Some(feed) = feed
        && changes::Changes::names_kept_table(sql)
    {
        postgres::execute(pool, pg_changes::NOTIFY, Vec::new()).await?;
        feed.changes.moved();
    }
    Ok(())
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
            On::Pool(Pool::Postgres(pool, feed)) => {
                let rows = postgres::fetch(pool, self.sql, self.args).await;
                notify_after(pool, feed, self.sql).await?;
                rows
            }
            On::Tx(Tx::Postgres(tx)) => postgres::fetch(tx.run(self.sql), self.sql, self.args).await,
        }
    }

    pub(crate) async fn fetch_optional(self, on: impl Into<On<'_>>) -> Result<Option<Row>> {
        match on.into() {
            // PostgreSQL stops after the first row instead of sending them all.
            On::Pool(Pool::Postgres(pool, None)) => postgres::fetch_optional(pool, self.sql, self.args).await,
            On::Tx(Tx::Postgres(tx)) => postgres::fetch_optional(tx.run(self.sql), self.sql, self.args).await,
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
            On::Pool(Pool::Postgres(pool, feed)) => {
                let done = postgres::execute(pool, self.sql, self.args).await;
                notify_after(pool, feed, self.sql).await?;
                done?
            }
            On::Tx(Tx::Postgres(tx)) => postgres::execute(tx.run(self.sql), self.sql, self.args).await?,
        };
        Ok(Done { rows_affected })
    }
}

/// Runs several `;`-separated statements without parameters (migrations).
pub(crate) async fn execute_script(tx: &mut Tx, sql: &str) -> Result<()> {
    match tx {
        Tx::Sqlite(tx) => Ok(tx.connection(sql).execute_batch(sql).map_err(sqlite::error)?),
        Tx::Postgres(tx) => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())).execute(tx.run(sql)).await?;
            Ok(())
        }
    }
}
