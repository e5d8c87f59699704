//! Notifications: what happened to a local account, newest first.

use domain::{Id, Page, UnixMillis};

use crate::db::{Row, query};
use crate::row::{i64_col, opt_i64_col, text_col};
use crate::sql::Sql;
use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: Id,
    pub account_id: Id,
    pub from_account_id: Id,
    /// Mastodon's type name: `mention`, `follow`, `favourite`, `reblog`, ...
    pub kind: String,
    pub status_id: Option<Id>,
    pub created_at: UnixMillis,
}

/// Which notifications a list shows.
#[derive(Debug, Clone, Default)]
pub struct NotificationFilter {
    pub types: Vec<String>,
    pub exclude_types: Vec<String>,
    pub from_account_id: Option<Id>,
}

impl Store {
    pub async fn insert_notification(&self, n: &Notification) -> Result<()> {
        query(
            "INSERT INTO notifications (id, account_id, from_account_id, type, status_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(n.id.as_i64())
        .bind(n.account_id.as_i64())
        .bind(n.from_account_id.as_i64())
        .bind(&n.kind)
        .bind(n.status_id.map(Id::as_i64))
        .bind(n.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn list_notifications(
        &self,
        account_id: Id,
        filter: &NotificationFilter,
        page: &Page,
    ) -> Result<Vec<Notification>> {
        let mut sql = Sql::new(
            "SELECT id, account_id, from_account_id, type, status_id, created_at FROM notifications WHERE account_id = ",
        );
        sql.int(account_id.as_i64());
        filter_clause(&mut sql, filter);
        let ascending = sql.page("id", page);
        let mut rows =
            sql.query().fetch_all(&self.reader).await?.iter().map(notification_from_row).collect::<Result<Vec<_>>>()?;
        if ascending {
            rows.reverse();
        }
        Ok(rows)
    }

    pub async fn count_notifications(
        &self,
        account_id: Id,
        filter: &NotificationFilter,
        after: Option<Id>,
    ) -> Result<i64> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n FROM notifications WHERE account_id = ");
        sql.int(account_id.as_i64());
        filter_clause(&mut sql, filter);
        if let Some(after) = after {
            sql.push(" AND id > ").int(after.as_i64());
        }
        let row = sql.query().fetch_one(&self.reader).await?;
        i64_col(&row, "n")
    }

    pub async fn find_notification(&self, account_id: Id, id: Id) -> Result<Option<Notification>> {
        let row = query(
            "SELECT id, account_id, from_account_id, type, status_id, created_at FROM notifications \
             WHERE account_id = $1 AND id = $2",
        )
        .bind(account_id.as_i64())
        .bind(id.as_i64())
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(notification_from_row).transpose()
    }

    /// Deletes the notifications of `kind` that `from` caused `to` (about `status_id`),
    /// when what caused them is undone.
    pub async fn delete_notifications_about(&self, to: Id, from: Id, kind: &str, status_id: Option<Id>) -> Result<()> {
        let mut sql = Sql::new("DELETE FROM notifications WHERE account_id = ");
        sql.int(to.as_i64()).push(" AND from_account_id = ").int(from.as_i64()).push(" AND type = ").text(kind);
        if let Some(status_id) = status_id {
            sql.push(" AND status_id = ").int(status_id.as_i64());
        }
        sql.query().execute(&self.writer).await?;
        Ok(())
    }

    /// Deletes one notification, or all of an account's (`id` none).
    pub async fn delete_notifications(&self, account_id: Id, id: Option<Id>) -> Result<()> {
        let mut sql = Sql::new("DELETE FROM notifications WHERE account_id = ");
        sql.int(account_id.as_i64());
        if let Some(id) = id {
            sql.push(" AND id = ").int(id.as_i64());
        }
        sql.query().execute(&self.writer).await?;
        Ok(())
    }
}

fn filter_clause(sql: &mut Sql, filter: &NotificationFilter) {
    if !filter.types.is_empty() {
        sql.push(" AND type IN (");
        for (i, t) in filter.types.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.text(t);
        }
        sql.push(")");
    }
    for t in &filter.exclude_types {
        sql.push(" AND type <> ").text(t);
    }
    if let Some(from) = filter.from_account_id {
        sql.push(" AND from_account_id = ").int(from.as_i64());
    }
}

fn notification_from_row(row: &Row) -> Result<Notification> {
    Ok(Notification {
        id: Id::from_i64(i64_col(row, "id")?),
        account_id: Id::from_i64(i64_col(row, "account_id")?),
        from_account_id: Id::from_i64(i64_col(row, "from_account_id")?),
        kind: text_col(row, "type")?,
        status_id: opt_i64_col(row, "status_id")?.map(Id::from_i64),
        created_at: i64_col(row, "created_at")?,
    })
}

/// Where a reader stopped reading a timeline (`home` or `notifications`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub timeline: String,
    pub last_read_id: Id,
    pub version: i64,
    pub updated_at: UnixMillis,
}

impl Store {
    pub async fn list_markers(&self, account_id: Id) -> Result<Vec<Marker>> {
        let rows = query("SELECT timeline, last_read_id, version, updated_at FROM markers WHERE account_id = $1")
            .bind(account_id.as_i64())
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Marker {
                    timeline: text_col(r, "timeline")?,
                    last_read_id: Id::from_i64(i64_col(r, "last_read_id")?),
                    version: i64_col(r, "version")?,
                    updated_at: i64_col(r, "updated_at")?,
                })
            })
            .collect()
    }

    /// Sets a marker, counting its version up.
    pub async fn upsert_marker(&self, account_id: Id, timeline: &str, last_read_id: Id, now: UnixMillis) -> Result<()> {
        query(
            "INSERT INTO markers (account_id, timeline, last_read_id, version, updated_at) VALUES ($1, $2, $3, 1, $4) \
             ON CONFLICT (account_id, timeline) DO UPDATE SET last_read_id = excluded.last_read_id, \
             version = markers.version + 1, updated_at = excluded.updated_at",
        )
        .bind(account_id.as_i64())
        .bind(timeline)
        .bind(last_read_id.as_i64())
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Replies to any of `parents`: (reply id, parent id).
    pub async fn list_replies(&self, parents: &[Id]) -> Result<Vec<(Id, Id)>> {
        let mut sql = Sql::new("SELECT id, in_reply_to_id FROM statuses WHERE in_reply_to_id IN ");
        sql.int_list(parents.iter().map(|i| i.as_i64())).push(" ORDER BY id");
        sql.query()
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(|r| Ok((Id::from_i64(i64_col(r, "id")?), Id::from_i64(i64_col(r, "in_reply_to_id")?))))
            .collect()
    }
}
