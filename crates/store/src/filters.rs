//! Each account's filters, with their keywords and filtered posts.

use domain::{Id, UnixMillis};

use crate::db::{Row, query};
use crate::row::{i64_col, opt_i64_col, text_col};
use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub id: Id,
    pub account_id: Id,
    pub title: String,
    pub context: Vec<String>,
    pub action: String,
    pub expires_at: Option<UnixMillis>,
    pub keywords: Vec<FilterKeyword>,
    pub statuses: Vec<FilterStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterKeyword {
    pub id: Id,
    pub keyword: String,
    pub whole_word: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterStatus {
    pub id: Id,
    pub status_id: Id,
}

impl Store {
    /// Stores a filter with its keywords (its statuses are added one by one).
    pub async fn insert_filter(&self, filter: &Filter, now: UnixMillis) -> Result<()> {
        let mut tx = self.begin_write().await?;
        query(
            "INSERT INTO filters (id, account_id, title, context, action, expires_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(filter.id.as_i64())
        .bind(filter.account_id.as_i64())
        .bind(filter.title.as_str())
        .bind(filter.context.join(","))
        .bind(filter.action.as_str())
        .bind(filter.expires_at)
        .bind(now)
        .execute(&mut tx)
        .await?;
        for keyword in &filter.keywords {
            insert_keyword(&mut tx, filter.id, keyword, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a filter's settings and keywords as given: `keywords` is the whole new
    /// list (kept ids are updated, new ones inserted, the rest deleted).
    pub async fn update_filter(&self, filter: &Filter, now: UnixMillis) -> Result<()> {
        let mut tx = self.begin_write().await?;
        query(
            "UPDATE filters SET title = $1, context = $2, action = $3, expires_at = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(filter.title.as_str())
        .bind(filter.context.join(","))
        .bind(filter.action.as_str())
        .bind(filter.expires_at)
        .bind(now)
        .bind(filter.id.as_i64())
        .execute(&mut tx)
        .await?;
        let existing = query("SELECT id FROM filter_keywords WHERE filter_id = $1")
            .bind(filter.id.as_i64())
            .fetch_all(&mut tx)
            .await?;
        for row in &existing {
            let id = i64_col(row, "id")?;
            if !filter.keywords.iter().any(|k| k.id.as_i64() == id) {
                query("DELETE FROM filter_keywords WHERE id = $1").bind(id).execute(&mut tx).await?;
            }
        }
        for keyword in &filter.keywords {
            let kept = existing.iter().any(|r| i64_col(r, "id").is_ok_and(|id| id == keyword.id.as_i64()));
            if kept {
                query("UPDATE filter_keywords SET keyword = $1, whole_word = $2 WHERE id = $3")
                    .bind(keyword.keyword.as_str())
                    .bind(i64::from(keyword.whole_word))
                    .bind(keyword.id.as_i64())
                    .execute(&mut tx)
                    .await?;
            } else {
                insert_keyword(&mut tx, filter.id, keyword, now).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_filter(&self, id: Id) -> Result<bool> {
        let done = query("DELETE FROM filters WHERE id = $1").bind(id.as_i64()).execute(&self.writer).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Adds a post to a filter; false when it is there already.
    pub async fn insert_filter_status(&self, id: Id, filter_id: Id, status_id: Id, now: UnixMillis) -> Result<bool> {
        let done = query(
            "INSERT INTO filter_statuses (id, filter_id, status_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id.as_i64())
        .bind(filter_id.as_i64())
        .bind(status_id.as_i64())
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn delete_filter_status(&self, id: Id) -> Result<bool> {
        let done = query("DELETE FROM filter_statuses WHERE id = $1").bind(id.as_i64()).execute(&self.writer).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every filter of an account (expired ones too), oldest first, with keywords and posts.
    pub async fn list_filters(&self, account_id: Id) -> Result<Vec<Filter>> {
        self.kept_or_load(|rows| &rows.filters, account_id, || self.load_filters(account_id)).await
    }

    async fn load_filters(&self, account_id: Id) -> Result<Vec<Filter>> {
        let rows = query(
            "SELECT id, account_id, title, context, action, expires_at FROM filters WHERE account_id = $1 ORDER BY id",
        )
        .bind(account_id.as_i64())
        .fetch_all(&self.reader)
        .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut filters = rows.iter().map(filter_from_row).collect::<Result<Vec<_>>>()?;
        let parts = query(
            "SELECT k.filter_id AS filter_id, k.id AS id, k.keyword AS keyword, k.whole_word AS whole_word, \
             NULL AS status_id FROM filter_keywords k JOIN filters f ON f.id = k.filter_id WHERE f.account_id = $1 \
             UNION ALL SELECT s.filter_id, s.id, '', 0, s.status_id FROM filter_statuses s \
             JOIN filters f ON f.id = s.filter_id WHERE f.account_id = $1 ORDER BY id",
        )
        .bind(account_id.as_i64())
        .fetch_all(&self.reader)
        .await?;
        for row in &parts {
            let filter_id = i64_col(row, "filter_id")?;
            let Some(filter) = filters.iter_mut().find(|f| f.id.as_i64() == filter_id) else { continue };
            let id = Id::from_i64(i64_col(row, "id")?);
            match opt_i64_col(row, "status_id")? {
                Some(status_id) => filter.statuses.push(FilterStatus { id, status_id: Id::from_i64(status_id) }),
                None => filter.keywords.push(FilterKeyword {
                    id,
                    keyword: text_col(row, "keyword")?,
                    whole_word: i64_col(row, "whole_word")? != 0,
                }),
            }
        }
        Ok(filters)
    }
}

async fn insert_keyword(tx: &mut crate::Tx, filter_id: Id, keyword: &FilterKeyword, now: UnixMillis) -> Result<()> {
    query("INSERT INTO filter_keywords (id, filter_id, keyword, whole_word, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(keyword.id.as_i64())
        .bind(filter_id.as_i64())
        .bind(keyword.keyword.as_str())
        .bind(i64::from(keyword.whole_word))
        .bind(now)
        .execute(tx)
        .await?;
    Ok(())
}

fn filter_from_row(row: &Row) -> Result<Filter> {
    Ok(Filter {
        id: Id::from_i64(i64_col(row, "id")?),
        account_id: Id::from_i64(i64_col(row, "account_id")?),
        title: text_col(row, "title")?,
        context: text_col(row, "context")?.split(',').filter(|c| !c.is_empty()).map(str::to_owned).collect(),
        action: text_col(row, "action")?,
        expires_at: opt_i64_col(row, "expires_at")?,
        keywords: Vec::new(),
        statuses: Vec::new(),
    })
}
