//! The server's rules, and the log of what moderators did.

use domain::{Id, UnixMillis};

use crate::db::query;
use crate::row::{i64_col, opt_i64_col, text_col};
use crate::{Result, Store};

/// A rule as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRule {
    pub id: Id,
    pub position: i64,
    pub text: String,
    pub hint: String,
}

/// One moderator action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedAction {
    pub id: Id,
    /// `None` for the operator's command line.
    pub account_id: Option<Id>,
    pub action: String,
    pub target_type: String,
    pub target: String,
    pub created_at: UnixMillis,
}

impl Store {
    /// Adds a rule after the others.
    pub async fn insert_server_rule(&self, id: Id, text: &str, hint: &str, now: UnixMillis) -> Result<ServerRule> {
        let row = query(
            "INSERT INTO server_rules (id, position, text, hint, created_at) \
             SELECT $1, COALESCE(MAX(position), 0) + 1, $2, $3, $4 FROM server_rules RETURNING position",
        )
        .bind(id.as_i64())
        .bind(text)
        .bind(hint)
        .bind(now)
        .fetch_one(&self.writer)
        .await?;
        Ok(ServerRule { id, position: i64_col(&row, "position")?, text: text.to_owned(), hint: hint.to_owned() })
    }

    /// Removes a rule from the list (kept for reports that name it); whether it was there.
    pub async fn delete_server_rule(&self, id: Id, now: UnixMillis) -> Result<bool> {
        let done = query("UPDATE server_rules SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL")
            .bind(now)
            .bind(id.as_i64())
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The rules in force, in order.
    pub async fn list_server_rules(&self) -> Result<Vec<ServerRule>> {
        let rows =
            query("SELECT id, position, text, hint FROM server_rules WHERE deleted_at IS NULL ORDER BY position, id")
                .fetch_all(&self.reader)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(ServerRule {
                    id: Id::from_i64(i64_col(r, "id")?),
                    position: i64_col(r, "position")?,
                    text: text_col(r, "text")?,
                    hint: text_col(r, "hint")?,
                })
            })
            .collect()
    }

    pub async fn insert_logged_action(&self, entry: &LoggedAction) -> Result<()> {
        query(
            "INSERT INTO moderation_log (id, account_id, action, target_type, target, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(entry.id.as_i64())
        .bind(entry.account_id.map(Id::as_i64))
        .bind(entry.action.as_str())
        .bind(entry.target_type.as_str())
        .bind(entry.target.as_str())
        .bind(entry.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The most recent moderator actions first.
    pub async fn list_logged_actions(&self, limit: u32) -> Result<Vec<LoggedAction>> {
        let rows = query(&format!(
            "SELECT id, account_id, action, target_type, target, created_at FROM moderation_log \
             ORDER BY id DESC LIMIT {limit}"
        ))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LoggedAction {
                    id: Id::from_i64(i64_col(r, "id")?),
                    account_id: opt_i64_col(r, "account_id")?.map(Id::from_i64),
                    action: text_col(r, "action")?,
                    target_type: text_col(r, "target_type")?,
                    target: text_col(r, "target")?,
                    created_at: i64_col(r, "created_at")?,
                })
            })
            .collect()
    }
}
