//! The allowlist of limited federation mode: the only domains (with their subdomains)
//! a server in that mode federates with.

use domain::{Id, Role, UnixMillis, ValidationError, normalize_domain};

use super::domain_blocks::sever_domain;
use super::{Moderator, log, policy};
use crate::{App, AppError, Result, now_millis};

/// An allowed domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainAllow {
    pub id: Id,
    pub domain: String,
    pub created_at: UnixMillis,
}

/// Allows `domain` (admins only); allowing it again is an error.
pub async fn allow_domain(app: &App, by: Moderator<'_>, domain: &str) -> Result<DomainAllow> {
    let actor = by.require(Role::Admin)?;
    let domain = normalize_domain(domain)?;
    let allow = DomainAllow { id: app.ids().next(), domain, created_at: now_millis() };
    app.store().insert_domain_allow(allow.id, &allow.domain, allow.created_at).await.map_err(|e| match e {
        store::StoreError::Conflict(_) => ValidationError::field("domain", "ERR_TAKEN", "is already allowed").into(),
        other => AppError::from(other),
    })?;
    log(app, actor, "create", "DomainAllow", &allow.domain).await?;
    policy::forget(app);
    Ok(allow)
}

/// Takes a domain off the allowlist (admins only). In limited federation mode that ends
/// federation with it, as a suspension would.
pub async fn disallow_domain(app: &App, by: Moderator<'_>, id: Id) -> Result<DomainAllow> {
    let actor = by.require(Role::Admin)?;
    let allow = find(app, id).await?;
    app.store().delete_domain_allow(id).await?.ok_or(AppError::NotFound("domain allow"))?;
    log(app, actor, "destroy", "DomainAllow", &allow.domain).await?;
    policy::forget(app);
    if app.config().limited_federation && policy::current(app).await?.refuses(&allow.domain) {
        sever_domain(app, &allow.domain).await?;
    }
    Ok(allow)
}

pub async fn list_domain_allows(app: &App, by: Moderator<'_>) -> Result<Vec<DomainAllow>> {
    by.require(Role::Admin)?;
    Ok(app
        .store()
        .list_domain_allows()
        .await?
        .into_iter()
        .map(|(id, domain, created_at)| DomainAllow { id, domain, created_at })
        .collect())
}

pub async fn get_domain_allow(app: &App, by: Moderator<'_>, id: Id) -> Result<DomainAllow> {
    by.require(Role::Admin)?;
    find(app, id).await
}

async fn find(app: &App, id: Id) -> Result<DomainAllow> {
    let allows = app.store().list_domain_allows().await?;
    let (id, domain, created_at) =
        allows.into_iter().find(|(allowed, ..)| *allowed == id).ok_or(AppError::NotFound("domain allow"))?;
    Ok(DomainAllow { id, domain, created_at })
}
