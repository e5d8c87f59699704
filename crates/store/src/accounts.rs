//! Accounts (local and remote actors) and the users who sign in to local ones.

use domain::{Account, Email, Id, LocalUser, NewLocalAccount, Role, UnixMillis};

use crate::db::{Row, query};
use crate::row::{flag_col, i64_col, opt_i64_col, text_col};
use crate::{Result, Store, StoreError};

pub(crate) const ACCOUNT_COLUMNS: &str = "a.id, a.username, a.domain, a.display_name, a.note, a.locked, a.bot, \
     a.discoverable, a.created_at, a.updated_at, a.followers_count, a.following_count, \
     a.statuses_count, a.last_status_at, a.note_source, a.fields, a.hide_collections, \
     a.indexable, a.avatar_file, a.header_file, a.uri, a.url, a.suspended_at, a.silenced_at, a.sensitized_at, \
     a.disabled_at";

pub(crate) const USER_COLUMNS: &str = "u.id AS user_id, u.email, u.role, u.created_at AS user_created_at, u.last_active_at, \
     u.default_visibility, u.default_sensitive, u.default_language, u.approved";

/// Which unique value a new account collided with.
pub const TAKEN_USERNAME: &str = "username";
pub const TAKEN_EMAIL: &str = "email";

impl Store {
    /// Stores a local account with its user and keys, atomically. Fails with
    /// [`StoreError::Conflict`] naming [`TAKEN_USERNAME`] or [`TAKEN_EMAIL`].
    pub async fn insert_local_account(&self, new: &NewLocalAccount) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let username_taken = query("SELECT 1 FROM accounts WHERE lower(username) = lower($1) AND domain = ''")
            .bind(new.username.as_str())
            .fetch_optional(&mut tx)
            .await?;
        if username_taken.is_some() {
            return Err(StoreError::Conflict(TAKEN_USERNAME.into()));
        }
        let email_taken =
            query("SELECT 1 FROM users WHERE email = $1").bind(new.email.as_str()).fetch_optional(&mut tx).await?;
        if email_taken.is_some() {
            return Err(StoreError::Conflict(TAKEN_EMAIL.into()));
        }
        query(
            "INSERT INTO accounts (id, username, domain, created_at, updated_at, public_key_pem, \
             private_key_pem) VALUES ($1, $2, '', $3, $3, $4, $5)",
        )
        .bind(new.account_id.as_i64())
        .bind(new.username.as_str())
        .bind(new.created_at)
        .bind(&new.public_key_pem)
        .bind(&new.private_key_pem)
        .execute(&mut tx)
        .await
        .map_err(name_conflict)?;
        query(
            "INSERT INTO users (id, account_id, email, password_hash, role, created_at, updated_at, approved, reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
        )
        .bind(new.user_id.as_i64())
        .bind(new.account_id.as_i64())
        .bind(new.email.as_str())
        .bind(&new.password_hash)
        .bind(new.role.as_str())
        .bind(new.created_at)
        .bind(i64::from(new.approved))
        .bind(new.reason.as_deref())
        .execute(&mut tx)
        .await
        .map_err(name_conflict)?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn find_account_by_id(&self, id: Id) -> Result<Option<Account>> {
        // From the kept accounts, where they are kept.
        Ok(self.list_accounts(&[id]).await?.pop().map(|row| std::sync::Arc::unwrap_or_clone(row).0))
    }

    /// The account's public key (PEM), which federation publishes and checks
    /// signatures with; kept out of [`Account`], which every page of posts loads.
    pub async fn find_public_key_pem(&self, account_id: Id) -> Result<Option<String>> {
        let row = query("SELECT public_key_pem FROM accounts WHERE id = $1")
            .bind(account_id.as_i64())
            .fetch_optional(&self.reader)
            .await?;
        row.map(|r| text_col(&r, "public_key_pem")).transpose()
    }

