//! Following and unfollowing local accounts.

use domain::{Account, Id, Page, Role};
use store::Relationship;

use crate::{App, AppError, Event, Result, now_millis};

/// Follows `target_id` (a local account; remote follows come with federation).
pub async fn follow(app: &App, actor: &Account, target_id: Id) -> Result<Relationship> {
    if actor.id == target_id {
        return Err(AppError::Forbidden("cannot follow oneself"));
    }
    let target = app.store().find_account_by_id(target_id).await?.ok_or(AppError::NotFound("account"))?;
    if app.store().is_blocked_either_way(actor.id, target.id).await? {
        return Err(AppError::Forbidden("a block stands between these accounts"));
    }
    if !target.is_local() {
        // Another server decides; until its Accept arrives the follow is a request.
        if !app.store().is_following(actor.id, target.id).await? {
            let request_id = app.ids().next();
            if app.store().insert_follow_request(request_id, actor.id, target.id, now_millis()).await? {
                let uri = format!("{}/follows/{request_id}", app.config().base_url());
                app.store().update_follow_uri(actor.id, target.id, &uri).await?;
                app.emit(Event::FollowRequested { account_id: actor.id, target_id: target.id }).await?;
            }
        }
        return relationship(app, actor.id, target.id).await;
    }
    if target.locked && !app.store().is_following(actor.id, target.id).await? {
        if app.store().insert_follow_request(app.ids().next(), actor.id, target.id, now_millis()).await? {
            app.emit(Event::FollowRequested { account_id: actor.id, target_id: target.id }).await?;
        }
    } else {
        if app.store().insert_follow(app.ids().next(), actor.id, target.id, now_millis()).await? {
            app.emit(Event::Followed { account_id: actor.id, target_id: target.id }).await?;
        }
    }
    relationship(app, actor.id, target.id).await
}

pub async fn unfollow(app: &App, actor: &Account, target_id: Id) -> Result<Relationship> {
    app.store().find_account_by_id(target_id).await?.ok_or(AppError::NotFound("account"))?;
    let follow_uri = app.store().find_follow_uri(actor.id, target_id).await?;
    app.store().delete_follow(actor.id, target_id).await?;
    app.store().delete_follow_request(actor.id, target_id).await?;
    app.emit(Event::Unfollowed { account_id: actor.id, target_id, follow_uri }).await?;
    relationship(app, actor.id, target_id).await
}

pub(crate) async fn relationship(app: &App, account_id: Id, other: Id) -> Result<Relationship> {
    let found = app.store().list_relationships(account_id, &[other]).await?;
    let mut found = with_requests(app, account_id, &[other], found).await?;
    Ok(found.pop().unwrap_or_default())
}

async fn with_requests(
    app: &App,
    account_id: Id,
    others: &[Id],
    mut found: Vec<Relationship>,
) -> Result<Vec<Relationship>> {
    let (sent, received) = app.store().list_pending_requests(account_id, others).await?;
    let notes = app.store().list_account_notes(account_id, others).await?;
    let muted = crate::mutes::muted_by(app, account_id).await?;
    let accounts = if muted.domains.is_empty() { Vec::new() } else { app.store().list_accounts(others).await? };
    for (id, r) in others.iter().zip(found.iter_mut()) {
        r.muting = muted.accounts.contains(id);
        r.muting_notifications = muted.notifications.contains(id);
        let domain = accounts.iter().find(|r| r.0.id == *id).and_then(|r| r.0.domain.as_deref());
        r.domain_blocking = crate::mutes::domain_blocked(&muted, domain);
        r.requested = sent.contains(id);
        r.requested_by = received.contains(id);
        r.note = notes.iter().find(|(target, _)| target == id).map(|(_, n)| n.clone()).unwrap_or_default();
    }
    Ok(found)
}

/// A page of the accounts asking to follow `actor`.
pub async fn list_requests(app: &App, actor: &Account, page: &Page) -> Result<Vec<(Id, Account, Option<Role>)>> {
    Ok(app.store().list_follow_requests(actor.id, page).await?)
}

