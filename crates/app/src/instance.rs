//! What the server says about itself to apps and other servers.

use domain::{Account, LocalUser, Role};
use store::InstanceCounts;

use crate::{App, Result, now_millis};

const ACTIVE_WINDOW_MILLIS: i64 = 30 * 24 * 60 * 60 * 1000;

/// A server rule people agree to at sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    pub text: String,
    pub hint: String,
}

/// The live facts behind `/api/v1/instance`, `/api/v2/instance` and NodeInfo.
#[derive(Debug, Clone)]
pub struct InstanceInfo {
    pub counts: InstanceCounts,
    /// The contact account and its user (for the role badge).
    pub contact_account: Option<(Account, LocalUser)>,
    pub rules: Vec<Rule>,
}

pub async fn describe_instance(app: &App) -> Result<InstanceInfo> {
    let counts = app.store().count_instance(now_millis() - ACTIVE_WINDOW_MILLIS).await?;
    let contact_account = match &app.config().instance.contact_username {
        Some(username) => app.store().find_local_user_by_username(username).await?,
        // Mastodon leaves this to the admins; the oldest admin is who they would pick, and
        // apps such as megalodon cannot read a v1 instance whose contact is missing.
        None => match app.store().find_oldest_local_user_with_role(Role::Admin).await? {
            Some(admin) => Some(admin),
            // A server without admins still has someone to show; only an empty server
            // has no contact (megalodon cannot read a v1 instance without one).
            None => app.store().list_local_users().await?.into_iter().next(),
        },
    };
    let rules = rules(app).await?;
    Ok(InstanceInfo { counts, contact_account, rules })
}

/// The server's rules, as `/api/v1/instance/rules` and the instance documents list them.
pub async fn rules(app: &App) -> Result<Vec<Rule>> {
    let stored = crate::moderation::rules::list_rules(app).await?;
    Ok(stored.into_iter().map(|r| Rule { id: r.id.to_string(), text: r.text, hint: r.hint }).collect())
}

/// Whether the server can do its work: today, whether the database answers.
pub async fn check_health(app: &App) -> Result<()> {
    Ok(app.store().ping().await?)
}

/// What the about page shows: the server's facts and rules, and the blocked domains it
/// publishes to everyone (none unless `show_domain_blocks` is `all`).
pub async fn about(app: &App) -> Result<(InstanceInfo, Vec<domain::DomainBlock>)> {
    let info = describe_instance(app).await?;
    let blocks = match crate::moderation::domain_blocks::published_domain_blocks(app, false).await {
        Ok(blocks) => blocks,
        Err(crate::AppError::NotFound(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    Ok((info, blocks))
}
