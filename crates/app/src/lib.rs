//! Rookery's use cases. Every action, whether it comes from the Mastodon API, the web
//! interface, the admin CLI or (later) another server, goes through a function here,
//! which validates, writes through [`store`] and announces what happened as an [`Event`].
//!
//! Invariant: no HTTP types; callers convert at their edge.

pub mod accounts;
pub mod blocks;
mod clock;
pub mod config;
pub mod conversations;
pub mod discovery;
mod error;
pub mod events;
pub mod federation;
pub mod filters;
pub mod follows;
mod ids;
pub mod instance;
pub mod interactions;
pub mod media;
pub mod moderation;
pub mod mutes;
pub mod notifications;
pub mod oauth;
mod passwords;
pub mod profiles;
pub mod registrations;
pub mod search;
mod secrets;
pub mod statuses;
pub mod streaming;
pub mod timelines;

use std::sync::Arc;

pub use clock::now_millis;
pub use config::{Config, InstanceConfig, Protocol, RegistrationMode};
pub use error::AppError;
pub use events::{Event, EventBus};
pub use ids::IdGenerator;
pub use passwords::PasswordHasher;
pub use secrets::{random_bytes, random_password};
pub use store::Store;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Everything a use case needs, passed explicitly. Cheap to clone.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    store: Store,
    ids: IdGenerator,
    passwords: PasswordHasher,
    events: EventBus,
    http: ::federation::Client,
    /// Rung when work is queued, so the federation workers start at once.
    wake_deliveries: tokio::sync::Notify,
    wake_inbox: tokio::sync::Notify,
    instance_keys: tokio::sync::OnceCell<federation::remote::InstanceKeys>,
    /// Local accounts' signers, read once: their keys never change.
    signers: std::sync::Mutex<std::collections::HashMap<domain::Id, ::federation::Signer>>,
    media_storage: crate::media::MediaStorage,
    /// Pictures processed at once: each may take a few hundred megabytes.
    media_permits: tokio::sync::Semaphore,
    /// Remote attachments fetched at once for the cache, and when each cache folder's
    /// last fetch failed (not tried again for a while).
    remote_fetches: tokio::sync::Semaphore,
    failed_fetches: std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>,
    /// ffmpeg and ffprobe, once they have been asked whether they run.
    media_tools: tokio::sync::OnceCell<Option<(std::path::PathBuf, std::path::PathBuf)>>,
    /// The domain policy, with when it was read.
    domain_policy: std::sync::Mutex<Option<(std::time::Instant, Arc<moderation::DomainPolicy>)>>,
}

impl App {
    pub fn new(config: Config, store: Store) -> Self {
        let passwords = PasswordHasher::new(config.password_hash_concurrency);
        let http = ::federation::Client::new(&::federation::ClientConfig {
            allow_private_addresses: config.allow_private_addresses,
            user_agent: format!("Rookery/{} (+{})", env!("CARGO_PKG_VERSION"), config.base_url()),
            connect_timeout: std::time::Duration::from_secs(5),
            request_timeout: std::time::Duration::from_secs(20),
        })
        .expect("the HTTP client builds");
        let media_storage =
            crate::media::MediaStorage::new(&config.media_storage).expect("the media storage's settings were checked");
        Self {
            inner: Arc::new(Inner {
                config,
                store,
                ids: IdGenerator::new(),
                passwords,
                events: EventBus::new(),
                http,
                wake_deliveries: tokio::sync::Notify::new(),
                wake_inbox: tokio::sync::Notify::new(),
                instance_keys: tokio::sync::OnceCell::new(),
                signers: std::sync::Mutex::default(),
                media_storage,
                media_tools: tokio::sync::OnceCell::new(),
                domain_policy: std::sync::Mutex::default(),
                remote_fetches: tokio::sync::Semaphore::new(4),
                failed_fetches: std::sync::Mutex::default(),
                media_permits: tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from)),
            }),
        }
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn events(&self) -> &EventBus {
        &self.inner.events
    }

    /// Announces a change: runs the in-process reactions (notifications) to completion,
    /// queues the deliveries it causes, then tells subscribers (streaming).
    pub(crate) async fn emit(&self, event: Event) -> Result<()> {
        notifications::react(self, &event).await?;
        federation::outbox::react(self, &event).await?;
        self.inner.events.publish(event);
        Ok(())
    }

    pub(crate) fn ids(&self) -> &IdGenerator {
        &self.inner.ids
    }

    pub fn passwords(&self) -> &PasswordHasher {
        &self.inner.passwords
    }

    pub(crate) fn http(&self) -> &::federation::Client {
        &self.inner.http
    }

    pub(crate) fn wake_deliveries(&self) -> &tokio::sync::Notify {
        &self.inner.wake_deliveries
    }

    pub(crate) fn media_storage(&self) -> &crate::media::MediaStorage {
        &self.inner.media_storage
    }

    pub(crate) fn media_tools(&self) -> &tokio::sync::OnceCell<Option<(std::path::PathBuf, std::path::PathBuf)>> {
        &self.inner.media_tools
    }

    pub(crate) fn remote_fetches(&self) -> &tokio::sync::Semaphore {
        &self.inner.remote_fetches
    }

    pub(crate) fn failed_fetches(&self) -> &std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>> {
        &self.inner.failed_fetches
    }

    pub(crate) fn media_permits(&self) -> &tokio::sync::Semaphore {
        &self.inner.media_permits
    }

    pub(crate) fn domain_policy_cell(
        &self,
    ) -> &std::sync::Mutex<Option<(std::time::Instant, Arc<moderation::DomainPolicy>)>> {
        &self.inner.domain_policy
    }

    pub(crate) fn wake_inbox(&self) -> &tokio::sync::Notify {
        &self.inner.wake_inbox
    }

    pub(crate) fn signers(&self) -> &std::sync::Mutex<std::collections::HashMap<domain::Id, ::federation::Signer>> {
        &self.inner.signers
    }

    pub(crate) fn instance_keys_cell(&self) -> &tokio::sync::OnceCell<federation::remote::InstanceKeys> {
        &self.inner.instance_keys
    }
}
