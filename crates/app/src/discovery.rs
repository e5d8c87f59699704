//! How other servers find this one and its accounts: WebFinger and NodeInfo.

use domain::Account;

use crate::{App, AppError, Result, now_millis};

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// What a WebFinger `resource` names, once understood.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resource {
    /// `acct:user@domain` (or without `acct:`, as Mastodon also accepts).
    Acct { username: String, domain: String },
    /// An account's actor id or profile page URL.
    Url(String),
}

fn parse_resource(resource: &str) -> Result<Resource> {
    let resource = resource.trim();
    if resource.starts_with("https://") || resource.starts_with("http://") {
        return Ok(Resource::Url(resource.to_owned()));
    }
    let acct = resource.strip_prefix("acct:").unwrap_or(resource);
    let acct = acct.strip_prefix('@').unwrap_or(acct);
    match acct.split_once('@') {
        Some((username, domain)) if !username.is_empty() && !domain.is_empty() && !domain.contains('@') => {
            Ok(Resource::Acct { username: username.to_owned(), domain: domain.to_owned() })
        }
        _ => Err(AppError::BadRequest("resource must be acct:user@domain or an account URL".into())),
    }
}

/// What a WebFinger resource found.
#[derive(Debug, Clone)]
pub enum WebfingerSubject {
    Account(Box<Account>),
    /// The instance actor, `acct:DOMAIN@DOMAIN` as on Mastodon.
    InstanceActor,
}

/// The local account (or the instance actor) a WebFinger resource names, if others may
/// find it (sign-ups still waiting for approval are not found).
pub async fn webfinger(app: &App, resource: &str) -> Result<WebfingerSubject> {
    let config = app.config();
    let base = config.base_url();
    let username = match parse_resource(resource)? {
        Resource::Acct { username, domain } if domain.eq_ignore_ascii_case(&config.domain) => username,
        Resource::Acct { .. } => return Err(AppError::NotFound("account")),
        Resource::Url(url) if url == format!("{base}/actor") => return Ok(WebfingerSubject::InstanceActor),
        Resource::Url(url) => {
            let path = url.strip_prefix(&base).ok_or(AppError::NotFound("account"))?;
            let name = path.strip_prefix("/users/").or_else(|| path.strip_prefix("/@"));
            name.filter(|n| !n.is_empty() && !n.contains('/')).ok_or(AppError::NotFound("account"))?.to_owned()
        }
    };
    if username.eq_ignore_ascii_case(&config.domain) {
        return Ok(WebfingerSubject::InstanceActor);
    }
    Ok(WebfingerSubject::Account(Box::new(
        crate::federation::actors::find_visible_local_account(app, &username).await?,
    )))
}

/// The figures NodeInfo publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    pub users_total: i64,
    pub active_month: i64,
    pub active_halfyear: i64,
    pub local_posts: i64,
    /// Whether people can sign up (with or without approval), as Mastodon reports it.
    pub open_registrations: bool,
    pub name: String,
    pub description: String,
}

pub async fn node_info(app: &App) -> Result<NodeInfo> {
    let now = now_millis();
    let month = app.store().count_instance(now - 30 * DAY_MILLIS).await?;
    let active_halfyear = app.store().count_active_local_users(now - 180 * DAY_MILLIS).await?;
    let instance = &app.config().instance;
    Ok(NodeInfo {
        users_total: month.local_users,
        active_month: month.active_local_users,
        active_halfyear,
        local_posts: month.local_statuses,
        open_registrations: instance.registrations.open_to_anyone(),
        name: instance.title.clone(),
        description: instance.description.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_as_mastodon_reads_them() {
        let acct = |u: &str, d: &str| Resource::Acct { username: u.into(), domain: d.into() };
        assert_eq!(parse_resource("acct:alice@social.example").unwrap(), acct("alice", "social.example"));
        assert_eq!(parse_resource("alice@127.0.0.1:8080").unwrap(), acct("alice", "127.0.0.1:8080"));
        assert_eq!(parse_resource("acct:@alice@x.example").unwrap(), acct("alice", "x.example"));
        assert_eq!(
            parse_resource("https://x.example/users/alice").unwrap(),
            Resource::Url("https://x.example/users/alice".into())
        );
        for bad in ["", "acct:", "alice", "acct:alice@", "acct:@x.example", "a@b@c"] {
            assert!(parse_resource(bad).is_err(), "{bad}");
        }
    }
}
