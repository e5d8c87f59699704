//! Server policy towards other domains: domain blocks, the federation allowlist, and
//! what suspending a domain removes (follows across it, queued deliveries, notifications).

use domain::{DomainBlock, Id, Severity, UnixMillis};

use crate::db::{Row, query};
use crate::row::{flag_col, i64_col, text_col};
use crate::sql::Sql;
use crate::{Result, Store};

const BLOCK_COLUMNS: &str = "id, domain, severity, reject_media, reject_reports, private_comment, public_comment, \
                             obfuscate, created_at, updated_at";

impl Store {
    /// Stores a new block; a second block of the same domain is a `Conflict`.
    pub async fn insert_domain_block(&self, block: &DomainBlock) -> Result<()> {
        query(&format!("INSERT INTO domain_blocks ({BLOCK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
            .bind(block.id.as_i64())
            .bind(block.domain.as_str())
            .bind(block.severity.as_str())
            .bind(i64::from(block.reject_media))
            .bind(i64::from(block.reject_reports))
            .bind(block.private_comment.as_str())
            .bind(block.public_comment.as_str())
            .bind(i64::from(block.obfuscate))
            .bind(block.created_at)
            .bind(block.updated_at)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Replaces a block's settings (not its domain); whether it existed.
    pub async fn update_domain_block(&self, block: &DomainBlock) -> Result<bool> {
        let done = query(
            "UPDATE domain_blocks SET severity = $1, reject_media = $2, reject_reports = $3, private_comment = $4, \
             public_comment = $5, obfuscate = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(block.severity.as_str())
        .bind(i64::from(block.reject_media))
        .bind(i64::from(block.reject_reports))
        .bind(block.private_comment.as_str())
        .bind(block.public_comment.as_str())
        .bind(i64::from(block.obfuscate))
        .bind(block.updated_at)
        .bind(block.id.as_i64())
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn delete_domain_block(&self, id: Id) -> Result<bool> {
        let done = query("DELETE FROM domain_blocks WHERE id = $1").bind(id.as_i64()).execute(&self.writer).await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn find_domain_block(&self, id: Id) -> Result<Option<DomainBlock>> {
        let row = query(&format!("SELECT {BLOCK_COLUMNS} FROM domain_blocks WHERE id = $1"))
            .bind(id.as_i64())
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(block_from_row).transpose()
    }

    pub async fn find_domain_block_by_domain(&self, domain: &str) -> Result<Option<DomainBlock>> {
        let row = query(&format!("SELECT {BLOCK_COLUMNS} FROM domain_blocks WHERE domain = $1"))
            .bind(domain)
            .fetch_optional(&self.writer)
            .await?;
        row.as_ref().map(block_from_row).transpose()
    }

    /// Every block, by domain (a server has hundreds at most).
    pub async fn list_domain_blocks(&self) -> Result<Vec<DomainBlock>> {
        let rows = query(&format!("SELECT {BLOCK_COLUMNS} FROM domain_blocks ORDER BY domain"))
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(block_from_row).collect()
    }

    /// Adds a domain to the allowlist; a second time is a `Conflict`.
    pub async fn insert_domain_allow(&self, id: Id, domain: &str, now: UnixMillis) -> Result<()> {
        query("INSERT INTO domain_allows (id, domain, created_at) VALUES ($1, $2, $3)")
            .bind(id.as_i64())
            .bind(domain)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn delete_domain_allow(&self, id: Id) -> Result<Option<String>> {
        let row = query("DELETE FROM domain_allows WHERE id = $1 RETURNING domain")
            .bind(id.as_i64())
            .fetch_optional(&self.writer)
            .await?;
        row.map(|r| text_col(&r, "domain")).transpose()
    }

    /// Every allowed domain with its id and when it was added, by domain.
    pub async fn list_domain_allows(&self) -> Result<Vec<(Id, String, UnixMillis)>> {
        let rows =
            query("SELECT id, domain, created_at FROM domain_allows ORDER BY domain").fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| Ok((Id::from_i64(i64_col(r, "id")?), text_col(r, "domain")?, i64_col(r, "created_at")?)))
            .collect()
    }

    /// Follows and follow requests between a local account and one on `domain` (or its
    /// subdomains): (follower, followed, whether it is only requested).
    pub async fn list_follows_across_domain(&self, domain: &str) -> Result<Vec<(Id, Id, bool)>> {
        let mut pairs = Vec::new();
        for (table, requested) in [("follows", false), ("follow_requests", true)] {
            let mut sql = Sql::new(&format!(
                "SELECT f.account_id AS follower, f.target_account_id AS followed FROM {table} f \
                 JOIN accounts a ON a.id = f.account_id JOIN accounts t ON t.id = f.target_account_id WHERE "
            ));
            on_domain(&mut sql, "a.domain", domain);
            sql.push(" OR ");
            on_domain(&mut sql, "t.domain", domain);
            for row in sql.query().fetch_all(&self.reader).await? {
                let follower = Id::from_i64(i64_col(&row, "follower")?);
                pairs.push((follower, Id::from_i64(i64_col(&row, "followed")?), requested));
            }
        }
        Ok(pairs)
    }

    /// Drops deliveries queued for `domain`'s hosts; how many.
    pub async fn delete_deliveries_to_domain(&self, domain: &str) -> Result<u64> {
        let mut sql = Sql::new("DELETE FROM deliveries WHERE ");
        on_domain(&mut sql, "host", domain);
        Ok(sql.query().execute(&self.writer).await?.rows_affected())
    }

    /// Drops local accounts' notifications caused by accounts on `domain`.
    pub async fn delete_notifications_from_domain(&self, domain: &str) -> Result<u64> {
        let mut sql = Sql::new("DELETE FROM notifications WHERE from_account_id IN (SELECT id FROM accounts WHERE ");
        on_domain(&mut sql, "domain", domain);
        sql.push(")");
        Ok(sql.query().execute(&self.writer).await?.rows_affected())
    }
}

/// `column` (an authority, `name[:port]`) is `domain` or a subdomain, with any port:
/// SQL for [`domain::domain_covers`].
pub(crate) fn on_domain(sql: &mut Sql, column: &str, domain: &str) {
    let escaped = domain.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    sql.push(&format!("({column} = ")).text(domain);
    for pattern in [format!("%.{escaped}"), format!("{escaped}:%"), format!("%.{escaped}:%")] {
        sql.push(&format!(" OR {column} LIKE ")).text(&pattern).push(" ESCAPE '\\'");
    }
    sql.push(")");
}

fn block_from_row(row: &Row) -> Result<DomainBlock> {
    let severity = text_col(row, "severity")?;
    Ok(DomainBlock {
        id: Id::from_i64(i64_col(row, "id")?),
        domain: text_col(row, "domain")?,
        severity: Severity::parse(&severity).unwrap_or_default(),
        reject_media: flag_col(row, "reject_media")?,
        reject_reports: flag_col(row, "reject_reports")?,
        private_comment: text_col(row, "private_comment")?,
        public_comment: text_col(row, "public_comment")?,
        obfuscate: flag_col(row, "obfuscate")?,
        created_at: i64_col(row, "created_at")?,
        updated_at: i64_col(row, "updated_at")?,
    })
}
