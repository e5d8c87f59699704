//! Finding accounts and hashtags by name.

use domain::{Account, Id, Role, Status};

use crate::federation::{ingest, remote};
use crate::{App, Result};

/// Accounts whose username or display name starts with `query` (an `@` and a local
/// domain are ignored).
pub async fn accounts(app: &App, query: &str, limit: u32, offset: u32) -> Result<Vec<(Account, Option<Role>)>> {
    let query = query.trim().trim_start_matches('@');
    let query = match query.split_once('@') {
        Some((user, domain)) if domain.eq_ignore_ascii_case(&app.config().domain) => user,
        _ => query,
    };
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let policy = crate::moderation::policy::current(app).await?;
    let mut found = app.store().search_accounts(query, limit, offset).await?;
    found.retain(|(account, _)| !refused(&policy, account));
    Ok(found)
}

/// Whether an account is suspended, or on a domain this server does not federate with.
fn refused(policy: &crate::moderation::DomainPolicy, account: &Account) -> bool {
    account.moderation.suspended_at.is_some() || account.domain.as_deref().is_some_and(|domain| policy.refuses(domain))
}

/// Hashtags in use that start with `query` (a leading `#` is ignored).
pub async fn hashtags(app: &App, query: &str, limit: u32) -> Result<Vec<String>> {
    let query = query.trim().trim_start_matches('#');
    if query.is_empty() {
        return Ok(Vec::new());
    }
    Ok(app.store().search_tags(query, limit).await?)
}

/// What `resolve=true` found on another server.
#[derive(Debug, Default)]
pub struct Resolved {
    pub account: Option<Account>,
    pub status: Option<Status>,
}

/// Looks `query` up on other servers when it is `@user@domain` or a URL: an account by
/// WebFinger, a post or account by fetching the URL. Finds nothing rather than fails.
pub async fn resolve(app: &App, viewer: Option<Id>, query: &str) -> Result<Resolved> {
    let query = query.trim();
    let mut found = Resolved::default();
    if query.starts_with("https://") || query.starts_with("http://") {
        if let Some(status) = app.store().find_status_by_uri(query).await? {
            found.status = Some(status);
        } else if let Some(account) = app.store().find_account_by_uri(query).await? {
            found.account = Some(account);
        } else if !remote::is_local_uri(app, query)
            && let Ok(object) = remote::fetch_object(app, query).await
        {
            let kind = object.get("type").and_then(serde_json::Value::as_str).unwrap_or_default();
            if matches!(kind, "Person" | "Service" | "Application" | "Group" | "Organization") {
                found.account = remote::store_actor(app, &object).await.ok();
            } else if let Some(uri) = object.get("id").and_then(serde_json::Value::as_str) {
                found.status = ingest::fetch_status(app, uri, 0).await.ok().flatten();
            }
        }
    } else if let Some((user, domain)) = query.trim_start_matches('@').split_once('@')
        && !user.is_empty()
        && !domain.is_empty()
    {
        found.account = remote::resolve_acct(app, user, domain).await.ok();
    }
    let policy = crate::moderation::policy::current(app).await?;
    found.account = found.account.filter(|account| !refused(&policy, account));
    if let Some(status) = found.status.take()
        && crate::statuses::can_see(app, viewer, &status).await?
    {
        found.status = Some(status);
    }
    Ok(found)
}
