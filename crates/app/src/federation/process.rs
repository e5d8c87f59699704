//! What a received activity does. `signer_uri` is the actor whose key signed the
//! request; an activity whose actor is someone else is taken only where the object can
//! be fetched from its own server. Each activity is processed idempotently: a repeat
//! changes nothing.

use domain::{Account, Visibility};
use serde_json::Value;

use super::actors::find_local_account_by_uri;
use super::ingest::{self, id_of};
use super::{outbox, remote};
use crate::{App, AppError, Event, Result, now_millis};

pub async fn process(app: &App, signer_uri: &str, activity: &Value) -> Result<()> {
    let signer = remote::resolve_actor(app, signer_uri).await?;
    let kind = activity.get("type").and_then(Value::as_str).unwrap_or_default();
    let actor_uri = activity.get("actor").and_then(id_of).unwrap_or_default();
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    if actor_uri != signer_uri {
        // Forwarded or relayed: believe only what the object's own server serves.
        return match kind {
            "Create" | "Update" => match id_of(&object) {
                Some(uri) if !remote::is_local_uri(app, uri) => ingest::fetch_status(app, uri, 0).await.map(|_| ()),
                _ => Ok(()),
            },
            _ => Ok(()),
        };
    }
    match kind {
        "Follow" => follow(app, &signer, &object, activity).await,
        "Accept" => accept(app, &signer, &object).await,
        "Reject" => reject(app, &signer, &object).await,
        "Undo" => undo(app, &signer, &object).await,
        "Create" => {
            let object = embedded_or_fetched(app, &object).await?;
            ingest::ingest_note(app, &signer, &object).await.map(|_| ())
        }
        "Update" => {
            let object = embedded_or_fetched(app, &object).await?;
            match object.get("type").and_then(Value::as_str) {
                Some("Person" | "Service" | "Application" | "Group" | "Organization") => {
                    if id_of(&object) != Some(signer_uri) {
                        return Err(AppError::Forbidden("an actor may update only itself"));
                    }
                    let account = remote::store_actor(app, &object).await?;
                    app.emit(Event::ProfileUpdated { account_id: account.id }).await
                }
                _ => ingest::update_note(app, &signer, &object).await,
            }
        }
        "Delete" => delete(app, &signer, &object).await,
        "Like" => like(app, &signer, &object, activity).await,
        "Flag" => crate::moderation::reports::receive_flag(app, &signer, activity).await,
        "Announce" => announce(app, &signer, &object, activity).await,
        "Block" => {
            let Some(target) = find_local_account_by_uri(app, id_of(&object).unwrap_or_default()).await? else {
                return Ok(());
            };
            let uri = activity.get("id").and_then(Value::as_str).unwrap_or_default();
            crate::blocks::blocked_by_remote(app, &signer, &target, uri).await
        }
        // Reports, moves and the rest come with their features; until then an activity
        // of theirs is taken and ignored.
        _ => Ok(()),
    }
}

async fn embedded_or_fetched(app: &App, object: &Value) -> Result<Value> {
    match object {
        Value::Object(_) => Ok(object.clone()),
        Value::String(uri) => remote::fetch_object(app, uri).await,
        _ => Err(AppError::BadRequest("an activity without an object".into())),
    }
}

