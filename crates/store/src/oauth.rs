//! OAuth applications, authorization codes, access tokens and web sessions.

use domain::{AccessToken, Account, Application, Id, LocalUser, NewApplication, Scopes, UnixMillis};

use crate::accounts::{ACCOUNT_COLUMNS, USER_COLUMNS};
use crate::db::{Row, query};
use crate::row::{i64_col, opt_i64_col, text_col};
use crate::{Result, Store, StoreError};

/// What a bearer token stands for.
#[derive(Debug, Clone)]
pub struct TokenCaller {
    pub token: AccessToken,
    pub application: Application,
    pub user: Option<(Account, LocalUser)>,
}

/// A code waiting to be exchanged for a token.
#[derive(Debug, Clone)]
pub struct AuthorizationCode {
    pub code_sha256: String,
    pub application_id: Id,
    pub account_id: Id,
    pub redirect_uri: String,
    pub scopes: Scopes,
    pub code_challenge: Option<String>,
    pub expires_at: UnixMillis,
}

pub(crate) const APPLICATION_COLUMNS: &str = "id, name, website, redirect_uris, scopes, client_id, created_at";

impl Store {
    pub async fn insert_application(&self, new: &NewApplication) -> Result<()> {
        let a = &new.application;
        query(
            "INSERT INTO oauth_applications (id, name, website, redirect_uris, scopes, client_id, \
             client_secret_sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(a.id.as_i64())
        .bind(&a.name)
        .bind(a.website.as_deref())
        .bind(a.redirect_uris.join("\n"))
        .bind(a.scopes.to_string())
        .bind(&a.client_id)
        .bind(&new.client_secret_sha256)
        .bind(a.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn find_application_by_client_id(&self, client_id: &str) -> Result<Option<Application>> {
        let sql = format!("SELECT {APPLICATION_COLUMNS} FROM oauth_applications WHERE client_id = $1");
        let row = query(&sql).bind(client_id).fetch_optional(&self.reader).await?;
        row.as_ref().map(application_from_row).transpose()
    }

    pub async fn find_application_by_id(&self, id: Id) -> Result<Option<Application>> {
        // Kept: every post shows the app it was posted with.
        self.kept_or_load(
            |rows| &rows.applications,
            id,
            || async {
                let sql = format!("SELECT {APPLICATION_COLUMNS} FROM oauth_applications WHERE id = $1");
                let row = query(&sql).bind(id.as_i64()).fetch_optional(&self.reader).await?;
                row.as_ref().map(application_from_row).transpose()
            },
        )
        .await
    }

    /// The application whose client id and secret digest these are.
    pub async fn find_application_by_credentials(
        &self,
        client_id: &str,
        secret_sha256: &str,
    ) -> Result<Option<Application>> {
        let sql = format!(
            "SELECT {APPLICATION_COLUMNS} FROM oauth_applications WHERE client_id = $1 AND client_secret_sha256 = $2"
        );
        let row = query(&sql).bind(client_id).bind(secret_sha256).fetch_optional(&self.reader).await?;
        row.as_ref().map(application_from_row).transpose()
    }

    pub async fn insert_authorization_code(&self, code: &AuthorizationCode) -> Result<()> {
        query(
            "INSERT INTO oauth_authorization_codes (code_sha256, application_id, account_id, redirect_uri, \
             scopes, code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&code.code_sha256)
        .bind(code.application_id.as_i64())
        .bind(code.account_id.as_i64())
        .bind(&code.redirect_uri)
        .bind(code.scopes.to_string())
        .bind(code.code_challenge.as_deref())
        .bind(code.expires_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Removes and returns a code, so it can be exchanged only once.
    pub async fn take_authorization_code(&self, code_sha256: &str) -> Result<Option<AuthorizationCode>> {
        let row = query(
            "DELETE FROM oauth_authorization_codes WHERE code_sha256 = $1 RETURNING code_sha256, application_id, \
             account_id, redirect_uri, scopes, code_challenge, expires_at",
        )
        .bind(code_sha256)
        .fetch_optional(&self.writer)
        .await?;
        row.map(|r| {
            Ok(AuthorizationCode {
                code_sha256: text_col(&r, "code_sha256")?,
                application_id: Id::from_i64(i64_col(&r, "application_id")?),
                account_id: Id::from_i64(i64_col(&r, "account_id")?),
                redirect_uri: text_col(&r, "redirect_uri")?,
                scopes: scopes_col(&r)?,
                code_challenge: r.try_get::<Option<String>, _>("code_challenge")?,
                expires_at: i64_col(&r, "expires_at")?,
            })
        })
        .transpose()
    }

    pub async fn insert_access_token(&self, token: &AccessToken, token_sha256: &str) -> Result<()> {
        query(
            "INSERT INTO oauth_access_tokens (id, token_sha256, application_id, account_id, scopes, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token.id.as_i64())
        .bind(token_sha256)
        .bind(token.application_id.as_i64())
        .bind(token.account_id.map(Id::as_i64))
        .bind(token.scopes.to_string())
        .bind(token.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// A token that has not been revoked.
    pub async fn find_live_access_token(&self, token_sha256: &str) -> Result<Option<AccessToken>> {
        let row = query(
            "SELECT id, application_id, account_id, scopes, created_at FROM oauth_access_tokens \
             WHERE token_sha256 = $1 AND revoked_at IS NULL",
        )
        .bind(token_sha256)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| {
            Ok(AccessToken {
                id: Id::from_i64(i64_col(&r, "id")?),
                application_id: Id::from_i64(i64_col(&r, "application_id")?),
                account_id: opt_i64_col(&r, "account_id")?.map(Id::from_i64),
                scopes: scopes_col(&r)?,
                created_at: i64_col(&r, "created_at")?,
            })
        })
        .transpose()
    }

    /// A live token with its application and, for user tokens, the user: one query, as
    /// every authenticated request makes it.
    pub async fn find_token_caller(&self, token_sha256: &str) -> Result<Option<TokenCaller>> {
        self.kept_or_load_named(|rows| &rows.callers, token_sha256, || self.load_token_caller(token_sha256)).await
    }

    async fn load_token_caller(&self, token_sha256: &str) -> Result<Option<TokenCaller>> {
        let sql = format!(
            "SELECT t.id AS token_id, t.application_id AS token_application_id, t.account_id AS token_account_id, \
             t.scopes AS token_scopes, t.created_at AS token_created_at, o.name AS app_name, o.website AS app_website, \
             o.redirect_uris AS app_redirect_uris, o.scopes AS app_scopes, o.client_id AS app_client_id, \
             o.created_at AS app_created_at, {ACCOUNT_COLUMNS}, {USER_COLUMNS} \
             FROM oauth_access_tokens t JOIN oauth_applications o ON o.id = t.application_id \
             LEFT JOIN accounts a ON a.id = t.account_id LEFT JOIN users u ON u.account_id = a.id \
             WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL"
        );
        let Some(row) = query(&sql).bind(token_sha256).fetch_optional(&self.reader).await? else {
            return Ok(None);
        };
        let scopes = |name: &str| -> Result<Scopes> {
            let text = text_col(&row, name)?;
            Scopes::parse(&text).map_err(|e| StoreError::Corrupt(format!("scopes `{text}`: {e}")))
        };
        let token = AccessToken {
            id: Id::from_i64(i64_col(&row, "token_id")?),
            application_id: Id::from_i64(i64_col(&row, "token_application_id")?),
            account_id: opt_i64_col(&row, "token_account_id")?.map(Id::from_i64),
            scopes: scopes("token_scopes")?,
            created_at: i64_col(&row, "token_created_at")?,
        };
        let application = Application {
            id: token.application_id,
            name: text_col(&row, "app_name")?,
            website: row.try_get::<Option<String>, _>("app_website")?,
            redirect_uris: text_col(&row, "app_redirect_uris")?.lines().map(str::to_owned).collect(),
            scopes: scopes("app_scopes")?,
            client_id: text_col(&row, "app_client_id")?,
            created_at: i64_col(&row, "app_created_at")?,
        };
        let user = match token.account_id {
            // A user token whose account is gone finds no user row: worthless.
            Some(_) if row.try_get::<Option<i64>, _>("user_id")?.is_none() => return Ok(None),
            Some(_) => Some(crate::accounts::account_and_user_from_row(&row)?),
            None => None,
        };
        Ok(Some(TokenCaller { token, application, user }))
    }

    /// Whether a token is still live, for a user who may sign in (or for an app alone).
    pub async fn is_token_live(&self, token_id: Id) -> Result<bool> {
        let row = query(
            "SELECT 1 AS x FROM oauth_access_tokens t LEFT JOIN users u ON u.account_id = t.account_id \
             WHERE t.id = $1 AND t.revoked_at IS NULL AND (t.account_id IS NULL OR u.approved = 1)",
        )
        .bind(token_id.as_i64())
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.is_some())
    }

    /// Revokes a token of the given application; revoking twice is not an error.
    pub async fn revoke_access_token(&self, token_sha256: &str, application_id: Id, now: UnixMillis) -> Result<()> {
        query(
            "UPDATE oauth_access_tokens SET revoked_at = $1 \
             WHERE token_sha256 = $2 AND application_id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(token_sha256)
        .bind(application_id.as_i64())
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn insert_web_session(
        &self,
        id_sha256: &str,
        account_id: Id,
        now: UnixMillis,
        expires_at: UnixMillis,
    ) -> Result<()> {
        query("INSERT INTO web_sessions (id_sha256, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(id_sha256)
            .bind(account_id.as_i64())
            .bind(now)
            .bind(expires_at)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The account signed in with this session, if it has not expired.
    pub async fn find_web_session_account(&self, id_sha256: &str, now: UnixMillis) -> Result<Option<Id>> {
        // Kept (its end checked here): every page a signed-in browser opens asks.
        let session = self
            .kept_or_load_named(
                |rows| &rows.web_sessions,
                id_sha256,
                || async {
                    let row = query("SELECT account_id, expires_at FROM web_sessions WHERE id_sha256 = $1")
                        .bind(id_sha256)
                        .fetch_optional(&self.reader)
                        .await?;
                    row.map(|r| Ok((Id::from_i64(i64_col(&r, "account_id")?), i64_col(&r, "expires_at")?))).transpose()
                },
            )
            .await?;
        Ok(session.filter(|(_, expires_at)| *expires_at > now).map(|(account_id, _)| account_id))
    }

    pub async fn delete_web_session(&self, id_sha256: &str) -> Result<()> {
        query("DELETE FROM web_sessions WHERE id_sha256 = $1").bind(id_sha256).execute(&self.writer).await?;
        Ok(())
    }
}

fn scopes_col(row: &Row) -> Result<Scopes> {
    let text = text_col(row, "scopes")?;
    Scopes::parse(&text).map_err(|e| StoreError::Corrupt(format!("scopes `{text}`: {e}")))
}

pub(crate) fn application_from_row(row: &Row) -> Result<Application> {
    Ok(Application {
        id: Id::from_i64(i64_col(row, "id")?),
        name: text_col(row, "name")?,
        website: row.try_get::<Option<String>, _>("website")?,
        redirect_uris: text_col(row, "redirect_uris")?.lines().map(str::to_owned).collect(),
        scopes: scopes_col(row)?,
        client_id: text_col(row, "client_id")?,
        created_at: i64_col(row, "created_at")?,
    })
}
