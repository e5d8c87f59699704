//! SQLite through rusqlite, in-process. Readers are a few connections behind plain
//! mutexes: a statement runs to completion without yielding, so a reader is never held
//! across an `.await` and a thread waits at most one statement for one. The writer is one
//! connection behind an asynchronous mutex, because a write transaction lasts across the
//! awaits of the code that runs it; writers queue there instead of spinning on
//! `SQLITE_BUSY`.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode, OpenFlags, ToSql};

use super::{Row, Value};
use crate::{Result, StoreError};

/// Prepared statements kept per connection; the store has fewer distinct queries
/// than this, apart from `IN (...)` lists of varying length.
const STATEMENT_CACHE: usize = 512;

pub(crate) struct SqliteReaders {
    connections: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl SqliteReaders {
    pub(crate) fn open(path: &Path, count: usize, setup: &[&str]) -> Result<Self> {
        let connections = (0..count.max(1))
            .map(|_| open(path, OpenFlags::SQLITE_OPEN_READ_WRITE, setup).map(Mutex::new))
            .collect::<Result<_>>()?;
        Ok(SqliteReaders { connections, next: AtomicUsize::new(0) })
    }

    /// Runs `f` on a free connection, or waits for one if every one is busy.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        let count = self.connections.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..count {
            if let Ok(connection) = self.connections[(start + i) % count].try_lock() {
                return f(&connection);
            }
        }
        // A panic while a statement ran leaves the connection usable: SQLite resets it.
        f(&self.connections[start % count].lock().unwrap_or_else(PoisonError::into_inner))
    }
}

pub(crate) struct SqliteWriter {
    connection: Arc<tokio::sync::Mutex<Connection>>,
}

impl SqliteWriter {
    pub(crate) fn open(path: &Path, setup: &[&str]) -> Result<Self> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        let connection = open(path, flags, setup)?;
        Ok(SqliteWriter { connection: Arc::new(tokio::sync::Mutex::new(connection)) })
    }

    pub(crate) async fn lock(&self) -> tokio::sync::MutexGuard<'_, Connection> {
        self.connection.lock().await
    }

    pub(crate) async fn begin(&self, begin: &str) -> Result<WriteTx> {
        let connection = self.connection.clone().lock_owned().await;
        connection.execute_batch(begin).map_err(error)?;
        Ok(WriteTx { connection, open: true })
    }
}

/// The writer, held from `BEGIN` until commit; rolled back if dropped before.
pub(crate) struct WriteTx {
    connection: tokio::sync::OwnedMutexGuard<Connection>,
    open: bool,
}

impl WriteTx {
    pub(crate) fn connection(&self) -> &Connection {
        &self.connection
    }

    pub(crate) fn commit(mut self) -> Result<()> {
        self.connection.execute_batch("COMMIT").map_err(error)?;
        self.open = false;
        Ok(())
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if self.open
            && let Err(e) = self.connection.execute_batch("ROLLBACK")
        {
            tracing::error!(error = %e, "rolling back a SQLite transaction failed");
        }
    }
}

fn open(path: &Path, flags: OpenFlags, setup: &[&str]) -> Result<Connection> {
    let flags = flags | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags).map_err(error)?;
    connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    for sql in setup {
        connection.execute_batch(sql).map_err(error)?;
    }
    Ok(connection)
}

pub(crate) fn fetch(connection: &Connection, sql: &str, args: &[Value]) -> Result<Vec<Row>> {
    let mut statement = connection.prepare_cached(&numbered(sql)).map_err(error)?;
    for (i, arg) in args.iter().enumerate() {
        statement.raw_bind_parameter(i + 1, arg).map_err(error)?;
    }
    let columns: Arc<[String]> = statement.column_names().into_iter().map(str::to_owned).collect();
    let mut rows = statement.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(error)? {
        let mut values = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            values.push(match row.get_ref(i).map_err(error)? {
                ValueRef::Null => Value::NullInt,
                ValueRef::Integer(v) => Value::Int(v),
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                other => {
                    return Err(StoreError::Corrupt(format!(
                        "column `{}` holds a {:?}, not an integer or text",
                        columns[i],
                        other.data_type()
                    )));
                }
            });
        }
        out.push(Row::new(columns.clone(), values));
    }
    Ok(out)
}

/// Runs a statement and returns how many rows it changed.
pub(crate) fn execute(connection: &Connection, sql: &str, args: &[Value]) -> Result<u64> {
    let mut statement = connection.prepare_cached(&numbered(sql)).map_err(error)?;
    for (i, arg) in args.iter().enumerate() {
        statement.raw_bind_parameter(i + 1, arg).map_err(error)?;
    }
    if statement.column_count() == 0 {
        return Ok(statement.raw_execute().map_err(error)? as u64);
    }
    // `... RETURNING` run for its effect: each returned row is a changed row.
    let mut rows = statement.raw_query();
    let mut changed = 0;
    while rows.next().map_err(error)?.is_some() {
        changed += 1;
    }
    Ok(changed)
}

/// `$N` → `?N`: SQLite reads `$N` as a named parameter, numbered in order of first
/// appearance, whereas `?N` is the Nth bound value, as `$N` is in PostgreSQL.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c == '$' && !quoted && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Value::NullInt | Value::NullText => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

/// Maps SQLite's errors to the store's: a unique violation becomes a conflict naming
/// the columns (`UNIQUE constraint failed: accounts.username, accounts.domain`).
pub(crate) fn error(e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(code, message)
            if code.code == ErrorCode::ConstraintViolation
                && matches!(
                    code.extended_code,
                    rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                ) =>
        {
            StoreError::Conflict(message.clone().unwrap_or_else(|| e.to_string()))
        }
        _ => StoreError::Database(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn numbers_placeholders_outside_literals() {
        assert_eq!(numbered("SELECT $1, '$2', $10 WHERE a = $3"), "SELECT ?1, '$2', ?10 WHERE a = ?3");
    }
}
