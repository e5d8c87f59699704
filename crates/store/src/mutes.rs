//! What each account chose not to see: muted accounts and blocked domains.

use domain::{Account, Id, Page, Role, UnixMillis};

use crate::accounts::ACCOUNT_COLUMNS;
use crate::db::query;
use crate::row::{i64_col, opt_i64_col, text_col};
use crate::sql::Sql;
use crate::{Result, Store};

/// One of an account's mutes, or a domain it blocked, as stored.
#[derive(Debug, Clone)]
pub(crate) enum MuteRow {
    Account { target: Id, notifications: bool, expires_at: Option<UnixMillis> },
    Domain(String),
}

/// Everything an account has muted or blocked by domain, as reading needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Muted {
    pub accounts: domain::IdSet,
    /// Of `accounts`, those whose notifications are muted too.
    pub notifications: domain::IdSet,
    pub domains: Vec<String>,
}

impl Store {
    /// Mutes `target_id` for `account_id`, or changes an existing mute's settings.
    pub async fn upsert_mute(
        &self,
        id: Id,
        (account_id, target_id): (Id, Id),
        notifications: bool,
        expires_at: Option<UnixMillis>,
        now: UnixMillis,
    ) -> Result<()> {
        query(
            "INSERT INTO mutes (id, account_id, target_account_id, notifications, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, target_account_id) \
             DO UPDATE SET notifications = excluded.notifications, expires_at = excluded.expires_at",
        )
        .bind(id.as_i64())
        .bind(account_id.as_i64())
        .bind(target_id.as_i64())
        .bind(i64::from(notifications))
        .bind(expires_at)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn delete_mute(&self, account_id: Id, target_id: Id) -> Result<bool> {
        let done = query("DELETE FROM mutes WHERE account_id = $1 AND target_account_id = $2")
            .bind(account_id.as_i64())
            .bind(target_id.as_i64())
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// What `account_id` mutes (mutes that have not run out at `now`) and the domains
    /// it blocks, in one query.
    pub async fn find_muted(&self, account_id: Id, now: UnixMillis) -> Result<Muted> {
        let rows = self.kept_or_load(|rows| &rows.mutes, account_id, || self.load_mutes(account_id)).await?;
        let mut muted = Muted::default();
        for row in rows {
            match row {
                MuteRow::Account { target, notifications, expires_at } => {
                    if expires_at.is_some_and(|at| at <= now) {
                        continue;
                    }
                    muted.accounts.insert(target);
                    if notifications {
                        muted.notifications.insert(target);
                    }
                }
                MuteRow::Domain(domain) => muted.domains.push(domain),
            }
        }
        Ok(muted)
    }

    /// Every mute of the account, expired or not, and its blocked domains.
    async fn load_mutes(&self, account_id: Id) -> Result<Vec<MuteRow>> {
        let rows = query(
            "SELECT target_account_id AS target, notifications, expires_at, '' AS domain FROM mutes \
             WHERE account_id = $1 \
             UNION ALL SELECT NULL AS target, 0 AS notifications, NULL AS expires_at, domain \
             FROM account_domain_blocks WHERE account_id = $1",
        )
        .bind(account_id.as_i64())
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(match opt_i64_col(row, "target")? {
                    Some(target) => MuteRow::Account {
                        target: Id::from_i64(target),
                        notifications: i64_col(row, "notifications")? != 0,
                        expires_at: opt_i64_col(row, "expires_at")?,
                    },
                    None => MuteRow::Domain(text_col(row, "domain")?),
                })
            })
            .collect()
    }

    /// A page of the accounts `account_id` mutes (still in force at `now`), most recent first.
    pub async fn list_muted_accounts(
        &self,
        account_id: Id,
        now: UnixMillis,
        page: &Page,
    ) -> Result<Vec<(Id, Account, Option<Role>, Option<UnixMillis>)>> {
        let mut sql = Sql::new(&format!(
            "SELECT m.id AS row_id, m.expires_at AS mute_expires_at, u.role AS user_role, {ACCOUNT_COLUMNS} \
             FROM mutes m \
             JOIN accounts a ON a.id = m.target_account_id LEFT JOIN users u ON u.account_id = a.id \
             WHERE (m.expires_at IS NULL OR m.expires_at > "
        ));
        sql.int(now).push(") AND m.account_id = ").int(account_id.as_i64());
        let ascending = sql.page("m.id", page);
        self.fetch_account_page_with(&sql, ascending, |r| opt_i64_col(r, "mute_expires_at")).await
    }

    /// Blocks `domain` for `account_id`; false when it was blocked already.
    pub async fn insert_account_domain_block(
        &self,
        id: Id,
        account_id: Id,
        domain: &str,
        now: UnixMillis,
    ) -> Result<bool> {
        let done = query(
            "INSERT INTO account_domain_blocks (id, account_id, domain, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id.as_i64())
        .bind(account_id.as_i64())
        .bind(domain)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn delete_account_domain_block(&self, account_id: Id, domain: &str) -> Result<bool> {
        let done = query("DELETE FROM account_domain_blocks WHERE account_id = $1 AND domain = $2")
            .bind(account_id.as_i64())
            .bind(domain)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A page of the domains `account_id` blocks, with each block's id, most recent first.
    pub async fn list_account_domain_blocks(&self, account_id: Id, page: &Page) -> Result<Vec<(Id, String)>> {
        let mut sql = Sql::new("SELECT id, domain FROM account_domain_blocks WHERE account_id = ");
        sql.int(account_id.as_i64());
        let ascending = sql.page("id", page);
        let mut rows: Vec<(Id, String)> = sql
            .query()
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(|r| Ok((Id::from_i64(i64_col(r, "id")?), text_col(r, "domain")?)))
            .collect::<Result<_>>()?;
        if ascending {
            rows.reverse();
        }
        Ok(rows)
    }

    /// Drops `account_id`'s notifications caused by accounts on `domain`.
    pub async fn delete_notifications_from_domain_for(&self, account_id: Id, domain: &str) -> Result<()> {
        let mut sql = Sql::new("DELETE FROM notifications WHERE account_id = ");
        sql.int(account_id.as_i64()).push(" AND from_account_id IN (SELECT id FROM accounts WHERE ");
        crate::domain_blocks::on_domain(&mut sql, "domain", domain);
        sql.push(")");
        sql.query().execute(&self.writer).await?;
        Ok(())
    }

    /// Of accounts on `domain`, those `account_id` follows and those following it.
    pub async fn list_follows_with_domain(&self, account_id: Id, domain: &str) -> Result<(Vec<Id>, Vec<Id>)> {
        let mut lists = Vec::with_capacity(2);
        for (mine, theirs) in [("account_id", "target_account_id"), ("target_account_id", "account_id")] {
            let mut sql = Sql::new(&format!(
                "SELECT f.{theirs} AS other FROM follows f JOIN accounts a ON a.id = f.{theirs} WHERE f.{mine} = "
            ));
            sql.int(account_id.as_i64()).push(" AND ");
            crate::domain_blocks::on_domain(&mut sql, "a.domain", domain);
            let rows = sql.query().fetch_all(&self.reader).await?;
            lists.push(rows.iter().map(|r| Ok(Id::from_i64(i64_col(r, "other")?))).collect::<Result<Vec<_>>>()?);
        }
        let followers = lists.pop().unwrap_or_default();
        Ok((lists.pop().unwrap_or_default(), followers))
    }
}
