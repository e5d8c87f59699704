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
