//! What happened, as typed events. Timelines, notifications, streaming and delivery
//! subscribe here, so they react the same way whether a local user or a remote server
//! caused the change.

use domain::Id;
use tokio::sync::broadcast;

/// A change that other parts of the server may react to. Carries ids, not rows:
/// subscribers read what they need, so a slow subscriber never sees stale data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    AccountCreated {
        account_id: Id,
    },
    /// Someone signed up (moderators hear of it).
    SignedUp {
        account_id: Id,
    },
    PasswordChanged {
        account_id: Id,
    },
    RoleChanged {
        account_id: Id,
    },
    StatusCreated {
        status_id: Id,
    },
    /// A post is gone; who could see it decides who hears of it.
    StatusDeleted {
        status_id: Id,
        account_id: Id,
        visibility: domain::Visibility,
        mentions: Vec<Id>,
        /// Its ActivityPub id, and the post it boosted if it was a boost: what the
        /// Delete or Undo sent to other servers names.
        uri: String,
        reblog_of_id: Option<Id>,
    },
    /// A post was edited; `added_mentions` are accounts it mentions now and did not before.
    StatusUpdated {
        status_id: Id,
        added_mentions: Vec<Id>,
    },
    Followed {
        account_id: Id,
        target_id: Id,
    },
    Favourited {
        account_id: Id,
        status_id: Id,
    },
    Unfavourited {
        account_id: Id,
        status_id: Id,
    },
    FollowRequested {
        account_id: Id,
        target_id: Id,
    },
    FollowRequestAuthorized {
        account_id: Id,
        target_id: Id,
    },
    FollowRequestRejected {
        account_id: Id,
        target_id: Id,
    },
    ProfileUpdated {
        account_id: Id,
    },
    /// A bearer token stopped working; open streams that use it close.
    TokenRevoked {
        token_id: Id,
    },
    /// A notification for a local account was made (streamed to its reader).
    NotificationCreated {
        notification_id: Id,
        account_id: Id,
    },
    Unfollowed {
        account_id: Id,
        target_id: Id,
        /// The Follow activity's id, for the Undo sent to a remote target.
        follow_uri: Option<String>,
    },
    /// `follower_id` no longer follows the local `account_id`, who ended it.
    FollowerRemoved {
        account_id: Id,
        follower_id: Id,
        /// The Follow activity's id, for the Reject sent to a remote follower.
        follow_uri: Option<String>,
    },
    Blocked {
        account_id: Id,
        target_id: Id,
        /// The Block activity's id.
        uri: String,
    },
    Unblocked {
        account_id: Id,
        target_id: Id,
        uri: String,
    },
}

/// In-process fan-out of [`Event`]s. Durable work (deliveries) is queued in the
/// database by its subscriber, so a lagging or restarted subscriber loses nothing
/// that was committed.
#[derive(Debug, Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Event>,
}

impl Event {
    /// The deletion of `status`, with what its readers and other servers must hear.
    pub(crate) fn status_deleted(status: &domain::Status) -> Event {
        Event::StatusDeleted {
            status_id: status.id,
            account_id: status.account_id,
            visibility: status.visibility,
            mentions: status.mentions.clone(),
            uri: status.uri.clone(),
            reblog_of_id: status.reblog_of_id,
        }
    }
}

impl EventBus {
    const CAPACITY: usize = 1024;

    pub fn new() -> Self {
        Self { sender: broadcast::channel(Self::CAPACITY).0 }
    }

    pub fn publish(&self, event: Event) {
        tracing::debug!(?event, "event");
        // No subscriber is not an error: the admin CLI runs without any.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}
