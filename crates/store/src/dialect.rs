//! Where SQLite and PostgreSQL differ. Everything else is shared SQL.

/// Which database a [`crate::Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }

    /// SQLite's plain `BEGIN` takes the write lock only at the first write, and a
    /// transaction that read first then fails with `SQLITE_BUSY` instead of waiting.
    pub(crate) fn begin_write_sql(self) -> &'static str {
        match self {
            Self::Sqlite => "BEGIN IMMEDIATE",
            Self::Postgres => "BEGIN",
        }
    }

    /// Serialises schema changes between processes starting at once (several nodes, or
    /// the admin CLI beside the server). SQLite's write lock already does this.
    pub(crate) fn migration_lock_sql(self) -> Option<&'static str> {
        match self {
            Self::Sqlite => None,
            // An arbitrary constant key, the same in every Rookery process.
            Self::Postgres => Some("SELECT pg_advisory_xact_lock(125762638424697)"),
        }
    }

    /// Statements run on every new connection.
    pub(crate) fn connection_setup(self) -> &'static [&'static str] {
        match self {
            // busy_timeout first, so the statements after it wait for locks.
            Self::Sqlite => &[
                "PRAGMA busy_timeout = 10000",
                // With WAL, NORMAL loses no committed transaction on a process crash, only
                // possibly the last ones on a power cut, and saves an fsync per commit.
                "PRAGMA synchronous = NORMAL",
                "PRAGMA foreign_keys = ON",
            ],
            Self::Postgres => &[],
        }
    }
}