async fn follow(app: &App, follower: &Account, object: &Value, activity: &Value) -> Result<()> {
    let Some(target) = find_local_account_by_uri(app, id_of(object).unwrap_or_default()).await? else { return Ok(()) };
    let uri = activity.get("id").and_then(Value::as_str).unwrap_or_default();
    let store = app.store();
    if store.is_blocked_either_way(follower.id, target.id).await? {
        // As Mastodon: a blocked account's Follow is refused.
        return outbox::answer_follow(app, follower.id, target.id, "Reject", Some(uri.to_owned())).await;
    }
    if store.is_following(follower.id, target.id).await? {
        // They think they are not following yet: tell them again that they are.
        store.update_follow_uri(follower.id, target.id, uri).await?;
        return outbox::react(app, &Event::Followed { account_id: follower.id, target_id: target.id }).await;
    }
    if target.locked {
        if store.insert_follow_request(app.ids().next(), follower.id, target.id, now_millis()).await? {
            store.update_follow_uri(follower.id, target.id, uri).await?;
            app.emit(Event::FollowRequested { account_id: follower.id, target_id: target.id }).await?;
        }
        return Ok(());
    }
    store.insert_follow(app.ids().next(), follower.id, target.id, now_millis()).await?;
    store.update_follow_uri(follower.id, target.id, uri).await?;
    app.emit(Event::Followed { account_id: follower.id, target_id: target.id }).await
}

/// Which local account's follow of `target` an Accept or Reject is about.
async fn followed_by(app: &App, object: &Value) -> Result<Option<Account>> {
    if let Some(actor) = object.get("actor").and_then(id_of) {
        return find_local_account_by_uri(app, actor).await;
    }
    let Some(uri) = id_of(object) else { return Ok(None) };
    match app.store().find_follow_request_by_uri(uri).await? {
        Some(account_id) => Ok(app.store().find_account_by_id(account_id).await?),
        None => Ok(None),
    }
}

async fn accept(app: &App, target: &Account, object: &Value) -> Result<()> {
    let Some(follower) = followed_by(app, object).await? else { return Ok(()) };
    let uri = app.store().find_follow_uri(follower.id, target.id).await?;
    if !app.store().delete_follow_request(follower.id, target.id).await? {
        return Ok(());
    }
    app.store().insert_follow(app.ids().next(), follower.id, target.id, now_millis()).await?;
    if let Some(uri) = uri {
        app.store().update_follow_uri(follower.id, target.id, &uri).await?;
    }
    app.emit(Event::Followed { account_id: follower.id, target_id: target.id }).await
}

/// A refused request, or a follower removed after the fact.
async fn reject(app: &App, target: &Account, object: &Value) -> Result<()> {
    let Some(follower) = followed_by(app, object).await? else { return Ok(()) };
    app.store().delete_follow_request(follower.id, target.id).await?;
    app.store().delete_follow(follower.id, target.id).await?;
    Ok(())
}

async fn undo(app: &App, actor: &Account, object: &Value) -> Result<()> {
    let kind = object.get("type").and_then(Value::as_str);
    let inner = object.get("object").and_then(id_of).unwrap_or_default();
    match kind {
        Some("Follow") => {
            let Some(target) = find_local_account_by_uri(app, inner).await? else { return Ok(()) };
            app.store().delete_follow(actor.id, target.id).await?;
            app.store().delete_follow_request(actor.id, target.id).await?;
            app.store().delete_notifications_about(target.id, actor.id, "follow", None).await?;
            app.store().delete_notifications_about(target.id, actor.id, "follow_request", None).await?;
            Ok(())
        }
        Some("Like") => {
            let Some(status) = app.store().find_status_by_uri(inner).await? else { return Ok(()) };
            unfavourite(app, actor, &status).await
        }
        Some("Block") => {
            let Some(target) = find_local_account_by_uri(app, inner).await? else { return Ok(()) };
            app.store().delete_block(actor.id, target.id).await?;
            Ok(())
        }
        // An Announce is undone by its id; a bare id (as Akkoma sends) may name a Like
        // or a Block too.
        Some("Announce") | None => {
            let Some(uri) = id_of(object) else { return Ok(()) };
            if let Some(status_id) = app.store().find_favourite_by_uri(actor.id, uri).await?
                && let Some(status) = app.store().find_status(status_id).await?
            {
                return unfavourite(app, actor, &status).await;
            }
            if app.store().delete_block_by_uri(actor.id, uri).await? {
                return Ok(());
            }
            delete_post(app, actor, uri).await
        }
        _ => Ok(()),
    }
}

