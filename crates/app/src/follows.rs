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
    if !target.is_local() {
        return Err(AppError::Unavailable("following remote accounts is not available yet"));
    }
    app.store().insert_follow(app.ids().next(), actor.id, target.id, now_millis()).await?;
    app.emit(Event::Followed { account_id: actor.id, target_id: target.id }).await?;
    relationship(app, actor.id, target.id).await
}

pub async fn unfollow(app: &App, actor: &Account, target_id: Id) -> Result<Relationship> {
    app.store().find_account_by_id(target_id).await?.ok_or(AppError::NotFound("account"))?;
    app.store().delete_follow(actor.id, target_id).await?;
    app.emit(Event::Unfollowed { account_id: actor.id, target_id }).await?;
    relationship(app, actor.id, target_id).await
}

async fn relationship(app: &App, account_id: Id, other: Id) -> Result<Relationship> {
    Ok(app.store().list_relationships(account_id, &[other]).await?[0])
}

/// How `account_id` relates to each of `others` that exists, in order.
pub async fn relationships(app: &App, account_id: Id, others: &[Id]) -> Result<Vec<(Id, Relationship)>> {
    let existing: Vec<Id> = app.store().list_accounts(others).await?.iter().map(|(a, _)| a.id).collect();
    let wanted: Vec<Id> = others.iter().copied().filter(|id| existing.contains(id)).collect();
    let found = app.store().list_relationships(account_id, &wanted).await?;
    Ok(wanted.into_iter().zip(found).collect())
}

/// A page of an account's followers (or, `followers` false, of whom it follows).
pub async fn list_follows(
    app: &App,
    account_id: Id,
    followers: bool,
    page: &Page,
) -> Result<Vec<(Id, Account, Option<Role>)>> {
    app.store().find_account_by_id(account_id).await?.ok_or(AppError::NotFound("account"))?;
    Ok(app.store().list_follow_accounts(account_id, followers, page).await?)
}
