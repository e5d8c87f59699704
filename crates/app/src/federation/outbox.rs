//! Reactions that tell other servers: each event a local account caused becomes an
//! activity queued for every inbox that must hear of it, one per shared inbox.

use domain::{Account, Id, Status, Visibility};
use serde_json::{Value, json};

use super::documents::{self as doc, PUBLIC, actor_uri};
use super::remote;
use crate::{App, Event, Result, now_millis};

pub(crate) async fn react(app: &App, event: &Event) -> Result<()> {
    match event {
        Event::StatusCreated { status_id } => {
            let Some(status) = app.store().find_status(*status_id).await? else { return Ok(()) };
            let Some(author) = local(app, status.account_id).await? else { return Ok(()) };
            match status.reblog_of_id {
                Some(original) => announce(app, &author, &status, original).await?,
                None => {
                    let body = doc::create(doc::note(app, &status).await?);
                    let inboxes = audience_inboxes(app, &author, status.visibility, &status.mentions).await?;
                    enqueue(app, &author, &body, inboxes).await?;
                }
            }
        }
        Event::StatusUpdated { status_id, .. } => {
            let Some(status) = app.store().find_status(*status_id).await? else { return Ok(()) };
            let Some(author) = local(app, status.account_id).await? else { return Ok(()) };
            let body = doc::update_note(doc::note(app, &status).await?, now_millis());
            enqueue(app, &author, &body, audience_inboxes(app, &author, status.visibility, &status.mentions).await?)
                .await?;
        }
        Event::StatusDeleted { account_id, visibility, mentions, uri, reblog_of_id, .. } => {
            let Some(author) = local(app, *account_id).await? else { return Ok(()) };
            let me = actor_uri(app, &author);
            let mut inboxes = audience_inboxes(app, &author, *visibility, mentions).await?;
            let body = match reblog_of_id {
                Some(original) => {
                    let Some(original) = app.store().find_status(*original).await? else { return Ok(()) };
                    inboxes.extend(account_inboxes(app, &[original.account_id]).await?);
                    let announce = json!({ "id": uri, "type": "Announce", "actor": me, "object": original.uri });
                    doc::activity(&format!("{uri}#undo"), "Undo", &me, announce, &[PUBLIC.into()], &[])
                }
                None => {
                    let tombstone = json!({ "id": uri, "type": "Tombstone", "atomUri": uri });
                    doc::activity(&format!("{uri}#delete"), "Delete", &me, tombstone, &[PUBLIC.into()], &[])
                }
            };
            enqueue(app, &author, &body, inboxes).await?;
        }
        Event::Favourited { account_id, status_id } | Event::Unfavourited { account_id, status_id } => {
            let Some(actor) = local(app, *account_id).await? else { return Ok(()) };
            let Some(status) = app.store().find_status(*status_id).await? else { return Ok(()) };
            let Some(inbox) = remote_inbox(app, status.account_id).await? else { return Ok(()) };
            let me = actor_uri(app, &actor);
            let like_id = doc::like_id(&me, status.id);
            let like = doc::activity(&like_id, "Like", &me, json!(status.uri), &[], &[]);
            let body = match event {
                Event::Favourited { .. } => like,
                _ => {
                    let mut inner = like;
                    inner.as_object_mut().map(|o| o.remove("@context"));
                    doc::activity(&format!("{like_id}/undo"), "Undo", &me, inner, &[], &[])
                }
            };
            enqueue(app, &actor, &body, vec![inbox]).await?;
        }
        Event::FollowRequested { account_id, target_id } => {
            let Some(actor) = local(app, *account_id).await? else { return Ok(()) };
            let Some(inbox) = remote_inbox(app, *target_id).await? else { return Ok(()) };
            let Some(target) = app.store().find_account_by_id(*target_id).await? else { return Ok(()) };
            let Some(uri) = app.store().find_follow_uri(actor.id, target.id).await? else { return Ok(()) };
            let mut body = doc::follow(&uri, &actor_uri(app, &actor), &actor_uri(app, &target));
            body["@context"] = doc::context();
            enqueue(app, &actor, &body, vec![inbox]).await?;
        }
        Event::Followed { account_id, target_id } | Event::FollowRequestAuthorized { account_id, target_id } => {
            answer_follow(app, *account_id, *target_id, "Accept", None).await?;
        }
        Event::FollowRequestRejected { account_id, target_id } => {
            answer_follow(app, *account_id, *target_id, "Reject", None).await?;
        }
        Event::FollowerRemoved { account_id, follower_id, follow_uri } => {
            answer_follow(app, *follower_id, *account_id, "Reject", follow_uri.clone()).await?;
        }
        Event::Blocked { account_id, target_id, uri } | Event::Unblocked { account_id, target_id, uri } => {
            let Some(actor) = local(app, *account_id).await? else { return Ok(()) };
            let Some(target) = app.store().find_account_by_id(*target_id).await? else { return Ok(()) };
            let Some(endpoints) = app.store().find_actor_endpoints(target.id).await? else { return Ok(()) };
            let me = actor_uri(app, &actor);
            let block = doc::activity(uri, "Block", &me, json!(actor_uri(app, &target)), &[], &[]);
            let body = match event {
                Event::Blocked { .. } => block,
                _ => {
                    let mut inner = block;
                    inner.as_object_mut().map(|o| o.remove("@context"));
                    doc::activity(&format!("{uri}/undo"), "Undo", &me, inner, &[], &[])
                }
            };
            // To the blocked actor's own inbox, as Mastodon sends it.
            enqueue(app, &actor, &body, vec![endpoints.inbox_url]).await?;
        }
        Event::Unfollowed { account_id, target_id, follow_uri } => {
            let Some(actor) = local(app, *account_id).await? else { return Ok(()) };
            let Some(inbox) = remote_inbox(app, *target_id).await? else { return Ok(()) };
            let Some(target) = app.store().find_account_by_id(*target_id).await? else { return Ok(()) };
            let me = actor_uri(app, &actor);
            let follow_id = follow_uri.clone().unwrap_or_else(|| format!("{me}#follows/{target_id}"));
            let follow = doc::follow(&follow_id, &me, &actor_uri(app, &target));
            let body = doc::activity(&format!("{follow_id}/undo"), "Undo", &me, follow, &[], &[]);
            enqueue(app, &actor, &body, vec![inbox]).await?;
        }
        Event::ProfileUpdated { account_id } => {
            let Some(actor) = local(app, *account_id).await? else { return Ok(()) };
            let Some(key) = app.store().find_public_key_pem(actor.id).await? else { return Ok(()) };
            let mut person = doc::person(app, &actor, &key);
            person.as_object_mut().map(|o| o.remove("@context"));
            let me = actor_uri(app, &actor);
            let id = format!("{me}#updates/{}", now_millis());
            let body = doc::activity(&id, "Update", &me, person, &[PUBLIC.into()], &[]);
            enqueue(app, &actor, &body, follower_inboxes(app, &actor).await?).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Accept or Reject of a remote account's Follow of a local one, naming the Follow by
/// `follow_uri` or by the id stored with the follow.
pub(crate) async fn answer_follow(
    app: &App,
    follower_id: Id,
    target_id: Id,
    kind: &str,
    follow_uri: Option<String>,
) -> Result<()> {
    let Some(target) = local(app, target_id).await? else { return Ok(()) };
    let Some(inbox) = remote_inbox(app, follower_id).await? else { return Ok(()) };
    let Some(follower) = app.store().find_account_by_id(follower_id).await? else { return Ok(()) };
    let me = actor_uri(app, &target);
    let follower_uri = actor_uri(app, &follower);
    let follow_id = match follow_uri {
        Some(uri) => uri,
        None => app.store().find_follow_uri(follower_id, target_id).await?.unwrap_or_else(|| follower_uri.clone()),
    };
    let follow = doc::follow(&follow_id, &follower_uri, &me);
    let id = format!("{me}#{}/{}", kind.to_lowercase(), app.ids().next());
    let body = doc::activity(&id, kind, &me, follow, &[], &[]);
    enqueue(app, &target, &body, vec![inbox]).await
}

async fn announce(app: &App, booster: &Account, boost: &Status, original: Id) -> Result<()> {
    let Some(original) = app.store().find_status(original).await? else { return Ok(()) };
    let me = actor_uri(app, booster);
    let body = doc::announce(app, &me, boost, &original).await?;
    let mut inboxes = follower_inboxes(app, booster).await?;
    inboxes.extend(account_inboxes(app, &[original.account_id]).await?);
    enqueue(app, booster, &body, inboxes).await
}

/// Who must hear of a post: the author's remote followers (unless it is direct) and
/// every remote account it mentions.
async fn audience_inboxes(app: &App, author: &Account, visibility: Visibility, mentions: &[Id]) -> Result<Vec<String>> {
    let mut inboxes = if visibility == Visibility::Direct { Vec::new() } else { follower_inboxes(app, author).await? };
    inboxes.extend(account_inboxes(app, mentions).await?);
    Ok(inboxes)
}

pub(crate) async fn follower_inboxes(app: &App, account: &Account) -> Result<Vec<String>> {
    Ok(app.store().list_follower_inboxes(account.id).await?)
}

async fn account_inboxes(app: &App, accounts: &[Id]) -> Result<Vec<String>> {
    let mut inboxes = Vec::new();
    for id in accounts {
        if let Some(inbox) = remote_inbox(app, *id).await? {
            inboxes.push(inbox);
        }
    }
    Ok(inboxes)
}

/// A remote account's preferred inbox (its server's shared one when it has one).
pub(crate) async fn remote_inbox(app: &App, account_id: Id) -> Result<Option<String>> {
    let endpoints = app.store().find_actor_endpoints(account_id).await?;
    Ok(endpoints.map(|e| e.shared_inbox_url.unwrap_or(e.inbox_url)))
}

async fn local(app: &App, account_id: Id) -> Result<Option<Account>> {
    Ok(app.store().find_account_by_id(account_id).await?.filter(Account::is_local))
}

/// Queues `body` for each distinct inbox on a host that is neither marked unavailable
/// nor refused by the domain policy,
/// signed by `signer`, and wakes the delivery workers.
pub(crate) async fn enqueue(app: &App, signer: &Account, body: &Value, inboxes: Vec<String>) -> Result<()> {
    enqueue_signed(app, signer, false, body, inboxes).await
}

/// [`enqueue`], signed by the instance actor instead when `by_instance_actor` (the
/// account then only owns the delivery).
pub(crate) async fn enqueue_signed(
    app: &App,
    signer: &Account,
    by_instance_actor: bool,
    body: &Value,
    mut inboxes: Vec<String>,
) -> Result<()> {
    inboxes.sort();
    inboxes.dedup();
    if inboxes.is_empty() {
        return Ok(());
    }
    let text = body.to_string();
    let unavailable = app.store().list_unavailable_hosts().await?;
    let policy = crate::moderation::policy::current(app).await?;
    let mut jobs = Vec::new();
    for inbox in inboxes {
        let Some(host) = remote::authority(&inbox) else { continue };
        if remote::is_local_uri(app, &inbox) || unavailable.contains(&host) || policy.refuses(&host) {
            continue;
        }
        jobs.push(store::Delivery {
            id: app.ids().next(),
            inbox_url: inbox,
            host,
            signer_account_id: signer.id,
            by_instance_actor,
            body: text.clone(),
            attempts: 0,
        });
    }
    if !jobs.is_empty() {
        app.store().insert_deliveries(&jobs, now_millis()).await?;
        app.wake_deliveries().notify_one();
    }
    Ok(())
}
