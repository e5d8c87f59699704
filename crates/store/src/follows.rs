//! Who follows whom, and what that puts in home feeds.

use std::collections::HashSet;
use std::sync::Arc;

use domain::{Account, Id, Page, Role, UnixMillis};

use crate::accounts::{ACCOUNT_COLUMNS, account_from_row};
use crate::db::{Tx, query};
use crate::row::i64_col;
use crate::sql::Sql;
use crate::{Result, Store};

/// How many of a newly followed account's recent posts join the follower's home feed.
const BACKFILL_POSTS: i64 = 40;

/// What one account is to another, as far as follows go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Relationship {
    pub following: bool,
    pub followed_by: bool,
    /// A follow request is waiting: from this account, or to it.
    pub requested: bool,
    pub requested_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
    /// Whether the other account is on a domain this one blocks.
    pub domain_blocking: bool,
    /// The private note on the other account.
    pub note: String,
}

impl Store {
    /// Records that `account_id` follows `target_id`, counts it on both, and brings the
    /// target's recent posts into the follower's home feed. Following twice is a no-op.
    pub async fn insert_follow(&self, id: Id, account_id: Id, target_id: Id, now: UnixMillis) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let inserted = query(
            "INSERT INTO follows (id, account_id, target_account_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id.as_i64())
        .bind(account_id.as_i64())
        .bind(target_id.as_i64())
        .bind(now)
        .execute(&mut tx)
        .await?;
        let new = inserted.rows_affected() == 1;
        if new {
            adjust_follow_counts(&mut tx, account_id, target_id, 1).await?;
            query(
                "INSERT INTO home_feed (account_id, status_id, via_account_id) \
                 SELECT $1, recent.id, $2 FROM (SELECT id FROM statuses WHERE account_id = $2 \
                 AND visibility IN ('public', 'unlisted', 'private') ORDER BY id DESC LIMIT $3) AS recent \
                 WHERE true ON CONFLICT DO NOTHING",
            )
            .bind(account_id.as_i64())
            .bind(target_id.as_i64())
            .bind(BACKFILL_POSTS)
            .execute(&mut tx)
            .await?;
        }
        tx.commit().await?;
        Ok(new)
    }

