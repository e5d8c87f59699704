//! The inbox: a POSTed activity is checked (JSON, then its signature), stored, and
//! answered before it is processed, so an accepted activity survives a crash. A worker
//! then processes stored activities: each actor's in order of arrival, different
//! actors' side by side.

use std::time::Duration;

use serde_json::Value;
use tokio::sync::watch;

use super::ingest::id_of;
use super::signatures::{SignedHttpRequest, verify_request};
use super::{delivery, process, remote};
use crate::{App, AppError, Result, now_millis};

/// The largest activity accepted, as Mastodon's limit.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
const MAX_PROCESS_ATTEMPTS: i64 = 5;
/// How long a processed activity's id is kept to drop repeats: far past the signature
/// window (about an hour), after which a repeat is refused anyway.
const KEEP_DONE_MILLIS: i64 = 2 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY: Duration = Duration::from_secs(60 * 60);
/// Activities taken from the queue at once (and marked done with one write).
const CLAIM_BATCH: u32 = 64;

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
    if crate::moderation::policy::current(app).await?.refuses_url(actor_uri) {
        return Err(AppError::Forbidden("this server does not federate with the actor's domain"));
    }
    if activity_type == "Delete" && app.store().find_account_by_uri(actor_uri).await?.is_none() {
        // As Mastodon: nothing of an unknown actor is here to delete, and a deleted
        // actor's key can no longer be fetched, so answer without checking.
        return Ok(());
    }
    let signed = SignedHttpRequest {
        method: request.method,
        path_and_query: request.path_and_query,
        headers: request.headers,
        body: Some(request.body),
    };
    let signer = verify_request(app, &signed).await?;
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

/// Processes stored activities until `stop` turns true.
pub async fn run(app: App, mut stop: watch::Receiver<bool>) {
    let mut pruned_at: Option<tokio::time::Instant> = None;
    while !*stop.borrow() {
        if pruned_at.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
            pruned_at = Some(tokio::time::Instant::now());
            if let Err(e) = app.store().delete_done_inbox_activities(now_millis() - KEEP_DONE_MILLIS).await {
                tracing::warn!(error = %e, "cannot prune the inbox queue");
            }
        }
        let jobs = match app.store().claim_inbox_activities(now_millis(), 5 * 60_000, CLAIM_BATCH).await {
            Ok(jobs) => jobs,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the inbox queue");
                Vec::new()
            }
        };
        let idle = jobs.is_empty();
        // One actor's activities in order of arrival (a Create before its Delete);
        // different actors' side by side.
        let mut by_actor: Vec<(String, Vec<store::InboxJob>)> = Vec::new();
        for job in jobs {
            match by_actor.iter_mut().find(|(actor, _)| *actor == job.actor_uri) {
                Some((_, queue)) => queue.push(job),
                None => by_actor.push((job.actor_uri.clone(), vec![job])),
            }
        }
        let mut running = tokio::task::JoinSet::new();
        for (_, queue) in by_actor {
            let app = app.clone();
            running.spawn(async move {
                let mut done = Vec::new();
                for job in queue {
                    done.extend(handle(&app, job).await);
                }
                done
            });
        }
        // What succeeded is marked done in one write (a crash before it only processes
        // those again, which changes nothing).
        let mut done = Vec::new();
        while let Some(finished) = running.join_next().await {
            done.extend(finished.unwrap_or_default());
        }
        if let Err(e) = app.store().update_inbox_activities_done(&done, now_millis()).await {
            tracing::warn!(error = %e, "cannot record processed activities");
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

/// Processes one stored activity; returns its id when it succeeded (for the caller to
/// record), and records any other outcome: given up, or to be tried again later when
/// the failure was ours (or the network's).
async fn handle(app: &App, job: store::InboxJob) -> Option<domain::Id> {
    // What was accepted before its domain was blocked is dropped.
    let refused = crate::moderation::policy::current(app).await.map(|p| p.refuses_url(&job.actor_uri));
    let outcome = match serde_json::from_str::<Value>(&job.body) {
        _ if matches!(refused, Ok(true)) => Err(AppError::Forbidden("the actor's domain is blocked")),
        Ok(activity) => process::process(app, &job.actor_uri, &activity).await,
        Err(e) => Err(AppError::BadRequest(e.to_string())),
    };
    let now = now_millis();
    let stored = match outcome {
        Ok(()) => return Some(job.id),
        Err(e @ (AppError::Internal(_) | AppError::Unavailable(_))) if job.attempts < MAX_PROCESS_ATTEMPTS => {
            tracing::info!(error = %e, attempts = job.attempts, "an activity will be processed again");
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
    None
}
