//! E-mail domains that sign-ups may not use.

use domain::{Id, UnixMillis};

use crate::db::query;
use crate::row::{i64_col, text_col};
use crate::{Result, Store};

impl Store {
    /// Blocks an e-mail domain; a second block of it is a `Conflict`.
    pub async fn insert_email_domain_block(&self, id: Id, domain: &str, now: UnixMillis) -> Result<()> {
        query("INSERT INTO email_domain_blocks (id, domain, created_at) VALUES ($1, $2, $3)")
            .bind(id.as_i64())
            .bind(domain)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn delete_email_domain_block(&self, id: Id) -> Result<bool> {
        let done =
            query("DELETE FROM email_domain_blocks WHERE id = $1").bind(id.as_i64()).execute(&self.writer).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every blocked e-mail domain with its id and when, newest first.
    pub async fn list_email_domain_blocks(&self) -> Result<Vec<(Id, String, UnixMillis)>> {
        let rows = query("SELECT id, domain, created_at FROM email_domain_blocks ORDER BY id DESC")
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| Ok((Id::from_i64(i64_col(r, "id")?), text_col(r, "domain")?, i64_col(r, "created_at")?)))
            .collect()
    }
}
