//! Schema migrations: one ordered list of portable SQL files for both databases.

use sqlx::Row;

use crate::{Result, Store, StoreError};

/// `(version, name, sql)`, in order. Versions only ever grow; applied files never change.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[(1, "accounts", include_str!("../migrations/0001_accounts.sql"))];

impl Store {
    /// Applies every migration not yet applied, all in one transaction, and returns
    /// the versions it applied. Safe to run from several processes at once.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        if let Some(lock) = self.dialect.migration_lock_sql() {
            sqlx::raw_sql(lock).execute(&mut *tx).await?;
        }
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (\
             version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .execute(&mut *tx)
        .await?;
        let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("version"))
            .collect::<Result<_, _>>()?;
        let mut applied_now = Vec::new();
        for &(version, name, sql) in MIGRATIONS {
            if applied.contains(&version) {
                continue;
            }
            sqlx::raw_sql(sql)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::Corrupt(format!("migration {version} ({name}) failed: {e}")))?;
            sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(version)
                .bind(name)
                .bind(now_millis())
                .execute(&mut *tx)
                .await?;
            tracing::info!(version, name, "applied migration");
            applied_now.push(version);
        }
        tx.commit().await?;
        Ok(applied_now)
    }

    /// The versions recorded as applied, oldest first.
    pub async fn list_applied_migrations(&self) -> Result<Vec<i64>> {
        let rows =
            sqlx::query("SELECT version FROM schema_migrations ORDER BY version").fetch_all(&self.reader).await?;
        rows.iter().map(|r| Ok(r.try_get::<i64, _>("version")?)).collect()
    }
}

fn now_millis() -> i64 {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    #[test]
    fn versions_strictly_increase_and_match_file_names() {
        let mut last = 0;
        for &(version, name, sql) in MIGRATIONS {
            assert!(version > last, "migration {version} out of order");
            assert!(!name.is_empty() && !sql.trim().is_empty());
            last = version;
        }
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let mut files: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS.iter().map(|(v, n, _)| format!("{v:04}_{n}.sql")).collect();
        assert_eq!(files, listed, "every file in migrations/ is listed, in order");
    }
}
