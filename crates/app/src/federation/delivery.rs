//! The delivery workers: take due jobs from the queue, sign and POST them, and on
//! failure try again later as Mastodon does (16 attempts, `attempts⁴ + 15 s` plus up
//! to half again of jitter, about two and a half days in all). A host that keeps
//! failing is paused (a circuit breaker), and one failing on seven distinct days is
//! marked unavailable until it is heard from again.

use std::sync::Arc;
use std::time::Duration;

use store::{Delivery, HostHealth};
use tokio::sync::{Semaphore, watch};

use super::remote;
use crate::{App, now_millis};

pub const MAX_ATTEMPTS: i64 = 16;
/// Failures in a row after which a host is left alone for [`BREAKER_PAUSE_MILLIS`].
const BREAKER_THRESHOLD: i64 = 10;
const BREAKER_PAUSE_MILLIS: i64 = 60_000;
/// Distinct days of failures after which a host is unavailable.
const UNAVAILABLE_AFTER_DAYS: i64 = 7;
/// How long a claimed job is ours before another worker may take it.
const LEASE_MILLIS: i64 = 5 * 60_000;
const BATCH: u32 = 64;
const DAY_MILLIS: i64 = 86_400_000;

/// Delivers until `stop` turns true, at most `concurrency` requests at once.
pub async fn run(app: App, concurrency: usize, mut stop: watch::Receiver<bool>) {
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let delivered = Delivered::default();
    while !*stop.borrow() {
        delivered.forget(&app).await;
        let jobs = match app.store().claim_deliveries(now_millis(), LEASE_MILLIS, BATCH).await {
            Ok(jobs) => jobs,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the delivery queue");
                Vec::new()
            }
        };
        let idle = jobs.is_empty();
        // Each host's health is read once a batch, not once a job.
        let mut hosts: Vec<String> = jobs.iter().map(|j| j.host.clone()).collect();
        hosts.sort();
        hosts.dedup();
        let health = app.store().list_host_health(&hosts).await.unwrap_or_default();
        for job in jobs {
            let Ok(permit) = permits.clone().acquire_owned().await else { return };
            let app = app.clone();
            let health = health.get(&job.host).cloned().unwrap_or_default();
            let delivered = delivered.clone();
            tokio::spawn(async move {
                deliver(&app, job, health, &delivered).await;
                drop(permit);
            });
        }
        if idle {
            tokio::select! {
                () = app.wake_deliveries().notified() => {}
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = stop.changed() => {}
            }
        }
    }
    delivered.forget(&app).await;
}

/// Jobs delivered since the queue was last told, removed from it in one write a round:
/// one delete per delivery would make the database's single writer the bottleneck. A
/// crash in between only sends them again, and receivers drop repeats by id.
#[derive(Clone, Default)]
struct Delivered(Arc<std::sync::Mutex<Vec<domain::Id>>>);

impl Delivered {
    fn push(&self, id: domain::Id) {
        if let Ok(mut ids) = self.0.lock() {
            ids.push(id);
        }
    }

    async fn forget(&self, app: &App) {
        let ids = self.0.lock().map(|mut ids| std::mem::take(&mut *ids)).unwrap_or_default();
        if let Err(e) = app.store().delete_deliveries(&ids).await {
            tracing::warn!(error = %e, "cannot remove delivered jobs from the queue");
        }
    }
}

async fn deliver(app: &App, job: Delivery, health: HostHealth, delivered: &Delivered) {
    let now = now_millis();
    // Queued before its domain was blocked.
    if crate::moderation::policy::current(app).await.is_ok_and(|p| p.refuses(&job.host)) {
        let _ = app.store().delete_delivery(job.id).await;
        return;
    }
    if health.paused_until > now {
        let _ = app.store().update_delivery_retry(job.id, health.paused_until, "host paused").await;
        return;
    }
    let outcome = match signer(app, &job).await {
        Some(signer) => app.http().post_activity(&job.inbox_url, job.body.clone().into_bytes(), &signer).await,
        None => {
            let _ = app.store().delete_delivery(job.id).await;
            return;
        }
    };
    match outcome {
        Ok(_) => {
            delivered.push(job.id);
            if health != HostHealth::default() {
                host_is_up(app, &job.host).await;
            }
        }
        Err(e) => {
            let error = e.to_string();
            let give_up = !e.is_temporary() || job.attempts >= MAX_ATTEMPTS;
            if give_up {
                tracing::info!(inbox = %job.inbox_url, attempts = job.attempts, %error, "delivery given up");
                let _ = app.store().delete_delivery(job.id).await;
            } else {
                let _ = app.store().update_delivery_retry(job.id, now + backoff_millis(job.attempts), &error).await;
            }
            if e.is_temporary() {
                record_failure(app, &job.host, health, now).await;
            }
        }
    }
}

