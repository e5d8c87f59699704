//! Opening a [`Store`] from a database URL.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Executor;
use sqlx::postgres::PgPoolOptions;

use crate::db::{PgChanges, Pool, SqliteReaders, SqliteWriter};
use crate::{Dialect, Result, Store, StoreError};

/// How to reach the database.
#[derive(Clone)]
pub struct ConnectOptions {
    /// `sqlite://PATH` or `postgres://...`.
    pub url: String,
    /// Connections for reads (and, on PostgreSQL, writes too).
    pub max_connections: u32,
}

impl std::fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("url", &redact(&self.url))
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

impl Store {
    /// Connects and checks the connection; does not migrate.
    pub async fn connect(options: &ConnectOptions) -> Result<Store> {
        let dialect =
            Dialect::from_url(&options.url).ok_or_else(|| StoreError::UnsupportedUrl(redact(&options.url)))?;
        let max = options.max_connections.max(1);
        match dialect {
            Dialect::Sqlite => {
                let path = sqlite_path_creating_folder(&options.url)?;
                let setup = dialect.connection_setup();
                // The writer connects first and switches the file to WAL (that needs an
                // exclusive lock); the mode is a property of the file, so readers share it.
                let writer = SqliteWriter::open(&path, setup)?;
                let reader_setup: Vec<&str> = setup.iter().copied().chain(["PRAGMA query_only = ON"]).collect();
                let readers = SqliteReaders::open(&path, max as usize, &reader_setup)?;
                Ok(Store {
                    writer: Pool::SqliteWrite(Arc::new(writer)),
                    reader: Pool::SqliteRead(Arc::new(readers)),
                    dialect,
                    group_commits: Arc::default(),
                    rows: Arc::default(),
                })
            }
            Dialect::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(max)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(move |conn, _meta| {
                        Box::pin(async move {
                            for sql in dialect.connection_setup() {
                                conn.execute(*sql).await?;
                            }
                            Ok(())
                        })
                    })
                    .connect(&options.url)
                    .await?;
                let feed = PgChanges::start(&options.url);
                Ok(Store {
                    writer: Pool::Postgres(pool.clone(), Some(feed)),
                    reader: Pool::Postgres(pool, None),
                    dialect,
                    group_commits: Arc::default(),
                    rows: Arc::default(),
                })
            }
        }
    }
}

/// The file a `sqlite://PATH` or `sqlite:PATH` URL names, its folder created if missing.
/// The path is taken as it is, so any character a file name may hold works.
fn sqlite_path_creating_folder(url: &str) -> Result<PathBuf> {
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    if path.is_empty() || path.starts_with(":memory:") {
        // Each connection would get its own empty database.
        return Err(StoreError::UnsupportedUrl(format!("{url} (SQLite needs a file path)")));
    }
    if path.contains('?') {
        // Options after `?` were once read from the URL; taking them as part of the file
        // name would quietly open another, empty database.
        return Err(StoreError::UnsupportedUrl(format!("{url} (no options after `?` are read)")));
    }
    let path = PathBuf::from(path);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| StoreError::Corrupt(format!("cannot create the folder {}: {e}", parent.display())))?;
    }
    Ok(path)
}

/// The URL without its password, fit for error messages and logs.
pub fn redact(url: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let mut out = redact_credentials(base);
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if k.to_ascii_lowercase().contains("password") => format!("{k}=***"),
                _ => kv.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

fn redact_credentials(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::query;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://data/rookery.db"), "sqlite://data/rookery.db");
        assert_eq!(
            redact("postgres://u@h/db?password=x&sslmode=require"),
            "postgres://u@h/db?password=***&sslmode=require"
        );
    }

    #[test]
    fn sqlite_urls_name_a_file_whose_folder_is_created() {
        let dir = std::env::temp_dir().join(format!("rookery-url-{}", std::process::id()));
        let file = dir.join("odd #% name.db");
        let url = format!("sqlite://{}", file.display());
        assert_eq!(sqlite_path_creating_folder(&url).unwrap(), file);
        assert!(dir.is_dir());
        std::fs::remove_dir_all(dir).unwrap();
        assert!(sqlite_path_creating_folder("sqlite::memory:").is_err());
        assert!(sqlite_path_creating_folder("sqlite://x.db?mode=rwc").is_err());
    }

    #[tokio::test]
    async fn sqlite_has_one_wal_writer_and_read_only_readers() {
        let dir = std::env::temp_dir().join(format!("rookery-pools-{}", std::process::id()));
        let url = format!("sqlite://{}", dir.join("t.db").display());
        let store = Store::connect(&ConnectOptions { url, max_connections: 3 }).await.unwrap();
        store.migrate().await.unwrap();
        let mode: String =
            query("PRAGMA journal_mode").fetch_one(&store.reader).await.unwrap().try_get("journal_mode").unwrap();
        assert_eq!(mode, "wal");
        let denied = query("DELETE FROM accounts").execute(&store.reader).await.unwrap_err();
        assert!(denied.to_string().contains("readonly"), "{denied}");
        store.close().await;
        std::fs::remove_dir_all(dir).unwrap();
    }
}
