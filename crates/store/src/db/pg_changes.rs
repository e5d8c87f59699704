//! Kept rows on PostgreSQL, where other nodes write too: every write that names a kept
//! table sends `NOTIFY rookery_rows` in its transaction, which PostgreSQL delivers to
//! every listening connection when it commits; each node listens on a connection of its
//! own and moves its generation on at each notification. A node keeps nothing while it
//! is not listening (before it has connected, and after the connection was lost until it
//! is listening again), since notifications sent meanwhile are lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::postgres::PgListener;

use super::changes::Changes;

pub(crate) const CHANNEL: &str = "rookery_rows";
pub(crate) const NOTIFY: &str = "NOTIFY rookery_rows";

/// A node's view of other nodes' writes.
pub(crate) struct PgChanges {
    pub(crate) changes: Changes,
    listening: AtomicBool,
    listener: std::sync::Mutex<Option<tokio::task::AbortHandle>>,
}

impl PgChanges {
    /// Starts listening in the background on a connection of its own.
    pub(crate) fn start(url: &str) -> Arc<PgChanges> {
        let feed = Arc::new(PgChanges {
            changes: Changes::without_outside_check(),
            listening: AtomicBool::new(false),
            listener: std::sync::Mutex::new(None),
        });
        let task = tokio::spawn(listen(url.to_owned(), Arc::downgrade(&feed)));
        *feed.listener.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(task.abort_handle());
        feed
    }

    /// The generation, or `None` while rows may not be kept.
    pub(crate) fn generation(&self) -> Option<u64> {
        self.listening.load(Ordering::Acquire).then(|| self.changes.generation())
    }

    pub(crate) fn stop(&self) {
        if let Some(task) = self.listener.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            task.abort();
        }
        self.listening.store(false, Ordering::Release);
    }
}

async fn listen(url: String, feed: std::sync::Weak<PgChanges>) {
    loop {
        let listener = async {
            // A connection of its own, outside the pool it would take a place of.
            let mut listener = PgListener::connect(&url).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        if let Ok(mut listener) = listener.await {
            let Some(shared) = feed.upgrade() else { return };
            // What was kept before may have missed notifications.
            shared.changes.moved();
            shared.listening.store(true, Ordering::Release);
            drop(shared);
            // `Ok(None)`: the connection was lost (and notifications with it).
            while let Ok(Some(_)) = listener.try_recv().await {
                let Some(shared) = feed.upgrade() else { return };
                shared.changes.moved();
            }
            let Some(shared) = feed.upgrade() else { return };
            shared.listening.store(false, Ordering::Release);
            shared.changes.moved();
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
