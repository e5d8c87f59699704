//! What each person chose not to see: muted accounts (for a while or for good, with or
//! without their notifications) and domains they block. Unlike a block, a mute is
//! private: nothing is sent anywhere. Blocking a domain also ends follows with it.

use std::sync::Arc;

use domain::{Account, Id, Page, Role, Status, ValidationError, domain_covers, normalize_domain};
use store::{Muted, Relationship};

use crate::follows::relationship;
use crate::{App, AppError, Result, now_millis};

/// Mastodon's longest mute, in seconds (about 68 years, its column's limit).
const MAX_MUTE_SECONDS: i64 = i32::MAX as i64;

/// `actor` mutes `target_id`, with its notifications or not, for `duration_seconds`
/// (0 or none: until unmuted). Muting again replaces the settings.
pub async fn mute(
    app: &App,
    actor: &Account,
    target_id: Id,
    notifications: bool,
    duration_seconds: Option<i64>,
) -> Result<Relationship> {
    if actor.id == target_id {
        return Err(AppError::Forbidden("cannot mute oneself"));
    }
    app.store().find_account_by_id(target_id).await?.ok_or(AppError::NotFound("account"))?;
    let now = now_millis();
    let expires_at = match duration_seconds.unwrap_or(0) {
        0 => None,
        s if (1..=MAX_MUTE_SECONDS).contains(&s) => Some(now + s * 1000),
        _ => {
            return Err(
                ValidationError::field("duration", "ERR_INVALID", "must be a positive number of seconds").into()
            );
        }
    };
    app.store().upsert_mute(app.ids().next(), (actor.id, target_id), notifications, expires_at, now).await?;
    relationship(app, actor.id, target_id).await
}

pub async fn unmute(app: &App, actor: &Account, target_id: Id) -> Result<Relationship> {
    app.store().find_account_by_id(target_id).await?.ok_or(AppError::NotFound("account"))?;
    app.store().delete_mute(actor.id, target_id).await?;
    relationship(app, actor.id, target_id).await
}

/// A page of the accounts `actor` mutes.
/// A page of the accounts `actor` mutes, each with when its mute ends (never: `None`).
pub async fn list_mutes(
    app: &App,
    actor: &Account,
    page: &Page,
) -> Result<Vec<(Id, Account, Option<Role>, Option<domain::UnixMillis>)>> {
    Ok(app.store().list_muted_accounts(actor.id, now_millis(), page).await?)
}

/// `actor` blocks a whole domain: its posts and notifications are hidden, and follows
/// both ways with its accounts end (told to their server, as Mastodon does).
pub async fn block_domain(app: &App, actor: &Account, domain: &str) -> Result<()> {
    let domain = normalize_domain(domain)?;
    if domain == app.config().domain.to_ascii_lowercase() {
        return Err(ValidationError::field("domain", "ERR_INVALID", "is this server's own domain").into());
    }
    if !app.store().insert_account_domain_block(app.ids().next(), actor.id, &domain, now_millis()).await? {
        return Ok(());
    }
    let (following, followers) = app.store().list_follows_with_domain(actor.id, &domain).await?;
    for followed in following {
        crate::follows::unfollow(app, actor, followed).await?;
    }
    for follower in followers {
        crate::follows::remove_follower(app, actor, follower).await?;
    }
    Ok(app.store().delete_notifications_from_domain_for(actor.id, &domain).await?)
}

pub async fn unblock_domain(app: &App, actor: &Account, domain: &str) -> Result<()> {
    let domain = normalize_domain(domain)?;
    app.store().delete_account_domain_block(actor.id, &domain).await?;
    Ok(())
}

/// A page of the domains `actor` blocks, with the ids they are paged by.
pub async fn list_domain_blocks(app: &App, actor: &Account, page: &Page) -> Result<Vec<(Id, String)>> {
    Ok(app.store().list_account_domain_blocks(actor.id, page).await?)
}

/// What `viewer` has muted and the domains it blocks.
pub(crate) async fn muted_by(app: &App, viewer: Id) -> Result<Muted> {
    Ok(app.store().find_muted(viewer, now_millis()).await?)
}

/// Whether an account is on a domain that `muted` blocks.
pub(crate) fn domain_blocked(muted: &Muted, account_domain: Option<&str>) -> bool {
    account_domain.is_some_and(|host| muted.domains.iter().any(|d| domain_covers(d, host)))
}

/// Whether a post stays out of the lists its muter reads (home, public timelines,
/// threads): its author or booster is muted, or on a blocked domain.
pub(crate) fn hides(muted: &Muted, status: &Status, original: Option<&Status>, viewer: Id) -> bool {
    let hidden = |s: &Status| {
        s.account_id != viewer
            && (muted.accounts.contains(&s.account_id)
                || (!s.local && domain_blocked(muted, crate::federation::remote::authority(&s.uri).as_deref())))
    };
    hidden(status) || original.is_some_and(hidden)
}

/// `statuses` without those [`hides`] leaves out for `viewer`.
pub(crate) async fn without_muted(
    app: &App,
    viewer: Option<Id>,
    statuses: Vec<Arc<Status>>,
) -> Result<Vec<Arc<Status>>> {
    let Some(viewer) = viewer else { return Ok(statuses) };
    let muted = muted_by(app, viewer).await?;
    if muted == Muted::default() {
        return Ok(statuses);
    }
    let original_ids: Vec<Id> = statuses.iter().filter_map(|s| s.reblog_of_id).collect();
    let originals = app.store().list_statuses(&original_ids).await?;
    Ok(statuses
        .into_iter()
        .filter(|s| {
            let original = s.reblog_of_id.and_then(|id| originals.iter().find(|o| o.id == id)).map(AsRef::as_ref);
            !hides(&muted, s, original, viewer)
        })
        .collect())
}