/// Accepts (or turns down) `requester`'s request to follow `actor`.
pub async fn answer_request(app: &App, actor: &Account, requester: Id, accept: bool) -> Result<Relationship> {
    // A remote requester's Follow id, which the Accept or Reject sent back names.
    let follow_uri = app.store().find_follow_uri(requester, actor.id).await?;
    if !app.store().delete_follow_request(requester, actor.id).await? {
        return Err(AppError::NotFound("follow request"));
    }
    app.store().delete_notifications_about(actor.id, requester, "follow_request", None).await?;
    if accept {
        app.store().insert_follow(app.ids().next(), requester, actor.id, now_millis()).await?;
        if let Some(uri) = &follow_uri {
            app.store().update_follow_uri(requester, actor.id, uri).await?;
        }
        app.emit(Event::FollowRequestAuthorized { account_id: requester, target_id: actor.id }).await?;
    } else {
        app.emit(Event::FollowRequestRejected { account_id: requester, target_id: actor.id }).await?;
    }
    relationship(app, actor.id, requester).await
}

/// Sets `actor`'s private note on `target_id` (empty removes it).
pub async fn set_note(app: &App, actor: &Account, target_id: Id, comment: &str) -> Result<Relationship> {
    app.store().find_account_by_id(target_id).await?.ok_or(AppError::NotFound("account"))?;
    if comment.chars().count() > 2000 {
        return Err(domain::ValidationError::field(
            "comment",
            "ERR_TOO_LONG",
            "is too long (maximum is 2000 characters)",
        )
        .into());
    }
    app.store().upsert_account_note(actor.id, target_id, comment.trim()).await?;
    relationship(app, actor.id, target_id).await
}

/// Makes `follower` stop following `actor`; a remote follower's server is told.
pub async fn remove_follower(app: &App, actor: &Account, follower: Id) -> Result<Relationship> {
    if app.store().is_following(follower, actor.id).await? {
        let follow_uri = app.store().find_follow_uri(follower, actor.id).await?;
        app.store().delete_follow(follower, actor.id).await?;
        app.emit(Event::FollowerRemoved { account_id: actor.id, follower_id: follower, follow_uri }).await?;
    }
    relationship(app, actor.id, follower).await
}

/// How `account_id` relates to each of `others` that exists, in order.
pub async fn relationships(app: &App, account_id: Id, others: &[Id]) -> Result<Vec<(Id, Relationship)>> {
    let existing: Vec<Id> = app.store().list_accounts(others).await?.iter().map(|r| r.0.id).collect();
    let wanted: Vec<Id> = others.iter().copied().filter(|id| existing.contains(id)).collect();
    let found = app.store().list_relationships(account_id, &wanted).await?;
    let found = with_requests(app, account_id, &wanted, found).await?;
    Ok(wanted.into_iter().zip(found).collect())
}

/// A page of an account's followers (or, `followers` false, of whom it follows).
pub async fn list_follows(
    app: &App,
    viewer: Option<Id>,
    account_id: Id,
    followers: bool,
    page: &Page,
) -> Result<Vec<(Id, Account, Option<Role>)>> {
    let account = app.store().find_account_by_id(account_id).await?.ok_or(AppError::NotFound("account"))?;
    // An account that hides its follows shows them to itself only.
    if account.hide_collections && viewer != Some(account.id) {
        return Ok(Vec::new());
    }
    Ok(app.store().list_follow_accounts(account_id, followers, page).await?)
}

/// For each of `targets`, the accounts `viewer` follows that follow it too.
pub async fn familiar_followers(
    app: &App,
    viewer: &Account,
    targets: &[Id],
) -> Result<Vec<(Id, Vec<(Account, Option<Role>)>)>> {
    let mut out = Vec::new();
    for target in targets {
        let familiar = app.store().list_familiar_followers(viewer.id, *target).await?;
        out.push((*target, familiar.into_iter().map(std::sync::Arc::unwrap_or_clone).collect()));
    }
    Ok(out)
}
