//! Persistence for Rookery on SQLite or PostgreSQL through one implementation.
//!
//! Every query is written once in portable SQL with `$N` placeholders and basic column
//! types (BIGINT, TEXT); the few places where the databases differ live in [`dialect`].
//! One module per aggregate; methods use the verbs `get_` (must exist), `find_` (may not),
//! `list_`, `count_`, `insert_`, `update_` and `delete_`.

mod account_moderation;
mod accounts;
mod actors;
mod authorizations;
mod blocks;
mod connect;
mod conversations;
mod db;
mod dialect;
mod domain_blocks;
mod edits;
mod email_domain_blocks;
mod error;
mod feed_window;
mod filters;
mod follows;
mod group_commit;
mod inbox_batch;
mod interactions;
mod invites;
mod media;
mod media_cache;
mod migrate;
mod mutes;
mod notifications;
mod oauth;
mod profiles;
mod queues;
mod reports;
mod row;
mod row_cache;
mod server_rules;
mod sql;
mod stats;
mod statuses;
#[cfg(test)]
mod test_support;
mod timelines;
mod viewer_marks;

pub use account_moderation::AccountFilter;
pub use accounts::{TAKEN_EMAIL, TAKEN_USERNAME};
pub use actors::{ActorEndpoints, RemoteActor};
pub use authorizations::WebSession;
pub use connect::{ConnectOptions, redact};
pub use conversations::ConversationRow;
pub use dialect::Dialect;
pub use edits::StatusVersion;
pub use error::StoreError;
pub use filters::{Filter, FilterKeyword, FilterStatus};
pub use follows::Relationship;
pub use interactions::{MarkTable, ViewerFlags};
pub use invites::Invite;
pub use media_cache::{CachedFiles, MediaUsage};
pub use migrate::MIGRATIONS;
pub use mutes::Muted;
pub use notifications::{Marker, Notification, NotificationFilter};
pub use oauth::{AuthorizationCode, TokenCaller};
pub use profiles::ProfileUpdate;
pub use queues::{Delivery, HostHealth, InboxJob};
pub use reports::{Report, ReportFilter};
pub use server_rules::{LoggedAction, ServerRule};
pub use stats::InstanceCounts;
pub use statuses::ALREADY_BOOSTED;
pub use timelines::{AccountStatusesFilter, PublicScope};

use db::{Pool, Tx, query};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A handle on the database: cheap to clone, shared by every request.
///
/// On SQLite, writes go through a pool of exactly one connection (SQLite allows one
/// writer at a time; queueing in the pool beats spinning on `SQLITE_BUSY`) while reads use
/// a separate pool. On PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Store {
    writer: Pool,
    reader: Pool,
    dialect: Dialect,
    group_commits: std::sync::Arc<group_commit::GroupCommits>,
    rows: std::sync::Arc<row_cache::RowCache>,
}

impl Store {
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// What `load` gives for `id`, kept in `map` of the row cache where rows are kept.
    pub(crate) async fn kept_or_load<T: Clone, Fut: std::future::Future<Output = Result<T>>>(
        &self,
        map: fn(&row_cache::RowCache) -> &row_cache::Kept<T>,
        id: domain::Id,
        load: impl FnOnce() -> Fut,
    ) -> Result<T> {
        let Some(generation) = self.row_generation() else { return load().await };
        if let Some(value) = row_cache::kept(map(&self.rows), generation, id) {
            return Ok(value);
        }
        let value = load().await?;
        row_cache::keep_one(map(&self.rows), generation, id, value.clone());
        Ok(value)
    }

    /// What `load` finds under `name` (a secret's digest), kept in `map` of the row cache
    /// where rows are kept. Only what is found is kept: names come from outside, and
    /// keeping misses would let made-up ones crowd out the rest.
    pub(crate) async fn kept_or_load_named<T: Clone, Fut: std::future::Future<Output = Result<Option<T>>>>(
        &self,
        map: fn(&row_cache::RowCache) -> &row_cache::KeptByName<T>,
        name: &str,
        load: impl FnOnce() -> Fut,
    ) -> Result<Option<T>> {
        let Some(generation) = self.row_generation() else { return load().await };
        if let Some(value) = row_cache::kept_named(map(&self.rows), generation, name) {
            return Ok(Some(value));
        }
        let value = load().await?;
        if let Some(value) = &value {
            row_cache::keep_named(map(&self.rows), generation, name, value.clone());
        }
        Ok(value)
    }

    /// The rows `sql` gives for `account_id` (bound as `$1`), unless there are more than
    /// [`sql::SMALL_SET`]: an account's set read whole where it is small.
    pub(crate) async fn fetch_few(&self, sql: &str, account_id: domain::Id) -> Result<Option<Vec<db::Row>>> {
        let rows = db::query(&format!("{sql} LIMIT {}", sql::SMALL_SET + 1))
            .bind(account_id.as_i64())
            .fetch_all(&self.reader)
            .await?;
        Ok((rows.len() <= sql::SMALL_SET).then_some(rows))
    }

    /// The generation kept rows must have been loaded at to be current; `None` where
    /// rows are not kept (PostgreSQL). See [`row_cache`].
    pub(crate) fn row_generation(&self) -> Option<u64> {
        match &self.writer {
            db::Pool::SqliteWrite(writer) => Some(writer.generation()),
            db::Pool::Postgres(_, Some(feed)) => feed.generation(),
            _ => None,
        }
    }

    /// Closes every connection; waits for checked-out ones to come back.
    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }

    /// Checks that the database answers. Uses a reader: on SQLite the one writer may be
    /// busy with a long write, which is no sign of ill health.
    pub async fn ping(&self) -> Result<()> {
        query("SELECT 1 AS one").fetch_one(&self.reader).await?;
        Ok(())
    }

    /// Starts a write transaction that holds the write lock from its first statement.
    async fn begin_write(&self) -> Result<Tx> {
        self.writer.begin(self.dialect.begin_write_sql()).await
    }
}