async fn unfavourite(app: &App, actor: &Account, status: &domain::Status) -> Result<()> {
    if app.store().delete_favourite(actor.id, status.id).await? {
        app.store().delete_notifications_about(status.account_id, actor.id, "favourite", Some(status.id)).await?;
    }
    Ok(())
}

async fn delete(app: &App, actor: &Account, object: &Value) -> Result<()> {
    let Some(uri) = id_of(object) else { return Ok(()) };
    if Some(uri) == actor.uri.as_deref() {
        // The whole account is gone; its posts, follows and favourites go with it, and
        // the files of its attachments and pictures cached here.
        let media = app.store().list_media_of_account(actor.id).await?;
        app.store().delete_remote_account(actor.id).await?;
        crate::media::delete_files_of(app, &media).await;
        return Ok(());
    }
    delete_post(app, actor, uri).await
}

async fn delete_post(app: &App, actor: &Account, uri: &str) -> Result<()> {
    let Some(status) = app.store().find_status_by_uri(uri).await? else { return Ok(()) };
    if status.account_id != actor.id {
        return Err(AppError::Forbidden("not the author's post"));
    }
    crate::statuses::remove_stored(app, &status).await
}

async fn like(app: &App, actor: &Account, object: &Value, activity: &Value) -> Result<()> {
    let Some(status) = app.store().find_status_by_uri(id_of(object).unwrap_or_default()).await? else { return Ok(()) };
    if !crate::statuses::can_see(app, Some(actor.id), &status).await? {
        return Ok(());
    }
    if app.store().insert_favourite(app.ids().next(), actor.id, status.id, now_millis()).await? {
        if let Some(uri) = activity.get("id").and_then(Value::as_str) {
            app.store().update_favourite_uri(actor.id, status.id, uri).await?;
        }
        app.emit(Event::Favourited { account_id: actor.id, status_id: status.id }).await?;
    }
    Ok(())
}

async fn announce(app: &App, booster: &Account, object: &Value, activity: &Value) -> Result<()> {
    let uri = activity.get("id").and_then(Value::as_str).unwrap_or_default();
    // The boost is stored under the Announce's id, so that id must be the booster's
    // own: another server's could take the place of a post not yet seen.
    if remote::authority(uri) != booster.uri.as_deref().and_then(remote::authority) {
        return Err(AppError::Forbidden("an Announce's id must be on its actor's server"));
    }
    if app.store().find_status_by_uri(uri).await?.is_some() {
        return Ok(());
    }
    let Some(original_uri) = id_of(object) else { return Ok(()) };
    let original = match app.store().find_status_by_uri(original_uri).await? {
        Some(found) => found,
        None if remote::is_local_uri(app, original_uri) => return Ok(()),
        None => match ingest::fetch_status(app, original_uri, 0).await? {
            Some(fetched) => fetched,
            None => return Ok(()),
        },
    };
    if !matches!(original.visibility, Visibility::Public | Visibility::Unlisted) || original.reblog_of_id.is_some() {
        return Ok(());
    }
    let followers = app.store().find_followers_url(booster.id).await?;
    let published = activity.get("published").and_then(Value::as_str).and_then(ingest::parse_time);
    let created_at = published.unwrap_or_else(now_millis).min(now_millis());
    let visibility = ingest::visibility_of(activity, followers.as_deref());
    for _ in 0..8 {
        let id = app.ids().at(created_at);
        let boost = crate::statuses::boost(id, booster, &original, uri.to_owned(), visibility, created_at);
        match crate::statuses::insert_boost(app, &boost).await {
            Ok(()) => return app.emit(Event::StatusCreated { status_id: boost.id }).await,
            // Boosted already (or this very Announce, twice at once)...
            Err(AppError::Conflict(_)) if app.store().find_reblog_id(booster.id, original.id).await?.is_some() => {
                return Ok(());
            }
            // ...or another post of the same millisecond drew the same id: draw again.
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Internal(format!("no free id for {uri}")))
}
