//! The two durable queues of federation: activities received and waiting to be
//! processed, and activities waiting to be delivered, with each host's health.
//!
//! Jobs are claimed by a lease (`locked_until`), so several workers or nodes never take
//! the same job at once and a job whose worker died is taken again when the lease ends.

use domain::{Id, UnixMillis};

use crate::db::query;
use crate::row::{i64_col, text_col};
use crate::sql::Sql;
use crate::{Result, Store};

/// A received activity to process.
#[derive(Debug, Clone)]
pub struct InboxJob {
    pub id: Id,
    pub actor_uri: String,
    pub body: String,
    pub attempts: i64,
}

/// An activity to deliver to one inbox, signed by a local account.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: Id,
    pub inbox_url: String,
    pub host: String,
    pub signer_account_id: Id,
    /// Signed by the instance actor rather than the account (forwarded reports).
    pub by_instance_actor: bool,
    pub body: String,
    pub attempts: i64,
}

/// What the queue knows of a host it delivers to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HostHealth {
    pub consecutive_failures: i64,
    pub paused_until: UnixMillis,
    pub failure_days: i64,
    pub last_failure_day: i64,
    pub unavailable: bool,
}

impl Store {
    /// Takes up to `limit` due received activities, oldest first, for `lease` ms.
    pub async fn claim_inbox_activities(&self, now: UnixMillis, lease: i64, limit: u32) -> Result<Vec<InboxJob>> {
        let sql = format!(
            "UPDATE inbox_activities SET locked_until = $2, attempts = attempts + 1 \
             WHERE done_at IS NULL AND next_attempt_at <= $1 AND locked_until < $1 AND id IN \
             (SELECT id FROM inbox_activities WHERE done_at IS NULL AND next_attempt_at <= $1 \
             AND locked_until < $1 ORDER BY next_attempt_at, id LIMIT {limit}) \
             RETURNING id, actor_uri, body, attempts"
        );
        let rows = query(&sql).bind(now).bind(now + lease).fetch_all(&self.writer).await?;
        rows.iter()
            .map(|r| {
                Ok(InboxJob {
                    id: Id::from_i64(i64_col(r, "id")?),
                    actor_uri: text_col(r, "actor_uri")?,
                    body: text_col(r, "body")?,
                    attempts: i64_col(r, "attempts")?,
                })
            })
            .collect()
    }

