//! Blocks between accounts: who blocks whom, with the Block activity's id.

use domain::{Account, Id, Page, Role, UnixMillis};

use crate::accounts::ACCOUNT_COLUMNS;
use crate::db::query;
use crate::row::{i64_col, text_col};
use crate::sql::Sql;
use crate::{Result, Store};

impl Store {
    /// Records that `account_id` blocks `target_id`; blocking twice is a no-op (false).
    pub async fn insert_block(
        &self,
        id: Id,
        account_id: Id,
        target_id: Id,
        uri: &str,
        now: UnixMillis,
    ) -> Result<bool> {
        let inserted = query(
            "INSERT INTO blocks (id, account_id, target_account_id, uri, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id.as_i64())
        .bind(account_id.as_i64())
        .bind(target_id.as_i64())
        .bind(uri)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    /// Ends a block; returns its activity id, or `None` when there was none.
    pub async fn delete_block(&self, account_id: Id, target_id: Id) -> Result<Option<String>> {
        let row = query("DELETE FROM blocks WHERE account_id = $1 AND target_account_id = $2 RETURNING uri")
            .bind(account_id.as_i64())
            .bind(target_id.as_i64())
            .fetch_optional(&self.writer)
            .await?;
        row.map(|r| text_col(&r, "uri")).transpose()
    }

    /// Ends `account_id`'s block whose activity id is `uri`; whether there was one.
    pub async fn delete_block_by_uri(&self, account_id: Id, uri: &str) -> Result<bool> {
        let done = query("DELETE FROM blocks WHERE account_id = $1 AND uri = $2")
            .bind(account_id.as_i64())
            .bind(uri)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether either account blocks the other.
    pub async fn is_blocked_either_way(&self, a: Id, b: Id) -> Result<bool> {
        let row = query(
            "SELECT COUNT(*) AS n FROM blocks WHERE (account_id = $1 AND target_account_id = $2) \
             OR (account_id = $2 AND target_account_id = $1)",
        )
        .bind(a.as_i64())
        .bind(b.as_i64())
        .fetch_one(&self.reader)
        .await?;
        Ok(i64_col(&row, "n")? > 0)
    }

    /// Of `others`, those `account_id` blocks and those that block it.
    pub async fn list_block_flags(&self, account_id: Id, others: &[Id]) -> Result<(domain::IdSet, domain::IdSet)> {
        // An account's blocks, both ways, are usually few: read whole and sifted, they
        // cost one range of each index instead of a search for each of `others`.
        if others.len() >= crate::sql::FEW_LOOKUPS
            && let Some(all) =
                self.kept_or_load(|rows| &rows.blocks, account_id, || self.load_all_blocks(account_id)).await?
        {
            let wanted: domain::IdSet = others.iter().copied().collect();
            let (mut blocking, mut blocked_by) = (domain::IdSet::default(), domain::IdSet::default());
            for (is_blocking, id) in all.into_iter().filter(|(_, id)| wanted.contains(id)) {
                if is_blocking {
                    blocking.insert(id)
                } else {
                    blocked_by.insert(id)
                };
            }
            return Ok((blocking, blocked_by));
        }
        let raw: Vec<i64> = others.iter().map(|i| i.as_i64()).collect();
        let mut blocking = Sql::new("SELECT target_account_id AS id FROM blocks WHERE account_id = ");
        blocking.int(account_id.as_i64()).push(" AND target_account_id IN ").int_list(raw.iter().copied());
        let mut blocked_by = Sql::new("SELECT account_id AS id FROM blocks WHERE target_account_id = ");
        blocked_by.int(account_id.as_i64()).push(" AND account_id IN ").int_list(raw.iter().copied());
        let mut sets = Vec::with_capacity(2);
        for sql in [blocking, blocked_by] {
            let rows = sql.query().fetch_all(&self.reader).await?;
            sets.push(rows.iter().map(|r| Ok(Id::from_i64(i64_col(r, "id")?))).collect::<Result<domain::IdSet>>()?);
        }
        let blocked_by = sets.pop().unwrap_or_default();
        Ok((sets.pop().unwrap_or_default(), blocked_by))
    }

    /// Every block of `account_id` both ways (`true`: it blocks the other), unless there
    /// are more than [`crate::sql::SMALL_SET`].
    async fn load_all_blocks(&self, account_id: Id) -> Result<Option<Vec<(bool, Id)>>> {
        let sql = "SELECT 1 AS blocking, target_account_id AS id FROM blocks WHERE account_id = $1 \
                   UNION ALL SELECT 0, account_id FROM blocks WHERE target_account_id = $1";
        let Some(rows) = self.fetch_few(sql, account_id).await? else { return Ok(None) };
        let all = rows.iter().map(|r| Ok((i64_col(r, "blocking")? == 1, Id::from_i64(i64_col(r, "id")?))));
        Ok(Some(all.collect::<Result<_>>()?))
    }

    /// Of `authors`, those that block `viewer` or that `viewer` blocks.
    pub async fn list_blocked_either_way(&self, viewer: Id, authors: &[Id]) -> Result<domain::IdSet> {
        let (blocking, blocked_by) = self.list_block_flags(viewer, authors).await?;
        Ok(blocking.union(&blocked_by).copied().collect())
    }

    /// A page of the accounts `account_id` blocks, most recent block first.
    pub async fn list_blocked_accounts(&self, account_id: Id, page: &Page) -> Result<Vec<(Id, Account, Option<Role>)>> {
        let mut sql = Sql::new(&format!(
            "SELECT b.id AS row_id, u.role AS user_role, {ACCOUNT_COLUMNS} FROM blocks b \
             JOIN accounts a ON a.id = b.target_account_id LEFT JOIN users u ON u.account_id = a.id \
             WHERE b.account_id = "
        ));
        sql.int(account_id.as_i64());
        let ascending = sql.page("b.id", page);
        self.fetch_account_page(&sql, ascending).await
    }
}
