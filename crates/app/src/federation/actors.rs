//! Local accounts as other servers see them.

use domain::Account;

use crate::{App, AppError, Result};

/// A local account with the key that verifies its signatures.
#[derive(Debug, Clone)]
pub struct LocalActor {
    pub account: Account,
    pub public_key_pem: String,
}

/// The local account other servers may find under `username` (any case): sign-ups
/// still waiting for approval are not shown.
pub async fn find_visible_local_account(app: &App, username: &str) -> Result<Account> {
    match app.store().find_local_user_by_username(username).await? {
        Some((account, user)) if user.approved => Ok(account),
        _ => Err(AppError::NotFound("account")),
    }
}

pub async fn local_actor(app: &App, username: &str) -> Result<LocalActor> {
    let account = find_visible_local_account(app, username).await?;
    let public_key_pem = app.store().find_public_key_pem(account.id).await?.ok_or(AppError::NotFound("account"))?;
    Ok(LocalActor { account, public_key_pem })
}
