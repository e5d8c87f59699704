//! SQLite through rusqlite, in-process. Readers are a few connections behind plain
//! mutexes: a statement runs to completion without yielding, so a reader is never held
//! across an `.await` and a thread waits at most one statement for one. The writer is one
//! connection behind an asynchronous mutex, because a write transaction lasts across the
//! awaits of the code that runs it; writers queue there instead of spinning on
//! `SQLITE_BUSY`.
//!
//! Writes run on the runtime's thread like reads. A write can wait for another
//! process's lock (the admin CLI, up to `busy_timeout`), but with one writer connection
//! at most one runtime thread waits so; handing the thread over with `block_in_place`
//! at every statement cost three times the statement (a thread wake-up each), and
//! halved the inbox's throughput.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{CachedStatement, Connection, ErrorCode, OpenFlags, ToSql};

use super::changes::Changes;
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
    changes: Arc<Changes>,
}

/// How long a write waits for the writer before the request fails: as long as the
/// connection pool used to wait.
const WRITER_WAIT: Duration = Duration::from_secs(30);

impl SqliteWriter {
    /// Opens the writer and switches the file to WAL, so readers never block it.
    pub(crate) fn open(path: &Path, setup: &[&str]) -> Result<Self> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        let connection = open(path, flags, setup)?;
        let mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)).map_err(error)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Corrupt(format!(
                "{} cannot use write-ahead logging (journal mode {mode}); is it on a network file system?",
                path.display()
            )));
        }
        let changes = Arc::new(Changes::new(&connection));
        Ok(SqliteWriter { connection: Arc::new(tokio::sync::Mutex::new(connection)), changes })
    }

    /// Runs one statement, `sql`, on the writer, outside any transaction.
    pub(crate) async fn run<T>(&self, sql: &str, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let connection = tokio::time::timeout(WRITER_WAIT, self.connection.lock()).await.map_err(|_| busy())?;
        // A transaction left open by a failed rollback would swallow this statement.
        if !connection.is_autocommit() {
            connection.execute_batch("ROLLBACK").map_err(error)?;
        }
        let done = f(&connection);
        if Changes::names_kept_table(sql) {
            self.changes.moved();
        }
        done
    }

    /// The generation of kept rows (see [`Changes`]).
    pub(crate) fn generation(&self) -> u64 {
        self.changes.current(|| self.connection.try_lock().ok().map(|c| super::changes::data_version(&c)))
    }

    pub(crate) async fn begin(&self, begin: &str) -> Result<WriteTx> {
        let lock = self.connection.clone().lock_owned();
        let connection = tokio::time::timeout(WRITER_WAIT, lock).await.map_err(|_| busy())?;
        // A transaction left open by a failed rollback would refuse every BEGIN after it.
        if !connection.is_autocommit() {
            connection.execute_batch("ROLLBACK").map_err(error)?;
        }
        connection.execute_batch(begin).map_err(error)?;
        Ok(WriteTx { connection, open: true, changes: self.changes.clone(), names_kept_table: false })
    }
}

fn busy() -> StoreError {
    StoreError::Database("the database writer stayed busy for too long".into())
}

/// The writer, held from `BEGIN` until commit; rolled back if dropped before.
pub(crate) struct WriteTx {
    connection: tokio::sync::OwnedMutexGuard<Connection>,
    open: bool,
    changes: Arc<Changes>,
    /// Whether a statement named a table of kept rows: committing moves the generation.
    names_kept_table: bool,
}

impl WriteTx {
    /// The connection, to run `sql` on.
    pub(crate) fn connection(&mut self, sql: &str) -> &Connection {
        self.names_kept_table = self.names_kept_table || Changes::names_kept_table(sql);
        &self.connection
    }

