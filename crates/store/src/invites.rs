//! Invite links, and how many sign-ups each has let in.

use domain::{Id, UnixMillis};

use crate::db::query;
use crate::row::{i64_col, opt_i64_col, text_col};
use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub id: Id,
    pub code: String,
    pub account_id: Option<Id>,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub expires_at: Option<UnixMillis>,
    pub revoked_at: Option<UnixMillis>,
    pub created_at: UnixMillis,
}

impl Store {
    pub async fn insert_invite(&self, invite: &Invite) -> Result<()> {
        query(
            "INSERT INTO invites (id, code, account_id, max_uses, uses, expires_at, revoked_at, created_at) \
             VALUES ($1, $2, $3, $4, 0, $5, NULL, $6)",
        )
        .bind(invite.id.as_i64())
        .bind(invite.code.as_str())
        .bind(invite.account_id.map(Id::as_i64))
        .bind(invite.max_uses)
        .bind(invite.expires_at)
        .bind(invite.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Takes one use of the invite `code` if it is still good at `now`; whether it was.
    pub async fn update_invite_used(&self, code: &str, now: UnixMillis) -> Result<bool> {
        let done = query(
            "UPDATE invites SET uses = uses + 1 WHERE code = $1 AND revoked_at IS NULL \
             AND (max_uses IS NULL OR uses < max_uses) AND (expires_at IS NULL OR expires_at > $2)",
        )
        .bind(code)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives back a use taken for a sign-up that then failed.
    pub async fn update_invite_unused(&self, code: &str) -> Result<()> {
        query("UPDATE invites SET uses = uses - 1 WHERE code = $1 AND uses > 0")
            .bind(code)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn update_invite_revoked(&self, code: &str, now: UnixMillis) -> Result<bool> {
        let done = query("UPDATE invites SET revoked_at = $1 WHERE code = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(code)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every invite, newest first.
    pub async fn list_invites(&self) -> Result<Vec<Invite>> {
        let rows = query(
            "SELECT id, code, account_id, max_uses, uses, expires_at, revoked_at, created_at FROM invites ORDER BY id DESC",
        )
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Invite {
                    id: Id::from_i64(i64_col(r, "id")?),
                    code: text_col(r, "code")?,
                    account_id: opt_i64_col(r, "account_id")?.map(Id::from_i64),
                    max_uses: opt_i64_col(r, "max_uses")?,
                    uses: i64_col(r, "uses")?,
                    expires_at: opt_i64_col(r, "expires_at")?,
                    revoked_at: opt_i64_col(r, "revoked_at")?,
                    created_at: i64_col(r, "created_at")?,
                })
            })
            .collect()
    }

    /// Deletes a local account that never got in (a rejected sign-up); whether it did.
    pub async fn delete_pending_account(&self, account_id: Id) -> Result<bool> {
        let done = query(
            "DELETE FROM accounts WHERE id = $1 AND domain = '' \
             AND id IN (SELECT account_id FROM users WHERE approved = 0)",
        )
        .bind(account_id.as_i64())
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
