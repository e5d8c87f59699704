//! Schema migrations: one ordered list of portable SQL files for both databases.

use crate::db::{execute_script, query};
use crate::{Result, Store, StoreError};

/// `(version, name, sql)`, in order. Versions only ever grow; applied files never change.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "accounts", include_str!("../migrations/0001_accounts.sql")),
    (2, "oauth", include_str!("../migrations/0002_oauth.sql")),
    (3, "statuses", include_str!("../migrations/0003_statuses.sql")),
    (4, "interactions", include_str!("../migrations/0004_interactions.sql")),
    (5, "profiles", include_str!("../migrations/0005_profiles.sql")),
    (6, "approval", include_str!("../migrations/0006_approval.sql")),
    (7, "edits_pins_notes", include_str!("../migrations/0007_edits_pins_notes.sql")),
    (8, "unique_boosts", include_str!("../migrations/0008_unique_boosts.sql")),
    (9, "conversations", include_str!("../migrations/0009_conversations.sql")),
    (10, "thread_roots", include_str!("../migrations/0010_thread_roots.sql")),
    (11, "federation", include_str!("../migrations/0011_federation.sql")),
    (12, "blocks", include_str!("../migrations/0012_blocks.sql")),
    (13, "favourite_uris", include_str!("../migrations/0013_favourite_uris.sql")),
    (14, "delivery_hosts_index", include_str!("../migrations/0014_delivery_hosts_index.sql")),
    (15, "media", include_str!("../migrations/0015_media.sql")),
    (16, "media_cache", include_str!("../migrations/0016_media_cache.sql")),
    (17, "media_av", include_str!("../migrations/0017_media_av.sql")),
    (18, "media_processing", include_str!("../migrations/0018_media_processing.sql")),
    (19, "server_policy", include_str!("../migrations/0019_server_policy.sql")),
    (20, "mutes", include_str!("../migrations/0020_mutes.sql")),
    (21, "reports", include_str!("../migrations/0021_reports.sql")),
    (22, "filters", include_str!("../migrations/0022_filters.sql")),
    (23, "account_moderation", include_str!("../migrations/0023_account_moderation.sql")),
    (24, "invites", include_str!("../migrations/0024_invites.sql")),
    (25, "email_domain_blocks", include_str!("../migrations/0025_email_domain_blocks.sql")),
];

impl Store {
    /// Applies every migration not yet applied, all in one transaction, and returns
    /// the versions it applied. Safe to run from several processes at once.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        if let Some(lock) = self.dialect.migration_lock_sql() {
            query(lock).execute(&mut tx).await?;
        }
        execute_script(
            &mut tx,
            "CREATE TABLE IF NOT EXISTS schema_migrations (\
             version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .await?;
        let applied: Vec<(i64, String)> = query("SELECT version, checksum FROM schema_migrations")
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get::<i64, _>("version")?, r.try_get::<String, _>("checksum")?)))
            .collect::<Result<_>>()?;
        check_history(&applied)?;
        let mut applied_now = Vec::new();
        for &(version, name, sql) in MIGRATIONS {
            if applied.iter().any(|(v, _)| *v == version) {
                continue;
            }
            execute_script(&mut tx, sql)
                .await
                .map_err(|e| StoreError::Corrupt(format!("migration {version} ({name}) failed: {e}")))?;
            query("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
                .bind(version)
                .bind(name)
                .bind(checksum(sql))
                .bind(now_millis())
                .execute(&mut tx)
                .await?;
            tracing::info!(version, name, "applied migration");
            applied_now.push(version);
        }
        tx.commit().await?;
        Ok(applied_now)
    }

    /// The versions recorded as applied, oldest first.
    pub async fn list_applied_migrations(&self) -> Result<Vec<i64>> {
        let rows = query("SELECT version FROM schema_migrations ORDER BY version").fetch_all(&self.reader).await?;
        rows.iter().map(|r| r.try_get::<i64, _>("version")).collect()
    }
}

/// Refuses a database that a newer Rookery migrated, or whose applied migrations differ
/// from this binary's files: running on either could corrupt data.
fn check_history(applied: &[(i64, String)]) -> Result<()> {
    for (version, stored) in applied {
        match MIGRATIONS.iter().find(|m| m.0 == *version) {
            None => {
                return Err(StoreError::Corrupt(format!(
                    "the database has migration {version}, which this Rookery does not know: it was used by a newer \
                     version; run that version or newer"
                )));
            }
            Some(&(_, name, sql)) if checksum(sql) != *stored => {
                return Err(StoreError::Corrupt(format!(
                    "migration {version} ({name}) differs from the one applied to this database"
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// FNV-1a, 64 bits: enough to notice an edited file, no cryptography needed.
fn checksum(sql: &str) -> String {
    let hash = sql.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

fn now_millis() -> i64 {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::{MIGRATIONS, check_history, checksum};

    #[test]
    fn refuses_unknown_or_edited_migrations() {
        let known: Vec<(i64, String)> = MIGRATIONS.iter().map(|m| (m.0, checksum(m.2))).collect();
        assert!(check_history(&known).is_ok());
        let mut newer = known.clone();
        newer.push((9999, "x".into()));
        assert!(check_history(&newer).unwrap_err().to_string().contains("9999"));
        let mut edited = known;
        edited[0].1 = "0000000000000000".into();
        assert!(check_history(&edited).unwrap_err().to_string().contains("differs"));
    }

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
