//! Rookery's use cases. Every action, whether it comes from the Mastodon API, the web
//! interface, the admin CLI or (later) another server, goes through a function here,
//! which validates, writes through [`store`] and announces what happened as an [`Event`].
//!
//! Invariant: no HTTP types; callers convert at their edge.

pub mod accounts;
mod clock;
pub mod config;
pub mod conversations;
pub mod discovery;
mod error;
pub mod events;
pub mod federation;
pub mod follows;
mod ids;
pub mod instance;
pub mod interactions;
mod keys;
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
}

impl App {
    pub fn new(config: Config, store: Store) -> Self {
        let passwords = PasswordHasher::new(config.password_hash_concurrency);
        Self { inner: Arc::new(Inner { config, store, ids: IdGenerator::new(), passwords, events: EventBus::new() }) }
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
    /// then tells subscribers (streaming, later delivery).
    pub(crate) async fn emit(&self, event: Event) -> Result<()> {
        notifications::react(self, &event).await?;
        self.inner.events.publish(event);
        Ok(())
    }

    pub(crate) fn ids(&self) -> &IdGenerator {
        &self.inner.ids
    }

    pub fn passwords(&self) -> &PasswordHasher {
        &self.inner.passwords
    }
}
