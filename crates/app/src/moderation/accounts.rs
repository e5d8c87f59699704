//! Moderating accounts, local or remote, as Mastodon's admins do: mark media sensitive,
//! disable sign-in, silence ("limit": off public timelines, out of strangers'
//! notifications), suspend (a local account cannot sign in and is deleted from the
//! network; a remote one has nothing accepted; both vanish from view here), and undo.

use domain::{Account, AccountModeration, Id, LocalUser, Page, Role, ValidationError};
use serde_json::json;
use store::AccountFilter;

use super::reports::{ReportChange, change_report};
use super::{Moderator, log};
use crate::federation::outbox;
use crate::{App, AppError, Result, now_millis};

/// What `POST /api/v1/admin/accounts/:id/action` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAction {
    /// Nothing but resolving the report, if one is named.
    None,
    Sensitive,
    Disable,
    Silence,
    Suspend,
}

impl AccountAction {
    pub fn parse(input: &str) -> Result<Self> {
        match input {
            "none" => Ok(Self::None),
            "sensitive" => Ok(Self::Sensitive),
            "disable" => Ok(Self::Disable),
            "silence" => Ok(Self::Silence),
            "suspend" => Ok(Self::Suspend),
            _ => Err(ValidationError::field("type", "ERR_INCLUSION", "is not included in the list").into()),
        }
    }
}

/// What undoing lifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lift {
    Unsensitive,
    Enable,
    Unsilence,
    Unsuspend,
}

/// Acts on an account (moderators), resolving `report_id` if given; logged.
pub async fn act(
    app: &App,
    by: Moderator<'_>,
    target_id: Id,
    action: AccountAction,
    report_id: Option<Id>,
) -> Result<()> {
    let actor = by.require(Role::Moderator)?;
    let (target, user) = target_of(app, by, target_id).await?;
    if action == AccountAction::Disable && user.is_none() {
        return Err(ValidationError::field("type", "ERR_INVALID", "disable applies to local accounts only").into());
    }
    if let Some(report) = report_id {
        // Named but missing is an error before anything changes.
        super::reports::get_report(app, by, report).await?;
    }
    let now = now_millis();
    let mut marks = target.moderation;
    match action {
        AccountAction::None => {}
        AccountAction::Sensitive => marks.sensitized_at = Some(now),
        AccountAction::Disable => marks.disabled_at = Some(now),
        AccountAction::Silence => marks.silenced_at = Some(now),
        AccountAction::Suspend => marks.suspended_at = Some(now),
    }
    if action == AccountAction::Suspend && target.moderation.suspended_at.is_none() {
        remove_from_network(app, &target).await?;
    }
    app.store().update_account_moderation(target.id, &marks).await?;
    let name = match action {
        AccountAction::None => "none",
        AccountAction::Sensitive => "sensitive",
        AccountAction::Disable => "disable",
        AccountAction::Silence => "silence",
        AccountAction::Suspend => "suspend",
    };
    log(app, actor, name, "Account", &acct(&target)).await?;
    if let Some(report) = report_id {
        change_report(app, by, report, ReportChange::Resolve).await?;
    }
    Ok(())
}

/// Lifts a mark (moderators); logged. Returns the account as it is now.
pub async fn lift(app: &App, by: Moderator<'_>, target_id: Id, what: Lift) -> Result<(Account, Option<LocalUser>)> {
    let actor = by.require(Role::Moderator)?;
    let (target, _) = target_of(app, by, target_id).await?;
    let mut marks: AccountModeration = target.moderation;
    let (mark, name) = match what {
        Lift::Unsensitive => (&mut marks.sensitized_at, "unsensitive"),
        Lift::Enable => (&mut marks.disabled_at, "enable"),
        Lift::Unsilence => (&mut marks.silenced_at, "unsilence"),
        Lift::Unsuspend => (&mut marks.suspended_at, "unsuspend"),
    };
    *mark = None;
    app.store().update_account_moderation(target.id, &marks).await?;
    log(app, actor, name, "Account", &acct(&target)).await?;
    get_account(app, by, target.id).await
}

/// The account, with its user when local; staff may act only on those below them.
async fn target_of(app: &App, by: Moderator<'_>, id: Id) -> Result<(Account, Option<LocalUser>)> {
    let found = match app.store().find_local_user_by_account_id(id).await? {
        Some((account, user)) => (account, Some(user)),
        None => (app.store().find_account_by_id(id).await?.ok_or(AppError::NotFound("account"))?, None),
    };
    if let (Moderator::Staff(_, role), Some(user)) = (by, &found.1)
        && user.role >= role
    {
        return Err(AppError::Forbidden("staff act only on accounts below their role"));
    }
    Ok(found)
}

/// Ends every follow of a suspended account; a local one is deleted, with a Delete of
/// its actor, on its followers' servers (their inboxes read before the follows end).
async fn remove_from_network(app: &App, target: &Account) -> Result<()> {
    if target.is_local() {
        let inboxes = outbox::follower_inboxes(app, target).await?;
        let uri = format!("{}/users/{}", app.config().base_url(), target.username);
        let delete = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{uri}#delete"),
            "type": "Delete",
            "actor": uri,
            "object": uri,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        });
        outbox::enqueue(app, target, &delete, inboxes).await?;
    }
    let store = app.store();
    for (follower, followed) in store.list_follow_pairs_of(target.id).await? {
        store.delete_follow(follower, followed).await?;
        store.delete_follow_request(follower, followed).await?;
    }
    Ok(())
}

fn acct(account: &Account) -> String {
    match &account.domain {
        Some(domain) => format!("{}@{domain}", account.username),
        None => account.username.clone(),
    }
}

/// A page of accounts for moderators.
pub async fn list_accounts(
    app: &App,
    by: Moderator<'_>,
    filter: &AccountFilter,
    page: &Page,
) -> Result<Vec<(Account, Option<LocalUser>)>> {
    by.require(Role::Moderator)?;
    Ok(app.store().list_admin_accounts(filter, page).await?)
}

pub async fn get_account(app: &App, by: Moderator<'_>, id: Id) -> Result<(Account, Option<LocalUser>)> {
    by.require(Role::Moderator)?;
    match app.store().find_local_user_by_account_id(id).await? {
        Some((account, user)) => Ok((account, Some(user))),
        None => Ok((app.store().find_account_by_id(id).await?.ok_or(AppError::NotFound("account"))?, None)),
    }
}

/// The account `user` (local) or `user@domain` (remote) names, as the command line does.
pub async fn find_by_acct(app: &App, by: Moderator<'_>, acct: &str) -> Result<Id> {
    by.require(Role::Moderator)?;
    let found = match acct.trim_start_matches('@').split_once('@') {
        Some((user, domain)) if !domain.eq_ignore_ascii_case(&app.config().domain) => {
            app.store().find_remote_account(user, domain).await?
        }
        Some((user, _)) => app.store().find_local_user_by_username(user).await?.map(|(a, _)| a),
        None => app.store().find_local_user_by_username(acct.trim_start_matches('@')).await?.map(|(a, _)| a),
    };
    found.map(|a| a.id).ok_or(AppError::NotFound("account"))
}
