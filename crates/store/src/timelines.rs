//! Pages of post ids: a home feed, the public and hashtag timelines, an account's
//! posts. The posts themselves are loaded by [`Store::list_statuses`].

use domain::{Id, Page, Visibility};

use crate::db::Row;
use crate::feed_window::{FEED_WINDOW, FeedWindow};
use crate::row::i64_col;
use crate::sql::Sql;
use crate::{Result, Store, row_cache};

/// Keeps posts with at least one attachment.
const WITH_MEDIA: &str = " AND id IN (SELECT status_id FROM media_attachments WHERE status_id IS NOT NULL)";

impl Store {
    /// A page of a local account's home feed, newest first.
    pub async fn list_home_feed(&self, account_id: Id, page: &Page) -> Result<Vec<Id>> {
        if let Some(generation) = self.row_generation() {
            let kept = row_cache::kept(&self.rows.feeds, generation, account_id);
            if let Some(ids) = kept.as_ref().and_then(|window| window.page(page)) {
                return Ok(ids);
            }
            // The top of the feed is what is read most: its window is read and kept
            // (unless it is, and the page is older).
            if page.max_id.is_none() && kept.is_none() {
                let mut sql = Sql::new("SELECT status_id AS id FROM home_feed WHERE account_id = ");
                sql.int(account_id.as_i64()).push(&format!(" ORDER BY status_id DESC LIMIT {}", FEED_WINDOW + 1));
                let window =
                    std::sync::Arc::new(FeedWindow::new(ids(sql.query().fetch_all(&self.reader).await?, false)?));
                let found = window.page(page);
                row_cache::keep_one(&self.rows.feeds, generation, account_id, window);
                if let Some(ids) = found {
                    return Ok(ids);
                }
            }
        }
        // Paged on the feed's own key before anything is joined: PostgreSQL otherwise
        // may pick a merge join over the whole feed.
        let mut sql = Sql::new("SELECT status_id AS id FROM home_feed WHERE account_id = ");
        sql.int(account_id.as_i64());
        let ascending = sql.page("status_id", page);
        ids(sql.query().fetch_all(&self.reader).await?, ascending)
    }

    /// A page of public posts (no boosts) within `scope`, leaving out the accounts of
    /// `hidden_domains` (and their subdomains).
    pub async fn list_public_timeline(
        &self,
        scope: PublicScope,
        hidden_domains: &[String],
        page: &Page,
    ) -> Result<Vec<Id>> {
        // Without replies to others, as Mastodon's public timelines.
        let mut sql = Sql::new(
            "SELECT id FROM statuses WHERE visibility = 'public' AND reblog_of_id IS NULL \
             AND (in_reply_to_id IS NULL OR in_reply_to_account_id = account_id)",
        );
        scope.narrow(&mut sql, "");
        leave_out_domains(&mut sql, "", hidden_domains);
        let ascending = sql.page("id", page);
        ids(sql.query().fetch_all(&self.reader).await?, ascending)
    }

    /// A page of an account's posts that a viewer may see: those with one of the
    /// `visibilities`, plus any that mention `mentioned` (the viewer).
    pub async fn list_account_statuses(
        &self,
        account_id: Id,
        visibilities: &[Visibility],
        mentioned: Option<Id>,
        filter: AccountStatusesFilter,
        page: &Page,
    ) -> Result<Vec<Id>> {
        let mut sql = Sql::new("SELECT id FROM statuses WHERE account_id = ");
        sql.int(account_id.as_i64()).push(" AND (visibility IN (");
        for (i, v) in visibilities.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.text(v.as_str());
        }
        if visibilities.is_empty() {
            sql.push("NULL");
        }
        sql.push(")");
        if let Some(viewer) = mentioned {
            sql.push(" OR id IN (SELECT status_id FROM status_mentions WHERE account_id = ")
                .int(viewer.as_i64())
                .push(")");
        }
        sql.push(")");
        if filter.exclude_replies {
            // Replies to oneself (threads) stay, as on Mastodon.
            sql.push(" AND (in_reply_to_id IS NULL OR in_reply_to_account_id = account_id)");
        }
        if filter.exclude_reblogs {
            sql.push(" AND reblog_of_id IS NULL");
        }
        if filter.only_media {
            sql.push(WITH_MEDIA);
        }
        if let Some(tag) = &filter.tagged {
            sql.push(" AND id IN (SELECT status_id FROM status_tags WHERE name = ").text(tag).push(")");
        }
        let ascending = sql.page("id", page);
        ids(sql.query().fetch_all(&self.reader).await?, ascending)
    }

    /// A page of public posts with a hashtag (lower-cased), without boosts, within
    /// `scope`, leaving out the accounts of `hidden_domains`.
    pub async fn list_tag_timeline(
        &self,
        tag: &str,
        scope: PublicScope,
        hidden_domains: &[String],
        page: &Page,
    ) -> Result<Vec<Id>> {
        let mut sql = Sql::new(
            "SELECT s.id AS id FROM status_tags t JOIN statuses s ON s.id = t.status_id \
             WHERE s.visibility = 'public' AND s.reblog_of_id IS NULL AND t.name = ",
        );
        sql.text(tag);
        scope.narrow(&mut sql, "s.");
        leave_out_domains(&mut sql, "s.", hidden_domains);
        let ascending = sql.page("s.id", page);
        ids(sql.query().fetch_all(&self.reader).await?, ascending)
    }
}

/// Which public posts a timeline shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicScope {
    /// Only local posts (`Some(true)`), only remote ones (`Some(false)`), or both.
    pub local: Option<bool>,
    pub only_media: bool,
}

impl PublicScope {
    /// Adds the scope's conditions on the statuses table (named with `prefix`).
    fn narrow(self, sql: &mut Sql, prefix: &str) {
        if let Some(local) = self.local {
            sql.push(&format!(" AND {prefix}local = ")).int(i64::from(local));
        }
        if self.only_media {
            sql.push(&WITH_MEDIA.replace(" id IN", &format!(" {prefix}id IN")));
        }
    }
}

/// Filters of `GET /api/v1/accounts/:id/statuses`.
#[derive(Debug, Clone, Default)]
pub struct AccountStatusesFilter {
    pub exclude_replies: bool,
    pub exclude_reblogs: bool,
    pub only_media: bool,
    /// A lower-cased hashtag.
    pub tagged: Option<String>,
}

/// Leaves out posts of accounts on `domains` (on the statuses table named by `prefix`).
fn leave_out_domains(sql: &mut Sql, prefix: &str, domains: &[String]) {
    if domains.is_empty() {
        return;
    }
    sql.push(&format!(" AND {prefix}account_id NOT IN (SELECT id FROM accounts WHERE "));
    for (i, domain) in domains.iter().enumerate() {
        if i > 0 {
            sql.push(" OR ");
        }
        crate::domain_blocks::on_domain(sql, "domain", domain);
    }
    sql.push(")");
}

fn ids(rows: Vec<Row>, ascending: bool) -> Result<Vec<Id>> {
    let mut ids: Vec<Id> = rows.iter().map(|r| Ok(Id::from_i64(i64_col(r, "id")?))).collect::<Result<_>>()?;
    if ascending {
        ids.reverse();
    }
    Ok(ids)
}
