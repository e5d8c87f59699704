//! What a person has let in: the applications holding live tokens for their account,
//! and their signed-in browsers (web sessions), so they can see and revoke either.

use domain::{Application, Id, UnixMillis};

use crate::db::query;
use crate::oauth::{APPLICATION_COLUMNS, application_from_row};
use crate::row::{i64_col, text_col};
use crate::{Result, Store};

/// A signed-in browser, known by the digest of its session id (the id itself is only in
/// the browser's cookie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    pub id_sha256: String,
    pub created_at: UnixMillis,
    pub expires_at: UnixMillis,
}

impl Store {
    /// The applications with at least one live token for the account, oldest first.
    pub async fn list_authorized_applications(&self, account_id: Id) -> Result<Vec<Application>> {
        let sql = format!(
            "SELECT {APPLICATION_COLUMNS} FROM oauth_applications WHERE id IN \
             (SELECT application_id FROM oauth_access_tokens WHERE account_id = $1 AND revoked_at IS NULL) \
             ORDER BY id"
        );
        let rows = query(&sql).bind(account_id.as_i64()).fetch_all(&self.reader).await?;
        rows.iter().map(application_from_row).collect()
    }

    /// Revokes every live token of the application for the account, and drops its codes
    /// not yet exchanged; returns the tokens' ids.
    pub async fn revoke_application_tokens(
        &self,
        account_id: Id,
        application_id: Id,
        now: UnixMillis,
    ) -> Result<Vec<Id>> {
        let mut tx = self.begin_write().await?;
        let rows = query(
            "SELECT id FROM oauth_access_tokens WHERE account_id = $1 AND application_id = $2 AND revoked_at IS NULL",
        )
        .bind(account_id.as_i64())
        .bind(application_id.as_i64())
        .fetch_all(&mut tx)
        .await?;
        query(
            "UPDATE oauth_access_tokens SET revoked_at = $1 \
             WHERE account_id = $2 AND application_id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(account_id.as_i64())
        .bind(application_id.as_i64())
        .execute(&mut tx)
        .await?;
        // A code approved but not yet exchanged would otherwise still buy a token.
        query("DELETE FROM oauth_authorization_codes WHERE account_id = $1 AND application_id = $2")
            .bind(account_id.as_i64())
            .bind(application_id.as_i64())
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        rows.iter().map(|r| Ok(Id::from_i64(i64_col(r, "id")?))).collect()
    }

    /// The account's live web sessions, newest first.
    pub async fn list_web_sessions(&self, account_id: Id, now: UnixMillis) -> Result<Vec<WebSession>> {
        let rows = query(
            "SELECT id_sha256, created_at, expires_at FROM web_sessions WHERE account_id = $1 AND expires_at > $2 \
             ORDER BY created_at DESC",
        )
        .bind(account_id.as_i64())
        .bind(now)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(WebSession {
                    id_sha256: text_col(r, "id_sha256")?,
                    created_at: i64_col(r, "created_at")?,
                    expires_at: i64_col(r, "expires_at")?,
                })
            })
            .collect()
    }

    /// Ends one of the account's sessions (another account's is left alone).
    pub async fn delete_account_web_session(&self, account_id: Id, id_sha256: &str) -> Result<()> {
        query("DELETE FROM web_sessions WHERE account_id = $1 AND id_sha256 = $2")
            .bind(account_id.as_i64())
            .bind(id_sha256)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Ends all of the account's sessions but `keep` (after a password change).
    pub async fn delete_other_web_sessions(&self, account_id: Id, keep: &str) -> Result<()> {
        query("DELETE FROM web_sessions WHERE account_id = $1 AND id_sha256 <> $2")
            .bind(account_id.as_i64())
            .bind(keep)
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}
