//! Signing in to the website (the OAuth approval page needs a signed-in person).

use domain::{Account, LocalUser};

use super::{digest_hex, new_secret};
use crate::{App, Result, accounts, now_millis};

const SESSION_LIFETIME_MILLIS: i64 = 14 * 24 * 60 * 60 * 1000;

/// Checks the e-mail and password; on success returns a new session id (for a cookie).
pub async fn start_session(app: &App, email: &str, password: &str) -> Result<Option<(String, Account)>> {
    let Some((account, user)) = accounts::authenticate(app, email, password).await? else { return Ok(None) };
    if !user.approved {
        return Err(crate::AppError::Forbidden("Your login is currently pending approval"));
    }
    let session = new_secret()?;
    let now = now_millis();
    app.store().insert_web_session(&digest_hex(&session), account.id, now, now + SESSION_LIFETIME_MILLIS).await?;
    Ok(Some((session, account)))
}

/// The person signed in with this session id, if it is live.
pub async fn session_account(app: &App, session: &str) -> Result<Option<(Account, LocalUser)>> {
    let Some(account_id) = app.store().find_web_session_account(&digest_hex(session), now_millis()).await? else {
        return Ok(None);
    };
    Ok(app.store().find_local_user_by_account_id(account_id).await?)
}

pub async fn end_session(app: &App, session: &str) -> Result<()> {
    Ok(app.store().delete_web_session(&digest_hex(session)).await?)
}

/// A signed-in browser of the account, as its settings page lists it.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// Names the session in forms; the digest, never the session id itself.
    pub handle: String,
    pub created_at: domain::UnixMillis,
    pub expires_at: domain::UnixMillis,
    /// The browser asking.
    pub current: bool,
}

/// The account's live sessions; `current` is the asking browser's session id.
pub async fn list_sessions(app: &App, account: &Account, current: &str) -> Result<Vec<SessionInfo>> {
    let current = digest_hex(current);
    let found = app.store().list_web_sessions(account.id, now_millis()).await?;
    Ok(found
        .into_iter()
        .map(|s| SessionInfo {
            current: s.id_sha256 == current,
            handle: s.id_sha256,
            created_at: s.created_at,
            expires_at: s.expires_at,
        })
        .collect())
}

/// Signs one of the account's browsers out.
pub async fn end_session_by_handle(app: &App, account: &Account, handle: &str) -> Result<()> {
    Ok(app.store().delete_account_web_session(account.id, handle).await?)
}

/// The applications the account has authorized and not revoked.
pub async fn authorized_applications(app: &App, account: &Account) -> Result<Vec<domain::Application>> {
    Ok(app.store().list_authorized_applications(account.id).await?)
}

/// Takes back an application's access: every token it holds for the account stops
/// working at once, and its streaming connections close.
pub async fn revoke_application(app: &App, account: &Account, application_id: domain::Id) -> Result<()> {
    for token_id in app.store().revoke_application_tokens(account.id, application_id, now_millis()).await? {
        app.emit(crate::Event::TokenRevoked { token_id }).await?;
    }
    Ok(())
}

/// Changes the password after checking the current one, and signs out every other
/// browser (the one asking, `session`, stays signed in).
pub async fn change_password(app: &App, account: &Account, session: &str, current: &str, new: &str) -> Result<()> {
    let (_, user) = accounts::get_local_user(app, &account.username).await?;
    if accounts::authenticate(app, user.email.as_str(), current).await?.is_none() {
        return Err(domain::ValidationError::field("current_password", "ERR_INVALID", "is invalid").into());
    }
    accounts::set_password(app, &account.username, new).await?;
    Ok(app.store().delete_other_web_sessions(account.id, &digest_hex(session)).await?)
}