async fn signer(app: &App, job: &Delivery) -> Option<::federation::Signer> {
    if job.by_instance_actor {
        return remote::instance_signer(app).await.ok();
    }
    if let Some(signer) = app.signers().lock().ok().and_then(|s| s.get(&job.signer_account_id).cloned()) {
        return Some(signer);
    }
    let account = app.store().find_account_by_id(job.signer_account_id).await.ok().flatten()?;
    let signer = remote::account_signer(app, &account).await.ok()?;
    if let Ok(mut signers) = app.signers().lock() {
        if signers.len() >= 4096 {
            signers.clear();
        }
        signers.insert(account.id, signer.clone());
    }
    Some(signer)
}

async fn record_failure(app: &App, host: &str, mut health: HostHealth, now: i64) {
    health.consecutive_failures += 1;
    if health.consecutive_failures >= BREAKER_THRESHOLD {
        health.paused_until = now + BREAKER_PAUSE_MILLIS;
        let _ = app.store().update_host_deliveries_after(host, health.paused_until).await;
    }
    let day = now.div_euclid(DAY_MILLIS);
    if day != health.last_failure_day {
        health.failure_days += 1;
        health.last_failure_day = day;
    }
    health.unavailable = health.failure_days >= UNAVAILABLE_AFTER_DAYS;
    let _ = app.store().upsert_host_health(host, &health).await;
}

/// When each host was last revived by an activity from it, in this process.
static REVIVED: std::sync::Mutex<Option<std::collections::HashMap<String, i64>>> = std::sync::Mutex::new(None);
/// A host that keeps failing while it keeps sending us activities (one that rate-limits
/// us, say) is revived at most this often, so its retries are not spent at once.
const REVIVE_EVERY_MILLIS: i64 = 10 * 60_000;

/// A host is heard from (it sent us an activity): it is available again.
pub(crate) async fn revive_host(app: &App, host: &str) {
    let Ok(health) = app.store().find_host_health(host).await else { return };
    if health == HostHealth::default() {
        return;
    }
    let now = now_millis();
    let due = REVIVED.lock().ok().is_some_and(|mut revived| {
        let revived = revived.get_or_insert_with(Default::default);
        let last = revived.get(host).copied().unwrap_or(i64::MIN);
        if now.saturating_sub(last) < REVIVE_EVERY_MILLIS {
            return false;
        }
        if revived.len() > 10_000 {
            revived.clear();
        }
        revived.insert(host.to_owned(), now);
        true
    });
    if due {
        host_is_up(app, host).await;
    }
}

/// A host that had failed works again: its health is reset, and what waits for it
/// goes now rather than at its backed-off time.
async fn host_is_up(app: &App, host: &str) {
    let _ = app.store().upsert_host_health(host, &HostHealth::default()).await;
    if app.store().update_host_deliveries_due(host, now_millis()).await.unwrap_or(0) > 0 {
        app.wake_deliveries().notify_one();
    }
}

/// Mastodon's delay before the next attempt: `attempts⁴ + 15` seconds, plus up to half
/// of that again at random so that many failed jobs do not all come back at once.
pub fn backoff_millis(attempts: i64) -> i64 {
    let base = (attempts.clamp(0, MAX_ATTEMPTS).pow(4) + 15) * 1000;
    let mut random = [0u8; 4];
    let _ = aws_lc_rs::rand::fill(&mut random);
    let jitter = i64::from(u32::from_le_bytes(random)) % (base / 2 + 1);
    base + jitter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_as_mastodons_and_spans_about_two_days() {
        for attempts in 0..MAX_ATTEMPTS {
            let delay = backoff_millis(attempts);
            let base = (attempts.pow(4) + 15) * 1000;
            assert!(delay >= base && delay <= base + base / 2, "attempt {attempts}: {delay}");
        }
        let total: i64 = (1..MAX_ATTEMPTS).map(|a| (a.pow(4) + 15) * 1000).sum();
        assert!(total > DAY_MILLIS && total < 3 * DAY_MILLIS, "{total} ms in all");
    }
}
