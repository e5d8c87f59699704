//! Blocking: a block ends follows both ways (and pending requests), keeps the blocked
//! account from following again, and is told to the blocked account's server.

use domain::{Account, Id, Page, Role};
use store::Relationship;

use crate::follows::relationship;
use crate::{App, AppError, Event, Result, now_millis};

/// `actor` blocks `target_id`. Blocking again changes nothing.
pub async fn block(app: &App, actor: &Account, target_id: Id) -> Result<Relationship> {
    if actor.id == target_id {
        return Err(AppError::Forbidden("cannot block oneself"));
    }
    let target = app.store().find_account_by_id(target_id).await?.ok_or(AppError::NotFound("account"))?;
    let id = app.ids().next();
    let uri = format!("{}/blocks/{id}", app.config().base_url());
    if app.store().insert_block(id, actor.id, target.id, &uri, now_millis()).await? {
        sever_follows(app, actor, &target).await?;
        app.emit(Event::Blocked { account_id: actor.id, target_id: target.id, uri }).await?;
    }
    relationship(app, actor.id, target.id).await
}

/// Ends every follow and follow request between the two, telling whoever must hear.
async fn sever_follows(app: &App, actor: &Account, target: &Account) -> Result<()> {
    let store = app.store();
    let follow_uri = store.find_follow_uri(actor.id, target.id).await?;
    let was_following = store.is_following(actor.id, target.id).await?;
    store.delete_follow(actor.id, target.id).await?;
    if was_following | store.delete_follow_request(actor.id, target.id).await? {
        app.emit(Event::Unfollowed { account_id: actor.id, target_id: target.id, follow_uri }).await?;
    }
    let their_follow_uri = store.find_follow_uri(target.id, actor.id).await?;
    let was_followed = store.is_following(target.id, actor.id).await?;
    store.delete_follow(target.id, actor.id).await?;
    if was_followed | store.delete_follow_request(target.id, actor.id).await? {
        store.delete_notifications_about(actor.id, target.id, "follow_request", None).await?;
        let event =
            Event::FollowerRemoved { account_id: actor.id, follower_id: target.id, follow_uri: their_follow_uri };
        app.emit(event).await?;
    }
    Ok(())
}

pub async fn unblock(app: &App, actor: &Account, target_id: Id) -> Result<Relationship> {
    app.store().find_account_by_id(target_id).await?.ok_or(AppError::NotFound("account"))?;
    if let Some(uri) = app.store().delete_block(actor.id, target_id).await? {
        app.emit(Event::Unblocked { account_id: actor.id, target_id, uri }).await?;
    }
    relationship(app, actor.id, target_id).await
}

/// A page of the accounts `actor` blocks.
pub async fn list_blocks(app: &App, actor: &Account, page: &Page) -> Result<Vec<(Id, Account, Option<Role>)>> {
    Ok(app.store().list_blocked_accounts(actor.id, page).await?)
}

/// A remote actor blocks a local account: follows between them end, quietly (the
/// blocker's server has ended them on its side).
pub(crate) async fn blocked_by_remote(app: &App, blocker: &Account, target: &Account, uri: &str) -> Result<()> {
    let store = app.store();
    for (from, to) in [(blocker.id, target.id), (target.id, blocker.id)] {
        store.delete_follow(from, to).await?;
        store.delete_follow_request(from, to).await?;
    }
    store.insert_block(app.ids().next(), blocker.id, target.id, uri, now_millis()).await?;
    Ok(())
}