    /// Ends a follow and takes the target's posts out of the follower's home feed.
    pub async fn delete_follow(&self, account_id: Id, target_id: Id) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let deleted = query("DELETE FROM follows WHERE account_id = $1 AND target_account_id = $2")
            .bind(account_id.as_i64())
            .bind(target_id.as_i64())
            .execute(&mut tx)
            .await?;
        if deleted.rows_affected() == 1 {
            adjust_follow_counts(&mut tx, account_id, target_id, -1).await?;
            query("DELETE FROM home_feed WHERE account_id = $1 AND via_account_id = $2")
                .bind(account_id.as_i64())
                .bind(target_id.as_i64())
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn is_following(&self, account_id: Id, target_id: Id) -> Result<bool> {
        Ok(self.list_relationships(account_id, &[target_id]).await?.first().is_some_and(|r| r.following))
    }

    /// The relationship of `account_id` to each of `others`, in order.
    pub async fn list_relationships(&self, account_id: Id, others: &[Id]) -> Result<Vec<Relationship>> {
        let raw: Vec<i64> = others.iter().map(|i| i.as_i64()).collect();
        let mut sql = Sql::new("SELECT target_account_id AS other FROM follows WHERE account_id = ");
        sql.int(account_id.as_i64()).push(" AND target_account_id IN ").int_list(raw.iter().copied());
        let following: HashSet<i64> =
            sql.query().fetch_all(&self.reader).await?.iter().map(|r| i64_col(r, "other")).collect::<Result<_>>()?;
        let mut sql = Sql::new("SELECT account_id AS other FROM follows WHERE target_account_id = ");
        sql.int(account_id.as_i64()).push(" AND account_id IN ").int_list(raw.iter().copied());
        let followed_by: HashSet<i64> =
            sql.query().fetch_all(&self.reader).await?.iter().map(|r| i64_col(r, "other")).collect::<Result<_>>()?;
        let (blocking, blocked_by) = self.list_block_flags(account_id, others).await?;
        Ok(others
            .iter()
            .map(|id| Relationship {
                following: following.contains(&id.as_i64()),
                followed_by: followed_by.contains(&id.as_i64()),
                blocking: blocking.contains(id),
                blocked_by: blocked_by.contains(id),
                ..Relationship::default()
            })
            .collect())
    }

    /// Local accounts following `target_id`: the home feeds a new post goes to.
    pub async fn list_local_follower_ids(&self, target_id: Id) -> Result<Vec<Id>> {
        let rows = query(
            "SELECT f.account_id AS id FROM follows f JOIN accounts a ON a.id = f.account_id \
             WHERE f.target_account_id = $1 AND a.domain = ''",
        )
        .bind(target_id.as_i64())
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(|r| Ok(Id::from_i64(i64_col(r, "id")?))).collect()
    }

    /// A page of the accounts following `account_id` (`followers`) or followed by it,
    /// paged by when the follow began; each with the follow's id for the Link header.
    pub async fn list_follow_accounts(
        &self,
        account_id: Id,
        followers: bool,
        page: &Page,
    ) -> Result<Vec<(Id, Account, Option<Role>)>> {
        let (mine, theirs) =
            if followers { ("target_account_id", "account_id") } else { ("account_id", "target_account_id") };
        let mut sql = Sql::new(&format!(
            "SELECT f.id AS row_id, u.role AS user_role, {ACCOUNT_COLUMNS} FROM follows f \
             JOIN accounts a ON a.id = f.{theirs} LEFT JOIN users u ON u.account_id = a.id WHERE f.{mine} = "
        ));
        sql.int(account_id.as_i64());
        let ascending = sql.page("f.id", page);
        self.fetch_account_page(&sql, ascending).await
    }

    /// Runs a query selecting `row_id`, `user_role` and the account columns; returns
    /// the rows newest first.
    pub(crate) async fn fetch_account_page(
        &self,
        sql: &Sql,
        ascending: bool,
    ) -> Result<Vec<(Id, Account, Option<Role>)>> {
        let rows = self.fetch_account_page_with(sql, ascending, |_| Ok(())).await?;
        Ok(rows.into_iter().map(|(id, account, role, ())| (id, account, role)).collect())
    }

    /// [`Self::fetch_account_page`] with one more value read from each row by `extra`.
    pub(crate) async fn fetch_account_page_with<T>(
        &self,
        sql: &Sql,
        ascending: bool,
        extra: impl Fn(&crate::db::Row) -> Result<T>,
    ) -> Result<Vec<(Id, Account, Option<Role>, T)>> {
        let mut rows = sql
            .query()
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(|r| {
                let role = r.try_get::<Option<String>, _>("user_role")?.and_then(|s| s.parse().ok());
                Ok((Id::from_i64(i64_col(r, "row_id")?), account_from_row(r)?, role, extra(r)?))
            })
            .collect::<Result<Vec<_>>>()?;
        if ascending {
            rows.reverse();
        }
        Ok(rows)
    }

    /// Accounts that `viewer` follows and that follow `target_id` (at most 40).
    pub async fn list_familiar_followers(
        &self,
        viewer: Id,
        target_id: Id,
    ) -> Result<Vec<Arc<(Account, Option<Role>)>>> {
        let rows = query(
            "SELECT f2.account_id AS id FROM follows f1 JOIN follows f2 ON f2.account_id = f1.target_account_id \
             WHERE f1.account_id = $1 AND f2.target_account_id = $2 ORDER BY f2.id DESC LIMIT 40",
        )
        .bind(viewer.as_i64())
        .bind(target_id.as_i64())
        .fetch_all(&self.reader)
        .await?;
        let ids: Vec<Id> = rows.iter().map(|r| Ok(Id::from_i64(i64_col(r, "id")?))).collect::<Result<_>>()?;
        self.list_accounts(&ids).await
    }

    /// Accounts by id, with the role of those that are local users.
    pub async fn list_accounts(&self, ids: &[Id]) -> Result<Vec<Arc<(Account, Option<Role>)>>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let Some(generation) = self.row_generation() else {
            // In the order of `ids`, as from kept rows.
            let mut found: domain::IdMap<_> =
                self.load_accounts(ids).await?.into_iter().map(|a| (a.0.id, Arc::new(a))).collect();
            return Ok(ids.iter().filter_map(|id| found.remove(id)).collect());
        };
        let (mut found, missing) = self.rows.accounts(generation, ids);
        if !missing.is_empty() {
            let loaded: Vec<_> = self.load_accounts(&missing).await?.into_iter().map(Arc::new).collect();
            self.rows.keep_accounts(generation, &loaded);
            found.extend(loaded.into_iter().map(|a| (a.0.id, a)));
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    async fn load_accounts(&self, ids: &[Id]) -> Result<Vec<(Account, Option<Role>)>> {
        let mut sql = Sql::new(&format!(
            "SELECT u.role AS user_role, {ACCOUNT_COLUMNS} FROM accounts a LEFT JOIN users u ON u.account_id = a.id \
             WHERE a.id IN "
        ));
        sql.int_list(ids.iter().map(|i| i.as_i64()));
        let rows = sql.query().fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| {
                let role = r.try_get::<Option<String>, _>("user_role")?.and_then(|s| s.parse().ok());
                Ok((account_from_row(r)?, role))
            })
            .collect()
    }
}

async fn adjust_follow_counts(tx: &mut Tx, account_id: Id, target_id: Id, delta: i64) -> Result<()> {
    query("UPDATE accounts SET following_count = following_count + $1 WHERE id = $2 AND following_count + $1 >= 0")
        .bind(delta)
        .bind(account_id.as_i64())
        .execute(&mut *tx)
        .await?;
    query("UPDATE accounts SET followers_count = followers_count + $1 WHERE id = $2 AND followers_count + $1 >= 0")
        .bind(delta)
        .bind(target_id.as_i64())
        .execute(&mut *tx)
        .await?;
    Ok(())
}