    /// Marks received activities processed, in one write.
    pub async fn update_inbox_activities_done(&self, ids: &[Id], now: UnixMillis) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut sql = Sql::new("UPDATE inbox_activities SET body = '', last_error = NULL, done_at = ");
        sql.int(now).push(" WHERE id IN ").int_list(ids.iter().map(|id| id.as_i64()));
        sql.query().execute(&self.writer).await?;
        Ok(())
    }

    /// Marks a received activity processed (or given up, with why).
    pub async fn update_inbox_activity_done(&self, id: Id, now: UnixMillis, error: Option<&str>) -> Result<()> {
        query("UPDATE inbox_activities SET done_at = $2, last_error = $3, body = '' WHERE id = $1")
            .bind(id.as_i64())
            .bind(now)
            .bind(error)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Forgets received activities processed before `before`; returns how many.
    pub async fn delete_done_inbox_activities(&self, before: UnixMillis) -> Result<u64> {
        let done = query("DELETE FROM inbox_activities WHERE done_at IS NOT NULL AND done_at < $1")
            .bind(before)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }

    /// Puts a received activity back in the queue, to try again at `next_attempt_at`.
    pub async fn update_inbox_activity_retry(&self, id: Id, next_attempt_at: UnixMillis, error: &str) -> Result<()> {
        self.release_for_retry("inbox_activities", id, next_attempt_at, error).await
    }

    /// Gives a claimed job back to its queue, due again at `next_attempt_at`.
    async fn release_for_retry(&self, table: &str, id: Id, next_attempt_at: UnixMillis, error: &str) -> Result<()> {
        let sql = format!("UPDATE {table} SET next_attempt_at = $2, locked_until = 0, last_error = $3 WHERE id = $1");
        query(&sql).bind(id.as_i64()).bind(next_attempt_at).bind(error).execute(&self.writer).await?;
        Ok(())
    }

    /// Queues one activity for each inbox, all in one transaction.
    pub async fn insert_deliveries(&self, jobs: &[Delivery], now: UnixMillis) -> Result<()> {
        if jobs.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for job in jobs {
            query(
                "INSERT INTO deliveries (id, inbox_url, host, signer_account_id, body, next_attempt_at, created_at, \
                 by_instance_actor) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
            )
            .bind(job.id.as_i64())
            .bind(&job.inbox_url)
            .bind(&job.host)
            .bind(job.signer_account_id.as_i64())
            .bind(&job.body)
            .bind(now)
            .bind(i64::from(job.by_instance_actor))
            .execute(&mut tx)
            .await?;
        }
        tx.commit().await
    }

    /// Takes up to `limit` due deliveries for `lease` ms, those due first first, so a
    /// retry waiting for its time never holds up a fresh delivery.
    pub async fn claim_deliveries(&self, now: UnixMillis, lease: i64, limit: u32) -> Result<Vec<Delivery>> {
        let sql = format!(
            "UPDATE deliveries SET locked_until = $2, attempts = attempts + 1 \
             WHERE next_attempt_at <= $1 AND locked_until < $1 AND id IN \
             (SELECT id FROM deliveries WHERE next_attempt_at <= $1 AND locked_until < $1 \
             ORDER BY next_attempt_at, id LIMIT {limit}) \
             RETURNING id, inbox_url, host, signer_account_id, by_instance_actor, body, attempts"
        );
        let rows = query(&sql).bind(now).bind(now + lease).fetch_all(&self.writer).await?;
        rows.iter()
            .map(|r| {
                Ok(Delivery {
                    id: Id::from_i64(i64_col(r, "id")?),
                    inbox_url: text_col(r, "inbox_url")?,
                    host: text_col(r, "host")?,
                    signer_account_id: Id::from_i64(i64_col(r, "signer_account_id")?),
                    by_instance_actor: i64_col(r, "by_instance_actor")? != 0,
                    body: text_col(r, "body")?,
                    attempts: i64_col(r, "attempts")?,
                })
            })
            .collect()
    }

    /// Deliveries that are done, in one write.
    pub async fn delete_deliveries(&self, ids: &[Id]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut sql = Sql::new("DELETE FROM deliveries WHERE id IN ");
        sql.int_list(ids.iter().map(|id| id.as_i64()));
        sql.query().execute(&self.writer).await?;
        Ok(())
    }

    /// A delivery is done (delivered, or given up).
    pub async fn delete_delivery(&self, id: Id) -> Result<()> {
        query("DELETE FROM deliveries WHERE id = $1").bind(id.as_i64()).execute(&self.writer).await?;
        Ok(())
    }

    /// Puts a delivery back in the queue, to try again at `next_attempt_at`.
    pub async fn update_delivery_retry(&self, id: Id, next_attempt_at: UnixMillis, error: &str) -> Result<()> {
        self.release_for_retry("deliveries", id, next_attempt_at, error).await
    }

    /// Moves every waiting delivery to `host` no earlier than `until` (its breaker is open).
    pub async fn update_host_deliveries_after(&self, host: &str, until: UnixMillis) -> Result<()> {
        query(
            "UPDATE deliveries SET next_attempt_at = $2 WHERE host = $1 AND next_attempt_at < $2 AND locked_until < $2",
        )
        .bind(host)
        .bind(until)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Makes every delivery waiting for `host` due now: it has been heard from.
    pub async fn update_host_deliveries_due(&self, host: &str, now: UnixMillis) -> Result<u64> {
        let done = query(
            "UPDATE deliveries SET next_attempt_at = $2 WHERE host = $1 AND next_attempt_at > $2 AND locked_until < $2",
        )
        .bind(host)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }

    pub async fn count_deliveries(&self) -> Result<i64> {
        let row = query("SELECT COUNT(*) AS n FROM deliveries").fetch_one(&self.reader).await?;
        i64_col(&row, "n")
    }

    pub async fn find_host_health(&self, host: &str) -> Result<HostHealth> {
        Ok(self.list_host_health(&[host.to_owned()]).await?.remove(host).unwrap_or_default())
    }

    /// The health of each of `hosts` that has a record; the others are healthy.
    pub async fn list_host_health(&self, hosts: &[String]) -> Result<std::collections::HashMap<String, HostHealth>> {
        let mut sql = Sql::new(
            "SELECT host, consecutive_failures, paused_until, failure_days, last_failure_day, unavailable \
             FROM delivery_hosts WHERE host IN (",
        );
        for (i, host) in hosts.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.text(host);
        }
        if hosts.is_empty() {
            sql.push("NULL");
        }
        sql.push(")");
        let rows = sql.query().fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| {
                let health = HostHealth {
                    consecutive_failures: i64_col(r, "consecutive_failures")?,
                    paused_until: i64_col(r, "paused_until")?,
                    failure_days: i64_col(r, "failure_days")?,
                    last_failure_day: i64_col(r, "last_failure_day")?,
                    unavailable: i64_col(r, "unavailable")? != 0,
                };
                Ok((text_col(r, "host")?, health))
            })
            .collect()
    }

    /// Hosts that get no deliveries until they are heard from again.
    pub async fn list_unavailable_hosts(&self) -> Result<Vec<String>> {
        let rows = query("SELECT host FROM delivery_hosts WHERE unavailable = 1").fetch_all(&self.reader).await?;
        rows.iter().map(|r| text_col(r, "host")).collect()
    }

    pub async fn upsert_host_health(&self, host: &str, h: &HostHealth) -> Result<()> {
        query(
            "INSERT INTO delivery_hosts (host, consecutive_failures, paused_until, failure_days, last_failure_day, \
             unavailable) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (host) DO UPDATE SET \
             consecutive_failures = excluded.consecutive_failures, paused_until = excluded.paused_until, \
             failure_days = excluded.failure_days, last_failure_day = excluded.last_failure_day, \
             unavailable = excluded.unavailable",
        )
        .bind(host)
        .bind(h.consecutive_failures)
        .bind(h.paused_until)
        .bind(h.failure_days)
        .bind(h.last_failure_day)
        .bind(i64::from(h.unavailable))
        .execute(&self.writer)
        .await?;
        Ok(())
    }
}
