//! Which rows kept in memory (posts, accounts) may have changed in the SQLite file: a
//! generation that moves on after every write of this process that names one of their
//! tables, and when another process (the admin CLI) has committed anything.
//!
//! A row kept with the generation read *before* it was loaded is current while the
//! generation stays the same: a write that committed after the load began moves it on.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use rusqlite::Connection;

/// The tables whose rows [`crate::row_cache`] keeps, as they are named in SQL. A write
/// naming any of them moves the generation on (names are matched as plain text, so a
/// false match only costs a reload).
const KEPT_TABLES: [&str; 18] = [
    "statuses",
    "accounts",
    "users",
    "media_attachments",
    "status_mentions",
    "status_tags",
    "oauth_access_tokens",
    "oauth_applications",
    // Each reader's filters (and their keywords and posts), mutes, blocks, muted threads.
    "filter",
    "mutes",
    "blocks",
    "conversation_mutes",
    "follow_requests",
    // Each reader's marks on recent posts (boosts are statuses).
    "favourites",
    "bookmarks",
    "status_pins",
    // The newest entries of each home feed (written with the posts, follows and
    // unfollows that already move the generation).
    "home_feed",
    // Who each web session stands for.
    "web_sessions",
];

/// When the writer stayed busy this long (in milliseconds), so that other processes'
/// commits could not be looked for, the check gives up and assumes a change.
const OUTSIDE_CHECK_GIVE_UP_MS: u64 = 1000;

/// Other processes' commits are looked for at most this often (in microseconds): a
/// request reads the generation several times, and each look costs a statement on the
/// writer, while another process's commit has no order with this process's reads that a
/// millisecond would break.
const OUTSIDE_CHECK_EVERY_US: u64 = 1000;

pub(crate) struct Changes {
    generation: AtomicU64,
    started: Instant,
    /// When other processes' commits were last looked for (µs since `started`).
    checked_at: AtomicU64,
    /// The writer's `PRAGMA data_version` then: it changes only when another
    /// connection, so another process, commits.
    data_version: AtomicU64,
    checking: AtomicBool,
}

impl Changes {
    pub(crate) fn new(writer: &Connection) -> Self {
        Changes {
            generation: AtomicU64::new(0),
            started: Instant::now(),
            checked_at: AtomicU64::new(0),
            data_version: AtomicU64::new(data_version(writer).unwrap_or(0)),
            checking: AtomicBool::new(false),
        }
    }

    /// For PostgreSQL, whose other writers are seen through notifications instead.
    pub(crate) fn without_outside_check() -> Self {
        Changes {
            generation: AtomicU64::new(0),
            started: Instant::now(),
            checked_at: AtomicU64::new(0),
            data_version: AtomicU64::new(0),
            checking: AtomicBool::new(false),
        }
    }

    /// The generation as this process's writes left it.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Whether a statement may change kept rows.
    pub(crate) fn names_kept_table(sql: &str) -> bool {
        KEPT_TABLES.iter().any(|table| sql.contains(table))
    }

    /// After a write that named a kept table committed.
    pub(crate) fn moved(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The generation now, after looking for other processes' commits. `writer` reads
    /// the writer's `data_version` if the writer is free (`None` if busy).
    pub(crate) fn current(&self, writer: impl FnOnce() -> Option<Option<u64>>) -> u64 {
        let now = self.started.elapsed().as_micros() as u64;
        let since = now.saturating_sub(self.checked_at.load(Ordering::Acquire));
        if since >= OUTSIDE_CHECK_EVERY_US && !self.checking.swap(true, Ordering::AcqRel) {
            match writer() {
                Some(version) => {
                    // Unreadable counts as changed.
                    if version.is_none_or(|v| self.data_version.swap(v, Ordering::AcqRel) != v) {
                        self.moved();
                    }
                    self.checked_at.store(now, Ordering::Release);
                }
                // The writer is busy; its own writes move the generation, but another
                // process's may have gone unseen for too long.
                None if since >= OUTSIDE_CHECK_GIVE_UP_MS * 1000 => {
                    self.moved();
                    self.checked_at.store(now, Ordering::Release);
                }
                None => {}
            }
            self.checking.store(false, Ordering::Release);
        }
        self.generation.load(Ordering::Acquire)
    }
}

pub(crate) fn data_version(connection: &Connection) -> Option<u64> {
    let mut statement = connection.prepare_cached("PRAGMA data_version").ok()?;
    statement.query_row([], |row| row.get::<_, i64>(0)).ok().map(|v| v as u64)
}

#[cfg(test)]
mod tests {
    use super::Changes;

    #[test]
    fn writes_naming_kept_tables_are_seen() {
        assert!(Changes::names_kept_table("UPDATE statuses SET favourites_count = favourites_count + 1 WHERE id = $1"));
        assert!(Changes::names_kept_table("DELETE FROM accounts WHERE id = $1"));
        assert!(!Changes::names_kept_table("INSERT INTO notifications (id, account_id, type) VALUES ($1, $2, $3)"));
    }
}
