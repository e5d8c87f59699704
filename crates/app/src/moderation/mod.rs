//! Server policy and moderation: how this server treats other servers
//! (`domain_blocks`, `domain_allows`, enforced through `policy`), its rules, and the
//! log of every moderator action.

pub mod accounts;
pub mod blocklists;
pub mod domain_allows;
pub mod domain_blocks;
pub mod email_domain_blocks;
pub mod policy;
pub mod reports;
pub mod rules;
pub mod statuses;

use domain::{Account, Id, Role};
use store::LoggedAction;

use crate::{App, AppError, Result, now_millis};

pub use policy::DomainPolicy;

/// Who takes a moderation action: the operator at the command line, or a staff member
/// through the API or the web interface.
#[derive(Debug, Clone, Copy)]
pub enum Moderator<'a> {
    Operator,
    Staff(&'a Account, Role),
}

impl Moderator<'_> {
    /// The acting account; none for the operator.
    pub fn account_id(&self) -> Option<Id> {
        match self {
            Moderator::Operator => None,
            Moderator::Staff(account, _) => Some(account.id),
        }
    }

    /// The acting account (none for the operator), if its role is at least `needed`.
    pub(crate) fn require(&self, needed: Role) -> Result<Option<Id>> {
        match self {
            Moderator::Operator => Ok(None),
            Moderator::Staff(account, role) if *role >= needed => Ok(Some(account.id)),
            Moderator::Staff(..) => Err(AppError::Forbidden("this needs a moderator or admin")),
        }
    }
}

/// Records what a moderator did, as Mastodon's audit log: an action on a target.
pub(crate) async fn log(app: &App, by: Option<Id>, action: &str, target_type: &str, target: &str) -> Result<()> {
    let entry = LoggedAction {
        id: app.ids().next(),
        account_id: by,
        action: action.to_owned(),
        target_type: target_type.to_owned(),
        target: target.to_owned(),
        created_at: now_millis(),
    };
    Ok(app.store().insert_logged_action(&entry).await?)
}

/// The most recent moderator actions, for moderators.
pub async fn list_log(app: &App, by: Moderator<'_>, limit: u32) -> Result<Vec<LoggedAction>> {
    by.require(Role::Moderator)?;
    Ok(app.store().list_logged_actions(limit.clamp(1, 1000)).await?)
}
