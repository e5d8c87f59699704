//! Opening a [`Store`] from a database URL.

use std::path::Path;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;

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
        sqlx::any::install_default_drivers();
        let dialect =
            Dialect::from_url(&options.url).ok_or_else(|| StoreError::UnsupportedUrl(redact(&options.url)))?;
        let max = options.max_connections.max(1);
        match dialect {
            Dialect::Sqlite => {
                let url = sqlite_url_creating_file(&options.url)?;
                // Only the writer switches the file to WAL (it needs an exclusive lock, and it
                // connects first); the mode is a property of the file, so readers share it.
                let writer = pool(dialect, 1, &["PRAGMA journal_mode = WAL"]).connect(&url).await?;
                let reader = pool(dialect, max, &["PRAGMA query_only = ON"]).connect(&url).await?;
                Ok(Store { writer, reader, dialect })
            }
            Dialect::Postgres => {
                let shared = pool(dialect, max, &[]).connect(&options.url).await?;
                Ok(Store { writer: shared.clone(), reader: shared, dialect })
            }
        }
    }
}

fn pool(dialect: Dialect, max: u32, extra_setup: &'static [&'static str]) -> AnyPoolOptions {
    AnyPoolOptions::new().max_connections(max).acquire_timeout(Duration::from_secs(30)).after_connect(
        move |conn, _meta| {
            Box::pin(async move {
                for sql in dialect.connection_setup().iter().chain(extra_setup) {
                    sqlx::raw_sql(*sql).execute(&mut *conn).await?;
                }
                Ok(())
            })
        },
    )
}

/// Adds `mode=rwc` so a missing database file is created, and creates its folder.
fn sqlite_url_creating_file(url: &str) -> Result<String> {
    let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        // Each pooled connection would get its own empty database.
        return Err(StoreError::UnsupportedUrl(format!("{url} (SQLite needs a file path)")));
    }
    if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| StoreError::Corrupt(format!("cannot create the folder {}: {e}", parent.display())))?;
    }
    let has_mode = query.split('&').any(|kv| kv.starts_with("mode="));
    Ok(match (query.is_empty(), has_mode) {
        (true, _) => format!("sqlite://{path}?mode=rwc"),
        (false, true) => format!("sqlite://{path}?{query}"),
        (false, false) => format!("sqlite://{path}?{query}&mode=rwc"),
    })
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
    fn sqlite_urls_get_create_mode() {
        let dir = std::env::temp_dir().join(format!("rookery-url-{}", std::process::id()));
        let file = dir.join("x.db");
        let url = format!("sqlite://{}", file.display());
        assert_eq!(sqlite_url_creating_file(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.is_dir());
        std::fs::remove_dir_all(dir).unwrap();
        assert!(sqlite_url_creating_file("sqlite::memory:").is_err());
    }

    #[tokio::test]
    async fn sqlite_has_one_wal_writer_and_read_only_readers() {
        let dir = std::env::temp_dir().join(format!("rookery-pools-{}", std::process::id()));
        let url = format!("sqlite://{}", dir.join("t.db").display());
        let store = Store::connect(&ConnectOptions { url, max_connections: 3 }).await.unwrap();
        store.migrate().await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&store.reader).await.unwrap();
        assert_eq!(mode, "wal");
        let denied = sqlx::query("DELETE FROM accounts").execute(&store.reader).await.unwrap_err();
        assert!(denied.to_string().contains("readonly"), "{denied}");
        assert_eq!(store.writer.options().get_max_connections(), 1);
        store.close().await;
        std::fs::remove_dir_all(dir).unwrap();
    }
}
