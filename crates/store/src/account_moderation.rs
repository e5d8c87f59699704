//! Moderators' marks on accounts, and the lists moderators read.

use domain::{Account, AccountModeration, Id, LocalUser, Page};

use crate::accounts::{ACCOUNT_COLUMNS, USER_COLUMNS, account_and_user_from_row, account_from_row};
use crate::row::{i64_col, opt_i64_col};
use crate::sql::Sql;
use crate::{Result, Store};

/// Which accounts a moderator lists.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    /// Only local accounts (`Some(true)`) or only remote ones (`Some(false)`).
    pub local: Option<bool>,
    pub suspended: bool,
    pub silenced: bool,
    /// Local sign-ups waiting for approval.
    pub pending: bool,
    /// Usernames starting with this.
    pub username: Option<String>,
}

impl Store {
    pub async fn update_account_moderation(&self, id: Id, m: &AccountModeration) -> Result<bool> {
        let done = crate::db::query(
            "UPDATE accounts SET suspended_at = $1, silenced_at = $2, sensitized_at = $3, disabled_at = $4 WHERE id = $5",
        )
        .bind(m.suspended_at)
        .bind(m.silenced_at)
        .bind(m.sensitized_at)
        .bind(m.disabled_at)
        .bind(id.as_i64())
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Of `ids`, the accounts moderators suspended or silenced, with their marks.
    pub async fn list_restricted_accounts(&self, ids: &[Id]) -> Result<domain::IdMap<AccountModeration>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        // Where accounts are kept in memory, they are there already (or soon needed).
        if let Some(generation) = self.row_generation() {
            let (mut marks, missing) = self.rows.moderation(generation, ids);
            if !missing.is_empty() {
                marks.extend(self.list_accounts(&missing).await?.iter().map(|row| (row.0.id, row.0.moderation)));
            }
            marks.retain(|_, m| m.suspended_at.is_some() || m.silenced_at.is_some());
            return Ok(marks);
        }
        let mut sql = Sql::new(
            "SELECT id, suspended_at, silenced_at, sensitized_at, disabled_at FROM accounts \
             WHERE (suspended_at IS NOT NULL OR silenced_at IS NOT NULL) AND id IN ",
        );
        sql.int_list(ids.iter().map(|i| i.as_i64()));
        let rows = sql.query().fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| {
                let marks = AccountModeration {
                    suspended_at: opt_i64_col(r, "suspended_at")?,
                    silenced_at: opt_i64_col(r, "silenced_at")?,
                    sensitized_at: opt_i64_col(r, "sensitized_at")?,
                    disabled_at: opt_i64_col(r, "disabled_at")?,
                };
                Ok((Id::from_i64(i64_col(r, "id")?), marks))
            })
            .collect()
    }

    /// A page of accounts for moderators, newest first, each with its user when local.
    pub async fn list_admin_accounts(
        &self,
        filter: &AccountFilter,
        page: &Page,
    ) -> Result<Vec<(Account, Option<LocalUser>)>> {
        let mut sql = Sql::new(&format!(
            "SELECT {ACCOUNT_COLUMNS}, {USER_COLUMNS} FROM accounts a LEFT JOIN users u ON u.account_id = a.id WHERE 1 = 1"
        ));
        match filter.local {
            Some(true) => sql.push(" AND a.domain = ''"),
            Some(false) => sql.push(" AND a.domain <> ''"),
            None => &mut sql,
        };
        if filter.suspended {
            sql.push(" AND a.suspended_at IS NOT NULL");
        }
        if filter.silenced {
            sql.push(" AND a.silenced_at IS NOT NULL");
        }
        if filter.pending {
            sql.push(" AND u.approved = 0");
        }
        if let Some(prefix) = filter.username.as_deref().filter(|p| !p.is_empty()) {
            let escaped = prefix.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            sql.push(" AND lower(a.username) LIKE ").text(&format!("{escaped}%")).push(" ESCAPE '\\'");
        }
        let ascending = sql.page("a.id", page);
        let rows = sql.query().fetch_all(&self.reader).await?;
        let mut found = rows
            .iter()
            .map(|r| match r.try_get::<Option<i64>, _>("user_id")? {
                Some(_) => account_and_user_from_row(r).map(|(a, u)| (a, Some(u))),
                None => account_from_row(r).map(|a| (a, None)),
            })
            .collect::<Result<Vec<_>>>()?;
        if ascending {
            found.reverse();
        }
        Ok(found)
    }
}

impl Store {
    /// Every follow and follow request to or from `account_id`: (follower, followed).
    pub async fn list_follow_pairs_of(&self, account_id: Id) -> Result<Vec<(Id, Id)>> {
        let rows = crate::db::query(
            "SELECT account_id, target_account_id FROM follows WHERE account_id = $1 OR target_account_id = $1 \
             UNION SELECT account_id, target_account_id FROM follow_requests WHERE account_id = $1 OR target_account_id = $1",
        )
        .bind(account_id.as_i64())
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| Ok((Id::from_i64(i64_col(r, "account_id")?), Id::from_i64(i64_col(r, "target_account_id")?))))
            .collect()
    }
}