    pub(crate) fn commit(mut self) -> Result<()> {
        let committed = self.connection.execute_batch("COMMIT").map_err(error);
        // A COMMIT that failed may leave the transaction open: dropping rolls it back.
        self.open = !self.connection.is_autocommit();
        if self.names_kept_table {
            self.changes.moved();
        }
        committed
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
    let mut statement = prepare(connection, sql, args)?;
    let columns = column_names(sql, &statement);
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
    let mut statement = prepare(connection, sql, args)?;
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

/// The cached statement for `sql` with `args` bound. SQLite numbers `$N` parameters in
/// order of first appearance, which is N itself in almost every query; only the others
/// are rewritten (see [`numbered`]), sparing every query a copy of its text.
fn prepare<'c>(connection: &'c Connection, sql: &str, args: &[Value]) -> Result<CachedStatement<'c>> {
    let mut statement = connection.prepare_cached(sql).map_err(error)?;
    let in_order = IN_ORDER.with_borrow_mut(|known| match known.get(sql) {
        Some(in_order) => *in_order,
        None => {
            let in_order = (1..=statement.parameter_count()).all(|i| {
                statement.parameter_name(i).and_then(|n| n.strip_prefix('$')).and_then(|n| n.parse::<usize>().ok())
                    == Some(i)
            });
            if known.len() >= COLUMNS_CACHED {
                known.clear();
            }
            known.insert(sql.to_owned(), in_order);
            in_order
        }
    });
    if !in_order {
        statement = connection.prepare_cached(&numbered(sql)).map_err(error)?;
    }
    // SQLite would take a missing value as NULL; PostgreSQL refuses, and so do we.
    if args.len() != statement.parameter_count() {
        return Err(StoreError::Database(
            format!("{} values bound to a statement with {} parameters", args.len(), statement.parameter_count())
                .into(),
        ));
    }
    for (i, arg) in args.iter().enumerate() {
        statement.raw_bind_parameter(i + 1, arg).map_err(error)?;
    }
    Ok(statement)
}

thread_local! {
    /// Whether a query's `$N` parameters appear in order, by query text.
    static IN_ORDER: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
    /// Column names by query text, shared by the rows of every run of the query.
    static COLUMNS: RefCell<HashMap<String, Arc<[String]>>> = RefCell::new(HashMap::new());
}

/// Distinct query texts remembered per thread; past it the cache starts over. The
/// store's queries number a few hundred, counting each length of `IN (...)` lists.
const COLUMNS_CACHED: usize = 2048;

fn column_names(sql: &str, statement: &CachedStatement<'_>) -> Arc<[String]> {
    COLUMNS.with_borrow_mut(|cache| {
        if let Some(columns) = cache.get(sql).filter(|c| c.len() == statement.column_count()) {
            return columns.clone();
        }
        let columns: Arc<[String]> = statement.column_names().into_iter().map(str::to_owned).collect();
        if cache.len() >= COLUMNS_CACHED {
            cache.clear();
        }
        cache.insert(sql.to_owned(), columns.clone());
        columns
    })
}

/// `$N` → `?N`: SQLite reads `$N` as a named parameter, numbered in order of first
/// appearance, whereas `?N` is the Nth bound value, as `$N` is in PostgreSQL.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut copied = 0;
    let bytes = sql.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' => quoted = !quoted,
            b'$' if !quoted && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                out.push_str(&sql[copied..i]);
                out.push('?');
                copied = i + 1;
            }
            _ => {}
        }
    }
    out.push_str(&sql[copied..]);
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
    use super::*;

    #[test]
    fn binds_each_placeholder_to_its_numbered_value_in_any_order() {
        let connection = Connection::open_in_memory().unwrap();
        for sql in ["SELECT $1 AS a, $2 AS b", "SELECT $2 AS b, $1 AS a", "SELECT $2 AS b, $1 AS a, $2 AS c"] {
            let rows = fetch(&connection, sql, &[Value::Int(1), Value::Text("two".into())]).unwrap();
            assert_eq!(rows[0].try_get::<i64, _>("a").unwrap(), 1, "{sql}");
            assert_eq!(rows[0].try_get::<String, _>("b").unwrap(), "two", "{sql}");
        }
    }

    #[test]
    fn numbers_placeholders_outside_literals() {
        assert_eq!(numbered("SELECT $1, '$2', $10 WHERE a = $3"), "SELECT ?1, '$2', ?10 WHERE a = ?3");
    }
}
