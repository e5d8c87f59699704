//! The domain policy every door consults: which hosts are refused outright (suspended,
//! or not on the allowlist in limited federation mode), limited, or have their media or
//! reports rejected. Read from the database and kept in memory for a few seconds, so a
//! change made by another node or by `rookery admin` takes effect within that time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::{DomainBlock, Severity, domain_covers};

use crate::federation::remote::authority;
use crate::{App, Result};

const RELOAD_EVERY: Duration = Duration::from_secs(5);

/// The blocks and allows in force, and whether only allowed domains federate.
#[derive(Debug, Default)]
pub struct DomainPolicy {
    blocks: Vec<DomainBlock>,
    allows: Vec<String>,
    limited_federation: bool,
    own_domain: String,
}

impl DomainPolicy {
    /// The block that applies to `host` (an authority): the most specific one.
    pub fn block_for(&self, host: &str) -> Option<&DomainBlock> {
        let host = host.to_ascii_lowercase();
        self.blocks.iter().filter(|b| domain_covers(&b.domain, &host)).max_by_key(|b| b.domain.len())
    }

    /// Whether nothing is exchanged with `host`: it is suspended, or limited federation
    /// mode is on and it is not allowed. Never this server itself.
    pub fn refuses(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        if host == self.own_domain {
            return false;
        }
        if self.limited_federation && !self.allows.iter().any(|a| domain_covers(a, &host)) {
            return true;
        }
        self.block_for(&host).is_some_and(|b| b.severity == Severity::Suspend)
    }

    /// [`Self::refuses`] for the host of a URL; a URL without one is refused.
    pub fn refuses_url(&self, url: &str) -> bool {
        authority(url).is_none_or(|host| self.refuses(&host))
    }

    /// Whether `host`'s posts stay off public timelines (limited, or refused).
    pub fn limits(&self, host: &str) -> bool {
        self.refuses(host) || self.block_for(host).is_some_and(|b| b.severity == Severity::Silence)
    }

    /// Whether `host`'s media files are neither fetched nor shown.
    pub fn rejects_media(&self, host: &str) -> bool {
        self.refuses(host) || self.block_for(host).is_some_and(|b| b.reject_media)
    }

    /// Whether any domain's media is rejected (or any domain refused), so a media view
    /// must look up whose file it is.
    pub fn rejects_any_media(&self) -> bool {
        self.limited_federation || self.blocks.iter().any(|b| b.reject_media || b.severity == Severity::Suspend)
    }

    /// Whether reports (Flags) from `host` are dropped.
    pub fn rejects_reports(&self, host: &str) -> bool {
        self.refuses(host) || self.block_for(host).is_some_and(|b| b.reject_reports)
    }

    /// The blocked domains whose posts public timelines leave out (limited or suspended).
    pub fn kept_off_public_timelines(&self) -> Vec<String> {
        self.blocks.iter().filter(|b| b.severity != Severity::Noop).map(|b| b.domain.clone()).collect()
    }
}

/// The policy in force, read again when a few seconds old.
pub async fn current(app: &App) -> Result<Arc<DomainPolicy>> {
    if let Some((at, policy)) = app.domain_policy_cell().lock().expect("not poisoned").as_ref()
        && at.elapsed() < RELOAD_EVERY
    {
        return Ok(policy.clone());
    }
    let policy = Arc::new(DomainPolicy {
        blocks: app.store().list_domain_blocks().await?,
        allows: app.store().list_domain_allows().await?.into_iter().map(|(_, domain, _)| domain).collect(),
        limited_federation: app.config().limited_federation,
        own_domain: app.config().domain.to_ascii_lowercase(),
    });
    *app.domain_policy_cell().lock().expect("not poisoned") = Some((Instant::now(), policy.clone()));
    Ok(policy)
}

/// Drops the kept policy after a change here, so it applies at once in this process.
pub(crate) fn forget(app: &App) {
    *app.domain_policy_cell().lock().expect("not poisoned") = None;
}
