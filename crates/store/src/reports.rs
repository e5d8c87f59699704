//! Reports of accounts and their posts, and what moderators did with them.

use domain::{Id, UnixMillis};

use crate::db::{Row, query};
use crate::row::{i64_col, opt_i64_col, text_col};
use crate::sql::Sql;
use crate::{Result, Store};

/// A report as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: Id,
    pub account_id: Id,
    pub target_account_id: Id,
    pub status_ids: Vec<Id>,
    pub rule_ids: Vec<Id>,
    pub comment: String,
    pub category: String,
    pub forwarded: bool,
    pub uri: Option<String>,
    pub assigned_account_id: Option<Id>,
    pub action_taken_by_account_id: Option<Id>,
    pub action_taken_at: Option<UnixMillis>,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

/// Which reports a moderator lists.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub resolved: bool,
    pub account_id: Option<Id>,
    pub target_account_id: Option<Id>,
}

const COLUMNS: &str = "id, account_id, target_account_id, status_ids, rule_ids, comment, category, forwarded, uri, \
                       assigned_account_id, action_taken_by_account_id, action_taken_at, created_at, updated_at";

impl Store {
    /// Stores a report; a second Flag with the same id is a `Conflict`.
    pub async fn insert_report(&self, r: &Report) -> Result<()> {
        query(&format!(
            "INSERT INTO reports ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(r.id.as_i64())
        .bind(r.account_id.as_i64())
        .bind(r.target_account_id.as_i64())
        .bind(join(&r.status_ids))
        .bind(join(&r.rule_ids))
        .bind(r.comment.as_str())
        .bind(r.category.as_str())
        .bind(i64::from(r.forwarded))
        .bind(r.uri.as_deref())
        .bind(r.assigned_account_id.map(Id::as_i64))
        .bind(r.action_taken_by_account_id.map(Id::as_i64))
        .bind(r.action_taken_at)
        .bind(r.created_at)
        .bind(r.updated_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn find_report(&self, id: Id) -> Result<Option<Report>> {
        let row = query(&format!("SELECT {COLUMNS} FROM reports WHERE id = $1"))
            .bind(id.as_i64())
            .fetch_optional(&self.writer)
            .await?;
        row.as_ref().map(report_from_row).transpose()
    }

    /// Sets who handles a report (or nobody).
    pub async fn update_report_assignee(&self, id: Id, assignee: Option<Id>, now: UnixMillis) -> Result<bool> {
        let done = query("UPDATE reports SET assigned_account_id = $1, updated_at = $2 WHERE id = $3")
            .bind(assignee.map(Id::as_i64))
            .bind(now)
            .bind(id.as_i64())
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks a report resolved (`Some(when)`, by whom) or open again (`None`).
    pub async fn update_report_resolution(
        &self,
        id: Id,
        resolved: Option<(UnixMillis, Option<Id>)>,
        now: UnixMillis,
    ) -> Result<bool> {
        let done = query(
            "UPDATE reports SET action_taken_at = $1, action_taken_by_account_id = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(resolved.map(|(at, _)| at))
        .bind(resolved.and_then(|(_, by)| by).map(Id::as_i64))
        .bind(now)
        .bind(id.as_i64())
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A page of reports, newest first.
    pub async fn list_reports(&self, filter: &ReportFilter, page: &domain::Page) -> Result<Vec<Report>> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM reports WHERE action_taken_at IS "));
        sql.push(if filter.resolved { "NOT NULL" } else { "NULL" });
        if let Some(account) = filter.account_id {
            sql.push(" AND account_id = ").int(account.as_i64());
        }
        if let Some(target) = filter.target_account_id {
            sql.push(" AND target_account_id = ").int(target.as_i64());
        }
        let ascending = sql.page("id", page);
        let mut reports =
            sql.query().fetch_all(&self.reader).await?.iter().map(report_from_row).collect::<Result<Vec<_>>>()?;
        if ascending {
            reports.reverse();
        }
        Ok(reports)
    }
}

fn join(ids: &[Id]) -> String {
    ids.iter().map(Id::to_string).collect::<Vec<_>>().join(",")
}

fn split(text: &str) -> Vec<Id> {
    text.split(',').filter_map(|s| s.parse::<i64>().ok()).map(Id::from_i64).collect()
}

fn report_from_row(row: &Row) -> Result<Report> {
    Ok(Report {
        id: Id::from_i64(i64_col(row, "id")?),
        account_id: Id::from_i64(i64_col(row, "account_id")?),
        target_account_id: Id::from_i64(i64_col(row, "target_account_id")?),
        status_ids: split(&text_col(row, "status_ids")?),
        rule_ids: split(&text_col(row, "rule_ids")?),
        comment: text_col(row, "comment")?,
        category: text_col(row, "category")?,
        forwarded: i64_col(row, "forwarded")? != 0,
        uri: row.try_get::<Option<String>, _>("uri")?,
        assigned_account_id: opt_i64_col(row, "assigned_account_id")?.map(Id::from_i64),
        action_taken_by_account_id: opt_i64_col(row, "action_taken_by_account_id")?.map(Id::from_i64),
        action_taken_at: opt_i64_col(row, "action_taken_at")?,
        created_at: i64_col(row, "created_at")?,
        updated_at: i64_col(row, "updated_at")?,
    })
}
