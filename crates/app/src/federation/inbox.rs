//! The inbox: a POSTed activity is checked (JSON, digest, signature, time window, the
//! key's owner), stored, and answered before it is processed, so an accepted activity
//! survives a crash. Workers then process stored activities in order of arrival.

use std::time::Duration;

use ::federation::signature::{self, SignedRequest};
use domain::Account;
use serde_json::Value;
use tokio::sync::watch;

use super::ingest::id_of;
use super::{delivery, process, remote};
use crate::{App, AppError, Result, now_millis};

/// The largest activity accepted, as Mastodon's limit.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
const MAX_PROCESS_ATTEMPTS: i64 = 5;

/// A POST to an inbox as it arrived.
#[derive(Debug)]
pub struct InboxRequest<'a> {
    pub method: &'a str,
    pub path_and_query: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
    /// The local account whose inbox it is; `None` for the shared inbox.
    pub username: Option<&'a str>,
}

/// Checks and stores an activity. `Unauthorized` for a signature that does not hold,
/// `BadRequest` for a body that is no activity.
pub async fn receive(app: &App, request: InboxRequest<'_>) -> Result<()> {
    if let Some(username) = request.username {
        super::actors::find_visible_local_account(app, username).await?;
    }
    let activity: Value =
        serde_json::from_slice(request.body).map_err(|e| AppError::BadRequest(format!("the body is not JSON: {e}")))?;
    let activity_id = activity.get("id").and_then(Value::as_str).filter(|s| !s.is_empty());
    let activity_type = activity.get("type").and_then(Value::as_str);
    let actor_uri = activity.get("actor").and_then(id_of);
    let (Some(activity_id), Some(activity_type), Some(actor_uri)) = (activity_id, activity_type, actor_uri) else {
        return Err(AppError::BadRequest("an activity needs an id, a type and an actor".into()));
    };
    if activity_type == "Delete" && app.store().find_account_by_uri(actor_uri).await?.is_none() {
        // As Mastodon: nothing of an unknown actor is here to delete, and a deleted
        // actor's key can no longer be fetched, so answer without checking.
        return Ok(());
    }
    let signer = verify_signature(app, &request).await?;
    let signer_uri = signer.uri.clone().unwrap_or_default();
    if let Some(host) = remote::authority(&signer_uri) {
        delivery::revive_host(app, &host).await;
    }
    let body = String::from_utf8_lossy(request.body);
    if app.store().insert_inbox_activity(app.ids().next(), activity_id, &signer_uri, &body, now_millis()).await? {
        app.wake_inbox().notify_one();
    }
    Ok(())
}

/// The account that signed the request. Checks that the signature covers what Mastodon
/// requires, that the digest matches the body and that it is fresh; a cached key that
/// fails is fetched once more (keys rotate).
async fn verify_signature(app: &App, request: &InboxRequest<'_>) -> Result<Account> {
    let refuse = |why: String| AppError::Unauthorized(why);
    let signed =
        SignedRequest { method: request.method, path_and_query: request.path_and_query, headers: request.headers };
    let header_value = |name: &str| request.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v);
    if header_value("signature-input").is_some() && header_value("signature").is_some_and(|s| s.contains(':')) {
        // RFC 9421 is not verified yet: 401 lets double-knocking senders fall back.
        return Err(refuse("RFC 9421 signatures are not supported; sign with draft-cavage".into()));
    }
    let header = header_value("signature").ok_or_else(|| refuse("the request is not signed".into()))?;
    let header = signature::parse_signature_header(header).map_err(|e| refuse(e.to_string()))?;
    for required in ["(request-target)", "digest"] {
        if !header.headers.iter().any(|h| h == required) {
            return Err(refuse(format!("the signature must cover {required}")));
        }
    }
    let digest = header_value("digest").ok_or_else(|| refuse("no Digest header".into()))?;
    if !signature::digest_matches(digest, request.body) {
        return Err(refuse("the digest does not match the body".into()));
    }
    signature::check_time(&header, &signed, now_millis() / 1000).map_err(|e| refuse(e.to_string()))?;
    let key_id = header.key_id.clone();
    let (account, key, cached) = match app.store().find_account_by_key_id(&key_id).await? {
        Some((account, key)) => (account, key, true),
        None => {
            let account = fetch_key_owner(app, &key_id).await?;
            let key = app.store().find_account_by_key_id(&key_id).await?.map(|(_, k)| k);
            (account, key.ok_or_else(|| refuse(format!("{key_id} is not the key of its owner")))?, false)
        }
    };
    if signature::verify(&header, &signed, &key).is_ok() {
        return Ok(account);
    }
    if !cached {
        return Err(refuse("the signature does not match".into()));
    }
    let uri = account.uri.clone().unwrap_or_default();
    let refreshed =
        remote::refresh_actor(app, &uri).await.map_err(|e| refuse(format!("cannot refetch the key: {e}")))?;
    let key = app.store().find_account_by_key_id(&key_id).await?.map(|(_, k)| k).unwrap_or_default();
    signature::verify(&header, &signed, &key).map_err(|e| refuse(e.to_string()))?;
    Ok(refreshed)
}

/// Fetches the actor a key belongs to: the key id is the actor's id with a fragment,
/// or a key document whose `owner` names the actor.
async fn fetch_key_owner(app: &App, key_id: &str) -> Result<Account> {
    let unauthorized = |e: AppError| AppError::Unauthorized(format!("cannot fetch the key {key_id}: {e}"));
    let without_fragment = key_id.split('#').next().unwrap_or(key_id);
    if remote::is_local_uri(app, without_fragment) {
        return Err(AppError::Unauthorized("a local key signs no remote request".into()));
    }
    let document = remote::fetch_object(app, without_fragment).await.map_err(unauthorized)?;
    match document.get("owner").and_then(Value::as_str) {
        Some(owner) if document.get("inbox").is_none() => remote::refresh_actor(app, owner).await.map_err(unauthorized),
        _ => remote::store_actor(app, &document).await.map_err(unauthorized),
    }
}

/// Processes stored activities until `stop` turns true.
pub async fn run(app: App, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        let jobs = match app.store().claim_inbox_activities(now_millis(), 5 * 60_000, 16).await {
            Ok(jobs) => jobs,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the inbox queue");
                Vec::new()
            }
        };
        let idle = jobs.is_empty();
        for job in jobs {
            let outcome = match serde_json::from_str::<Value>(&job.body) {
                Ok(activity) => process::process(&app, &job.actor_uri, &activity).await,
                Err(e) => Err(AppError::BadRequest(e.to_string())),
            };
            let now = now_millis();
            let stored = match outcome {
                Ok(()) => app.store().update_inbox_activity_done(job.id, now, None).await,
                Err(e @ (AppError::Internal(_) | AppError::Unavailable(_))) if job.attempts < MAX_PROCESS_ATTEMPTS => {
                    let retry = now + delivery::backoff_millis(job.attempts);
                    app.store().update_inbox_activity_retry(job.id, retry, &e.to_string()).await
                }
                Err(e) => {
                    tracing::debug!(error = %e, "an activity was not processed");
                    app.store().update_inbox_activity_done(job.id, now, Some(&e.to_string())).await
                }
            };
            if let Err(e) = stored {
                tracing::warn!(error = %e, "cannot record an activity's processing");
            }
        }
        if idle {
            tokio::select! {
                () = app.wake_inbox().notified() => {}
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = stop.changed() => {}
            }
        }
    }
}
