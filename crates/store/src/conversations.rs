//! Direct-message conversations and muted threads.

use domain::{Id, Page};

use crate::db::query;
use crate::row::i64_col;
use crate::sql::Sql;
use crate::{Result, Store};

/// A reader's direct-message conversation: its newest post, and whether it is unread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationRow {
    pub conversation_id: Id,
    pub last_status_id: Id,
    pub unread: bool,
}

impl Store {
    /// A page of `reader`'s direct conversations, by their newest message (which the
    /// reader wrote or is mentioned in), newest first; hidden ones only come back with a
    /// new message.
    pub async fn list_conversations(&self, reader: Id, page: &Page) -> Result<Vec<ConversationRow>> {
        self.query_conversations(reader, None, page).await
    }

    /// One of `reader`'s conversations, if it is one (and not hidden).
    pub async fn find_conversation(&self, reader: Id, conversation_id: Id) -> Result<Option<ConversationRow>> {
        let page = Page::new(None, None, None, Some(1), 1, 1);
        Ok(self.query_conversations(reader, Some(conversation_id), &page).await?.pop())
    }

    async fn query_conversations(&self, reader: Id, only: Option<Id>, page: &Page) -> Result<Vec<ConversationRow>> {
        let me = reader.as_i64();
        // Unread: a message from someone else newer than both the read marker and the
        // reader's own last message (writing in a conversation reads it, as on Mastodon).
        let mut sql = Sql::new(
            "SELECT s.conversation_id AS conversation_id, MAX(s.id) AS last_id, \
             MAX(CASE WHEN s.account_id <> ",
        );
        sql.int(me).push(" AND s.id > COALESCE(r.last_read_id, 0) THEN s.id ELSE 0 END) AS newest_unread, ");
        sql.push("MAX(CASE WHEN s.account_id = ")
            .int(me)
            .push(" THEN s.id ELSE 0 END) AS newest_mine FROM statuses s ");
        sql.push("LEFT JOIN conversation_reads r ON r.account_id = ").int(me);
        sql.push(" AND r.conversation_id = s.conversation_id WHERE s.visibility = 'direct' AND (s.account_id = ")
            .int(me);
        sql.push(" OR s.id IN (SELECT status_id FROM status_mentions WHERE account_id = ").int(me).push("))");
        sql.push(" AND s.id > COALESCE(r.hidden_before_id, 0)");
        if let Some(only) = only {
            sql.push(" AND s.conversation_id = ").int(only.as_i64());
        }
        sql.push(" GROUP BY s.conversation_id HAVING 1 = 1");
        if let Some(max) = page.max_id {
            sql.push(" AND MAX(s.id) < ").int(max.as_i64());
        }
        if let Some(lower) = page.min_id.or(page.since_id) {
            sql.push(" AND MAX(s.id) > ").int(lower.as_i64());
        }
        let ascending = page.min_id.is_some();
        sql.push(if ascending { " ORDER BY last_id ASC LIMIT " } else { " ORDER BY last_id DESC LIMIT " });
        sql.int(i64::from(page.limit));
        let mut rows = sql
            .query()
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(|r| {
                Ok(ConversationRow {
                    conversation_id: Id::from_i64(i64_col(r, "conversation_id")?),
                    last_status_id: Id::from_i64(i64_col(r, "last_id")?),
                    unread: i64_col(r, "newest_unread")? > i64_col(r, "newest_mine")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if ascending {
            rows.reverse();
        }
        Ok(rows)
    }

    /// Marks a conversation read up to `last_id`, or hides it up to there.
    pub async fn upsert_conversation_read(
        &self,
        reader: Id,
        conversation_id: Id,
        last_id: Id,
        hide: bool,
    ) -> Result<()> {
        let column = if hide { "hidden_before_id" } else { "last_read_id" };
        let sql = format!(
            "INSERT INTO conversation_reads (account_id, conversation_id, {column}) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, conversation_id) DO UPDATE SET {column} = excluded.{column}"
        );
        query(&sql)
            .bind(reader.as_i64())
            .bind(conversation_id.as_i64())
            .bind(last_id.as_i64())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn set_conversation_muted(&self, account_id: Id, conversation_id: Id, muted: bool) -> Result<()> {
        let sql = if muted {
            "INSERT INTO conversation_mutes (account_id, conversation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM conversation_mutes WHERE account_id = $1 AND conversation_id = $2"
        };
        query(sql).bind(account_id.as_i64()).bind(conversation_id.as_i64()).execute(&self.writer).await?;
        Ok(())
    }

    /// Of these threads, those `account_id` muted.
    pub async fn list_muted_conversations(&self, account_id: Id, conversation_ids: &[Id]) -> Result<Vec<Id>> {
        // Usually few: read whole and sifted, one range instead of a search per thread.
        let all = if conversation_ids.len() >= crate::sql::FEW_LOOKUPS {
            self.kept_or_load(|rows| &rows.muted_threads, account_id, || self.load_muted_threads(account_id)).await?
        } else {
            None
        };
        let rows = match all {
            Some(all) => all,
            None => {
                let mut sql = Sql::new("SELECT conversation_id FROM conversation_mutes WHERE account_id = ");
                sql.int(account_id.as_i64()).push(" AND conversation_id IN ");
                sql.int_list(conversation_ids.iter().map(|i| i.as_i64()));
                let rows = sql.query().fetch_all(&self.reader).await?;
                rows.iter().map(|r| Ok(Id::from_i64(i64_col(r, "conversation_id")?))).collect::<Result<Vec<_>>>()?
            }
        };
        let wanted: domain::IdSet = conversation_ids.iter().copied().collect();
        let mut found = Vec::new();
        for id in rows {
            if wanted.contains(&id) && !found.contains(&id) {
                found.push(id);
            }
        }
        Ok(found)
    }

    /// Every thread `account_id` muted, unless there are more than [`crate::sql::SMALL_SET`].
    async fn load_muted_threads(&self, account_id: Id) -> Result<Option<Vec<Id>>> {
        let sql = "SELECT conversation_id FROM conversation_mutes WHERE account_id = $1";
        let Some(rows) = self.fetch_few(sql, account_id).await? else { return Ok(None) };
        Ok(Some(rows.iter().map(|r| Ok(Id::from_i64(i64_col(r, "conversation_id")?))).collect::<Result<_>>()?))
    }
}
