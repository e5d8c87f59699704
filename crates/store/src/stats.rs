//! Counts across aggregates, for the instance document and NodeInfo.

use domain::UnixMillis;

use crate::db::query;
use crate::{Result, Store};

/// What the instance reports about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InstanceCounts {
    pub local_users: i64,
    /// Local users seen since the `active_since` given.
    pub active_local_users: i64,
    pub local_statuses: i64,
    /// Other servers we know an account on.
    pub known_domains: i64,
}

impl Store {
    pub async fn count_instance(&self, active_since: UnixMillis) -> Result<InstanceCounts> {
        // Casts: PostgreSQL sums BIGINTs as NUMERIC, which is not a portable type.
        let row = query(
            "SELECT \
             (SELECT COUNT(*) FROM users) AS local_users, \
             (SELECT COUNT(*) FROM users WHERE last_active_at >= $1) AS active_local_users, \
             (SELECT CAST(COALESCE(SUM(statuses_count), 0) AS BIGINT) FROM accounts WHERE domain = '') AS local_statuses, \
             (SELECT COUNT(DISTINCT domain) FROM accounts WHERE domain <> '') AS known_domains",
        )
        .bind(active_since)
        .fetch_one(&self.reader)
        .await?;
        Ok(InstanceCounts {
            local_users: row.try_get("local_users")?,
            active_local_users: row.try_get("active_local_users")?,
            local_statuses: row.try_get("local_statuses")?,
            known_domains: row.try_get("known_domains")?,
        })
    }

    /// Local users seen since `since`, for a second activity window (NodeInfo's half year).
    pub async fn count_active_local_users(&self, since: UnixMillis) -> Result<i64> {
        let row = query("SELECT COUNT(*) AS active FROM users WHERE last_active_at >= $1")
            .bind(since)
            .fetch_one(&self.reader)
            .await?;
        row.try_get("active")
    }
}
