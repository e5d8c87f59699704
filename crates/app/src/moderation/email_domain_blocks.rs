//! E-mail domains nobody may sign up with (disposable addresses, spam sources), with
//! their subdomains, as Mastodon's admins block them.

use domain::{Id, Role, UnixMillis, ValidationError, domain_covers, normalize_domain};

use super::{Moderator, log};
use crate::{App, AppError, Result, now_millis};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailDomainBlock {
    pub id: Id,
    pub domain: String,
    pub created_at: UnixMillis,
}

/// Blocks sign-ups from an e-mail domain (admins only).
pub async fn block_email_domain(app: &App, by: Moderator<'_>, domain: &str) -> Result<EmailDomainBlock> {
    let actor = by.require(Role::Admin)?;
    let domain = normalize_domain(domain)?;
    let block = EmailDomainBlock { id: app.ids().next(), domain, created_at: now_millis() };
    app.store().insert_email_domain_block(block.id, &block.domain, block.created_at).await.map_err(|e| match e {
        store::StoreError::Conflict(_) => ValidationError::field("domain", "ERR_TAKEN", "is already blocked").into(),
        other => AppError::from(other),
    })?;
    log(app, actor, "create", "EmailDomainBlock", &block.domain).await?;
    Ok(block)
}

pub async fn unblock_email_domain(app: &App, by: Moderator<'_>, id: Id) -> Result<EmailDomainBlock> {
    let actor = by.require(Role::Admin)?;
    let block = get_email_domain_block(app, by, id).await?;
    app.store().delete_email_domain_block(id).await?;
    log(app, actor, "destroy", "EmailDomainBlock", &block.domain).await?;
    Ok(block)
}

pub async fn list_email_domain_blocks(app: &App, by: Moderator<'_>) -> Result<Vec<EmailDomainBlock>> {
    by.require(Role::Admin)?;
    all(app).await
}

pub async fn get_email_domain_block(app: &App, by: Moderator<'_>, id: Id) -> Result<EmailDomainBlock> {
    by.require(Role::Admin)?;
    all(app).await?.into_iter().find(|b| b.id == id).ok_or(AppError::NotFound("e-mail domain block"))
}

async fn all(app: &App) -> Result<Vec<EmailDomainBlock>> {
    let rows = app.store().list_email_domain_blocks().await?;
    Ok(rows.into_iter().map(|(id, domain, created_at)| EmailDomainBlock { id, domain, created_at }).collect())
}

/// Refuses an address on a blocked e-mail domain, as Mastodon's sign-up does.
pub(crate) async fn check_email(app: &App, email: &str) -> Result<()> {
    let Some((_, host)) = email.trim().rsplit_once('@') else { return Ok(()) };
    let host = host.to_ascii_lowercase();
    if all(app).await?.iter().any(|b| domain_covers(&b.domain, &host)) {
        return Err(ValidationError::field("email", "ERR_BLOCKED", "is not allowed").into());
    }
    Ok(())
}
