//! Favourites, bookmarks and boosts: one row per (account, status), counted on the
//! status in the same transaction.

use domain::{Account, Id, Page, Role, UnixMillis};

use crate::accounts::ACCOUNT_COLUMNS;
use crate::db::query;
use crate::row::i64_col;
use crate::sql::Sql;
use crate::{Result, Store};

/// Which of a page's posts the viewer has favourited, boosted or bookmarked.
#[derive(Debug, Clone, Default)]
pub struct ViewerFlags {
    pub favourited: domain::IdSet,
    pub reblogged: domain::IdSet,
    pub bookmarked: domain::IdSet,
    pub pinned: domain::IdSet,
    /// Threads (conversation ids) the viewer muted.
    pub muted_conversations: domain::IdSet,
}

impl Store {
    /// Favourites a post; returns whether it was new.
    pub async fn insert_favourite(&self, id: Id, account_id: Id, status_id: Id, now: UnixMillis) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let done = query(
            "INSERT INTO favourites (id, account_id, status_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(id.as_i64())
        .bind(account_id.as_i64())
        .bind(status_id.as_i64())
        .bind(now)
        .execute(&mut tx)
        .await?;
        let new = done.rows_affected() == 1;
        if new {
            query("UPDATE statuses SET favourites_count = favourites_count + 1 WHERE id = $1")
                .bind(status_id.as_i64())
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(new)
    }

    /// Takes back a favourite; false when there was none.
    /// Records the Like activity's id of a remote account's favourite.
    pub async fn update_favourite_uri(&self, account_id: Id, status_id: Id, uri: &str) -> Result<()> {
        query("UPDATE favourites SET uri = $3 WHERE account_id = $1 AND status_id = $2")
            .bind(account_id.as_i64())
            .bind(status_id.as_i64())
            .bind(uri)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The post `account_id` favourited with the Like `uri`, if any.
    pub async fn find_favourite_by_uri(&self, account_id: Id, uri: &str) -> Result<Option<Id>> {
        let row = query("SELECT status_id FROM favourites WHERE account_id = $1 AND uri = $2")
            .bind(account_id.as_i64())
            .bind(uri)
            .fetch_optional(&self.reader)
            .await?;
        row.map(|r| Ok(Id::from_i64(crate::row::i64_col(&r, "status_id")?))).transpose()
    }

    pub async fn delete_favourite(&self, account_id: Id, status_id: Id) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let done = query("DELETE FROM favourites WHERE account_id = $1 AND status_id = $2")
            .bind(account_id.as_i64())
            .bind(status_id.as_i64())
            .execute(&mut tx)
            .await?;
        let deleted = done.rows_affected() == 1;
        if deleted {
            query("UPDATE statuses SET favourites_count = favourites_count - 1 WHERE id = $1 AND favourites_count > 0")
                .bind(status_id.as_i64())
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(deleted)
    }

    pub async fn insert_bookmark(&self, id: Id, account_id: Id, status_id: Id, now: UnixMillis) -> Result<()> {
        query(
            "INSERT INTO bookmarks (id, account_id, status_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(id.as_i64())
        .bind(account_id.as_i64())
        .bind(status_id.as_i64())
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn delete_bookmark(&self, account_id: Id, status_id: Id) -> Result<()> {
        query("DELETE FROM bookmarks WHERE account_id = $1 AND status_id = $2")
            .bind(account_id.as_i64())
            .bind(status_id.as_i64())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The viewer's boost of a post, if any.
    pub async fn find_reblog_id(&self, account_id: Id, status_id: Id) -> Result<Option<Id>> {
        let row = query("SELECT id FROM statuses WHERE account_id = $1 AND reblog_of_id = $2")
            .bind(account_id.as_i64())
            .bind(status_id.as_i64())
            .fetch_optional(&self.reader)
            .await?;
        row.map(|r| Ok(Id::from_i64(i64_col(&r, "id")?))).transpose()
    }

    /// A page of the viewer's favourites or bookmarks (`table`), paged on the row's id.
    pub async fn list_marked_statuses(&self, table: MarkTable, account_id: Id, page: &Page) -> Result<Vec<(Id, Id)>> {
        let mut sql = Sql::new(&format!("SELECT id, status_id FROM {} WHERE account_id = ", table.name()));
        sql.int(account_id.as_i64());
        let ascending = sql.page("id", page);
        let mut rows: Vec<(Id, Id)> = sql
            .query()
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(|r| Ok((Id::from_i64(i64_col(r, "id")?), Id::from_i64(i64_col(r, "status_id")?))))
            .collect::<Result<_>>()?;
        if ascending {
            rows.reverse();
        }
        Ok(rows)
    }

    /// Who favourited (`favourites`) or boosted a post, paged on the row's id.
    pub async fn list_status_actors(
        &self,
        status_id: Id,
        favourites: bool,
        page: &Page,
    ) -> Result<Vec<(Id, Account, Option<Role>)>> {
        let (table, column) = if favourites { ("favourites", "status_id") } else { ("statuses", "reblog_of_id") };
        let mut sql = Sql::new(&format!(
            "SELECT x.id AS row_id, u.role AS user_role, {ACCOUNT_COLUMNS} FROM {table} x JOIN accounts a ON a.id = x.account_id \
             LEFT JOIN users u ON u.account_id = a.id WHERE x.{column} = "
        ));
        sql.int(status_id.as_i64());
        let ascending = sql.page("x.id", page);
        self.fetch_account_page(&sql, ascending).await
    }
}

#[derive(Debug, Clone, Copy)]
pub enum MarkTable {
    Favourites,
    Bookmarks,
}

impl MarkTable {
    fn name(self) -> &'static str {
        match self {
            MarkTable::Favourites => "favourites",
            MarkTable::Bookmarks => "bookmarks",
        }
    }
}

#[cfg(test)]
#[path = "interactions_tests.rs"]
mod tests;