    /// A local user by username, ignoring case.
    pub async fn find_local_user_by_username(&self, username: &str) -> Result<Option<(Account, LocalUser)>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, {USER_COLUMNS} FROM accounts a JOIN users u ON u.account_id = a.id \
             WHERE lower(a.username) = lower($1) AND a.domain = ''"
        );
        let row = query(&sql).bind(username).fetch_optional(&self.reader).await?;
        row.as_ref().map(account_and_user_from_row).transpose()
    }

    pub async fn find_oldest_local_user_with_role(&self, role: Role) -> Result<Option<(Account, LocalUser)>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, {USER_COLUMNS} FROM accounts a JOIN users u ON u.account_id = a.id \
             WHERE u.role = $1 ORDER BY u.id LIMIT 1"
        );
        let row = query(&sql).bind(role.as_str()).fetch_optional(&self.reader).await?;
        row.as_ref().map(account_and_user_from_row).transpose()
    }

    /// A local user by e-mail (already lower-cased), with their password hash.
    pub async fn find_login_by_email(&self, email: &Email) -> Result<Option<(Account, LocalUser, String)>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, {USER_COLUMNS}, u.password_hash FROM accounts a \
             JOIN users u ON u.account_id = a.id WHERE u.email = $1"
        );
        let row = query(&sql).bind(email.as_str()).fetch_optional(&self.reader).await?;
        row.as_ref()
            .map(|r| {
                let (account, user) = account_and_user_from_row(r)?;
                Ok((account, user, text_col(r, "password_hash")?))
            })
            .transpose()
    }

    pub async fn find_local_user_by_account_id(&self, account_id: Id) -> Result<Option<(Account, LocalUser)>> {
        // Kept: every page a signed-in browser opens asks.
        self.kept_or_load(
            |rows| &rows.local_users,
            account_id,
            || async {
                let sql = format!(
                    "SELECT {ACCOUNT_COLUMNS}, {USER_COLUMNS} FROM accounts a JOIN users u ON u.account_id = a.id \
                     WHERE a.id = $1"
                );
                let row = query(&sql).bind(account_id.as_i64()).fetch_optional(&self.reader).await?;
                row.as_ref().map(account_and_user_from_row).transpose()
            },
        )
        .await
    }

    /// Every local user, oldest first.
    pub async fn list_local_users(&self) -> Result<Vec<(Account, LocalUser)>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, {USER_COLUMNS} FROM accounts a JOIN users u ON u.account_id = a.id \
             ORDER BY a.id"
        );
        let rows = query(&sql).fetch_all(&self.reader).await?;
        rows.iter().map(account_and_user_from_row).collect()
    }

    pub async fn update_user_password_hash(&self, user_id: Id, hash: &str, now: UnixMillis) -> Result<()> {
        let done = query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now)
            .bind(user_id.as_i64())
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Records a sign-in, for the instance's monthly active users.
    pub async fn update_user_last_active(&self, user_id: Id, now: UnixMillis) -> Result<()> {
        query("UPDATE users SET last_active_at = $1 WHERE id = $2")
            .bind(now)
            .bind(user_id.as_i64())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn update_user_approved(&self, user_id: Id, now: UnixMillis) -> Result<()> {
        query("UPDATE users SET approved = 1, updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(user_id.as_i64())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn update_user_role(&self, user_id: Id, role: Role, now: UnixMillis) -> Result<()> {
        let done = query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
            .bind(role.as_str())
            .bind(now)
            .bind(user_id.as_i64())
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}

/// Maps a unique-index violation to the value that was taken, when a concurrent
/// writer (another PostgreSQL node) got in between the check and the insert.
fn name_conflict(e: StoreError) -> StoreError {
    match e {
        StoreError::Conflict(index)
            if index.contains("accounts_username_domain_key") || index.contains("accounts.") =>
        {
            StoreError::Conflict(TAKEN_USERNAME.into())
        }
        StoreError::Conflict(index) if index.contains("users_email_key") || index.contains("users.email") => {
            StoreError::Conflict(TAKEN_EMAIL.into())
        }
        other => other,
    }
}

pub(crate) fn account_from_row(row: &Row) -> Result<Account> {
    let domain = text_col(row, "domain")?;
    Ok(Account {
        id: Id::from_i64(i64_col(row, "id")?),
        username: text_col(row, "username")?,
        domain: (!domain.is_empty()).then_some(domain),
        display_name: text_col(row, "display_name")?,
        note: text_col(row, "note")?,
        locked: flag_col(row, "locked")?,
        bot: flag_col(row, "bot")?,
        discoverable: flag_col(row, "discoverable")?,
        created_at: i64_col(row, "created_at")?,
        updated_at: i64_col(row, "updated_at")?,
        followers_count: i64_col(row, "followers_count")?,
        following_count: i64_col(row, "following_count")?,
        statuses_count: i64_col(row, "statuses_count")?,
        last_status_at: opt_i64_col(row, "last_status_at")?,
        note_source: text_col(row, "note_source")?,
        fields: crate::profiles::fields_from_json(&text_col(row, "fields")?)?,
        hide_collections: flag_col(row, "hide_collections")?,
        indexable: flag_col(row, "indexable")?,
        avatar_file: row.try_get::<Option<String>, _>("avatar_file")?,
        header_file: row.try_get::<Option<String>, _>("header_file")?,
        uri: row.try_get::<Option<String>, _>("uri")?,
        url: row.try_get::<Option<String>, _>("url")?,
        moderation: domain::AccountModeration {
            suspended_at: opt_i64_col(row, "suspended_at")?,
            silenced_at: opt_i64_col(row, "silenced_at")?,
            sensitized_at: opt_i64_col(row, "sensitized_at")?,
            disabled_at: opt_i64_col(row, "disabled_at")?,
        },
    })
}

pub(crate) fn account_and_user_from_row(row: &Row) -> Result<(Account, LocalUser)> {
    let account = account_from_row(row)?;
    let email = text_col(row, "email")?;
    let role = text_col(row, "role")?;
    let user = LocalUser {
        id: Id::from_i64(i64_col(row, "user_id")?),
        account_id: account.id,
        email: Email::parse(&email).map_err(|e| StoreError::Corrupt(format!("user email: {e}")))?,
        role: role.parse().map_err(|e| StoreError::Corrupt(format!("user role: {e}")))?,
        created_at: i64_col(row, "user_created_at")?,
        last_active_at: opt_i64_col(row, "last_active_at")?,
        default_visibility: text_col(row, "default_visibility")?
            .parse()
            .map_err(|_| StoreError::Corrupt("user default visibility".into()))?,
        default_sensitive: flag_col(row, "default_sensitive")?,
        default_language: row.try_get::<Option<String>, _>("default_language")?,
        approved: flag_col(row, "approved")?,
    };
    Ok((account, user))
}
