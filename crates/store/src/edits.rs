//! Editing posts (keeping every version), pins, private notes, hashtag timelines and
//! account search.

use domain::{Account, Focus, Id, Role, Status, UnixMillis};

use crate::accounts::{ACCOUNT_COLUMNS, account_from_row};
use crate::db::{Tx, query};
use crate::row::{flag_col, i64_col, text_col};
use crate::sql::Sql;
use crate::{Result, Store};

/// One version of a post, as the edit history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusVersion {
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub created_at: UnixMillis,
}

impl Store {
    /// Replaces a post's text; the first edit also keeps the original as a version.
    /// `media_changes`: new alt text and focus of some of the post's attachments.
    pub async fn update_status_text(
        &self,
        before: &Status,
        after: &Status,
        version_ids: (Id, Id),
        media_changes: &[(Id, String, Focus)],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        if before.edited_at.is_none() {
            insert_version(
                &mut tx,
                version_ids.0,
                before.id,
                &before.content,
                &before.spoiler_text,
                before.sensitive,
                before.created_at,
            )
            .await?;
        }
        let edited_at = after.edited_at.unwrap_or(after.created_at);
        insert_version(
            &mut tx,
            version_ids.1,
            after.id,
            &after.content,
            &after.spoiler_text,
            after.sensitive,
            edited_at,
        )
        .await?;
        query(
            "UPDATE statuses SET text = $1, content = $2, spoiler_text = $3, sensitive = $4, language = $5, edited_at = $6 \
             WHERE id = $7",
        )
        .bind(&after.text)
        .bind(&after.content)
        .bind(&after.spoiler_text)
        .bind(i64::from(after.sensitive))
        .bind(after.language.as_deref())
        .bind(edited_at)
        .bind(after.id.as_i64())
        .execute(&mut tx)
        .await?;
        // Attachments dropped by the edit become uploads again (purged if no post takes them).
        query("UPDATE media_attachments SET status_id = NULL WHERE status_id = $1")
            .bind(after.id.as_i64())
            .execute(&mut tx)
            .await?;
        crate::media::attach_media(&mut tx, after.id, after.account_id, &after.media).await?;
        for (media_id, description, focus) in media_changes {
            query(
                "UPDATE media_attachments SET description = $1, focus_x = $2, focus_y = $3 \
                 WHERE id = $4 AND status_id = $5",
            )
            .bind(description.as_str())
            .bind(crate::media::thousandths(focus.x))
            .bind(crate::media::thousandths(focus.y))
            .bind(media_id.as_i64())
            .bind(after.id.as_i64())
            .execute(&mut tx)
            .await?;
        }
        query("DELETE FROM status_mentions WHERE status_id = $1").bind(after.id.as_i64()).execute(&mut tx).await?;
        query("DELETE FROM status_tags WHERE status_id = $1").bind(after.id.as_i64()).execute(&mut tx).await?;
        for (position, account_id) in after.mentions.iter().enumerate() {
            query("INSERT INTO status_mentions (status_id, account_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(after.id.as_i64())
                .bind(account_id.as_i64())
                .bind(position as i64)
                .execute(&mut tx)
                .await?;
        }
        for (position, name) in after.tags.iter().enumerate() {
            query("INSERT INTO status_tags (status_id, name, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(after.id.as_i64())
                .bind(name)
                .bind(position as i64)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every version of an edited post, oldest first (empty for an unedited one).
    pub async fn list_status_versions(&self, status_id: Id) -> Result<Vec<StatusVersion>> {
        let rows = query(
            "SELECT content, spoiler_text, sensitive, created_at FROM status_edits WHERE status_id = $1 ORDER BY id",
        )
        .bind(status_id.as_i64())
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StatusVersion {
                    content: text_col(r, "content")?,
                    spoiler_text: text_col(r, "spoiler_text")?,
                    sensitive: flag_col(r, "sensitive")?,
                    created_at: i64_col(r, "created_at")?,
                })
            })
            .collect()
    }

    /// Pins a post; returns how many the account has pinned afterwards.
    pub async fn insert_pin(&self, account_id: Id, status_id: Id, now: UnixMillis) -> Result<i64> {
        query("INSERT INTO status_pins (account_id, status_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(account_id.as_i64())
            .bind(status_id.as_i64())
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(self.list_pinned_ids(account_id).await?.len() as i64)
    }

    pub async fn delete_pin(&self, account_id: Id, status_id: Id) -> Result<()> {
        query("DELETE FROM status_pins WHERE account_id = $1 AND status_id = $2")
            .bind(account_id.as_i64())
            .bind(status_id.as_i64())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// An account's pinned posts, most recently pinned first.
    pub async fn list_pinned_ids(&self, account_id: Id) -> Result<Vec<Id>> {
        let rows = query("SELECT status_id FROM status_pins WHERE account_id = $1 ORDER BY created_at DESC")
            .bind(account_id.as_i64())
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(|r| Ok(Id::from_i64(i64_col(r, "status_id")?))).collect()
    }

    /// Sets (or, when empty, removes) `account_id`'s private note on `target_id`.
    pub async fn upsert_account_note(&self, account_id: Id, target_id: Id, comment: &str) -> Result<()> {
        if comment.is_empty() {
            query("DELETE FROM account_notes WHERE account_id = $1 AND target_account_id = $2")
                .bind(account_id.as_i64())
                .bind(target_id.as_i64())
                .execute(&self.writer)
                .await?;
            return Ok(());
        }
        query(
            "INSERT INTO account_notes (account_id, target_account_id, comment) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, target_account_id) DO UPDATE SET comment = excluded.comment",
        )
        .bind(account_id.as_i64())
        .bind(target_id.as_i64())
        .bind(comment)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// `account_id`'s private notes on any of `targets`, by target.
    pub async fn list_account_notes(&self, account_id: Id, targets: &[Id]) -> Result<Vec<(Id, String)>> {
        let mut sql = Sql::new("SELECT target_account_id, comment FROM account_notes WHERE account_id = ");
        sql.int(account_id.as_i64()).push(" AND target_account_id IN ").int_list(targets.iter().map(|i| i.as_i64()));
        let rows = sql.query().fetch_all(&self.reader).await?;
        rows.iter().map(|r| Ok((Id::from_i64(i64_col(r, "target_account_id")?), text_col(r, "comment")?))).collect()
    }

    /// Accounts whose username or display name starts with `query` (case-insensitive),
    /// local ones first, then by username; `offset` and `limit` page through them.
    pub async fn search_accounts(&self, query: &str, limit: u32, offset: u32) -> Result<Vec<(Account, Option<Role>)>> {
        let pattern = like_prefix(query);
        let mut sql = Sql::new(&format!(
            "SELECT u.role AS user_role, {ACCOUNT_COLUMNS} FROM accounts a LEFT JOIN users u ON u.account_id = a.id \
             WHERE (lower(a.username) LIKE "
        ));
        sql.text(&pattern).push(" ESCAPE '!' OR lower(a.display_name) LIKE ").text(&pattern);
        sql.push(" ESCAPE '!') ORDER BY CASE WHEN a.domain = '' THEN 0 ELSE 1 END, lower(a.username) LIMIT ");
        sql.int(i64::from(limit)).push(" OFFSET ").int(i64::from(offset));
        let rows = sql.query().fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| {
                let role = r.try_get::<Option<String>, _>("user_role")?.and_then(|s| s.parse().ok());
                Ok((account_from_row(r)?, role))
            })
            .collect()
    }

    /// Hashtags in use that start with `prefix` (lower-cased), most used first.
    pub async fn search_tags(&self, prefix: &str, limit: u32) -> Result<Vec<String>> {
        let pattern = like_prefix(prefix);
        let rows = query(
            "SELECT name, COUNT(*) AS uses FROM status_tags WHERE name LIKE $1 ESCAPE '!' GROUP BY name \
             ORDER BY uses DESC, name LIMIT $2",
        )
        .bind(pattern)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(|r| text_col(r, "name")).collect()
    }
}

/// `query%` for LIKE, lower-cased, with LIKE's wildcards in `query` taken literally
/// (escaped with `!`, a character neither database treats specially by default).
fn like_prefix(query: &str) -> String {
    let escaped = query.to_lowercase().replace('!', "!!").replace('%', "!%").replace('_', "!_");
    format!("{escaped}%")
}
async fn insert_version(
    tx: &mut Tx,
    id: Id,
    status_id: Id,
    content: &str,
    spoiler_text: &str,
    sensitive: bool,
    created_at: UnixMillis,
) -> Result<()> {
    query(
        "INSERT INTO status_edits (id, status_id, content, spoiler_text, sensitive, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.as_i64())
    .bind(status_id.as_i64())
    .bind(content)
    .bind(spoiler_text)
    .bind(i64::from(sensitive))
    .bind(created_at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
