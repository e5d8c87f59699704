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
        Some((account, user)) if user.approved && account.moderation.suspended_at.is_none() => Ok(account),
        _ => Err(AppError::NotFound("account")),
    }
}

/// The local account one of our actor ids (`BASE/users/NAME`) names, if any.
pub async fn find_local_account_by_uri(app: &App, uri: &str) -> Result<Option<Account>> {
    let prefix = format!("{}/users/", app.config().base_url());
    let Some(username) = uri.strip_prefix(&prefix).filter(|u| !u.is_empty() && !u.contains('/')) else {
        return Ok(None);
    };
    match find_visible_local_account(app, username).await {
        Ok(account) => Ok(Some(account)),
        Err(AppError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn local_actor(app: &App, username: &str) -> Result<LocalActor> {
    let account = find_visible_local_account(app, username).await?;
    let public_key_pem = app.store().find_public_key_pem(account.id).await?.ok_or(AppError::NotFound("account"))?;
    Ok(LocalActor { account, public_key_pem })
}

/// The instance actor's document.
pub async fn instance_actor(app: &App) -> Result<serde_json::Value> {
    let key = super::remote::instance_public_key(app).await?;
    Ok(super::documents::instance_actor(app, &key))
}

/// A local post as a Note (or its Create), for anyone who may see it without signing
/// in: public and unlisted posts only.
pub async fn public_note(app: &App, username: &str, id: &str, as_create: bool) -> Result<serde_json::Value> {
    let account = find_visible_local_account(app, username).await?;
    let id: domain::Id = id.parse().map_err(|_| AppError::NotFound("status"))?;
    let status = crate::statuses::get_status(app, None, id).await?;
    if status.account_id != account.id || status.reblog_of_id.is_some() {
        return Err(AppError::NotFound("status"));
    }
    let mut note = super::documents::note(app, &status).await?;
    if as_create {
        return Ok(super::documents::create(note));
    }
    note["@context"] = super::documents::context();
    Ok(note)
}
