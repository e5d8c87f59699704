//! What each streaming subscription receives: a filter from the typed events to what a
//! reader may see on one stream.

use domain::{Account, Id, Status, Visibility};
use store::Notification;

use crate::{App, Event, Result, statuses};

/// The streams of Mastodon's streaming API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stream {
    /// The home feed and the reader's notifications.
    User,
    UserNotification,
    /// Public posts: all, only local (`Some(true)`) or only remote (`Some(false)`).
    Public {
        local: Option<bool>,
    },
    /// Public posts with a hashtag (lower-cased).
    Hashtag {
        tag: String,
        local: bool,
    },
}

/// One message on a stream.
#[derive(Debug, Clone)]
pub enum StreamItem {
    Update(Status),
    StatusUpdate(Status),
    Delete(Id),
    Notification(Notification),
}

/// Whether `event` ends a stream opened with `token_id`.
pub fn ends_stream(event: &Event, token_id: Id) -> bool {
    matches!(event, Event::TokenRevoked { token_id: revoked } if *revoked == token_id)
}

/// What `event` means for `reader` on `stream`, if anything.
pub async fn filter(app: &App, reader: &Account, stream: &Stream, event: &Event) -> Result<Option<StreamItem>> {
    match event {
        Event::StatusCreated { status_id } => {
            Ok(routed(app, reader, stream, *status_id).await?.map(StreamItem::Update))
        }
        Event::StatusUpdated { status_id, .. } => {
            Ok(routed(app, reader, stream, *status_id).await?.map(StreamItem::StatusUpdate))
        }
        // Only an id: every stream that may have shown the post drops it.
        Event::StatusDeleted { status_id } if *stream != Stream::UserNotification => {
            Ok(Some(StreamItem::Delete(*status_id)))
        }
        Event::NotificationCreated { notification_id, account_id }
            if *account_id == reader.id && matches!(stream, Stream::User | Stream::UserNotification) =>
        {
            Ok(app.store().find_notification(reader.id, *notification_id).await?.map(StreamItem::Notification))
        }
        _ => Ok(None),
    }
}

/// The post, if it belongs on this stream for this reader.
async fn routed(app: &App, reader: &Account, stream: &Stream, status_id: Id) -> Result<Option<Status>> {
    let Some(status) = app.store().find_status(status_id).await? else { return Ok(None) };
    let belongs = match stream {
        Stream::User => app.store().is_in_home_feed(reader.id, status.id).await?,
        Stream::UserNotification => false,
        Stream::Public { local } => public_post(&status) && local.is_none_or(|l| l == status.local),
        Stream::Hashtag { tag, local } => public_post(&status) && status.tags.contains(tag) && (!local || status.local),
    };
    if belongs && statuses::can_see(app, Some(reader.id), &status).await? { Ok(Some(status)) } else { Ok(None) }
}

/// What public timelines show: public posts, no boosts, no replies to others.
fn public_post(status: &Status) -> bool {
    status.visibility == Visibility::Public
        && status.reblog_of_id.is_none()
        && status.in_reply_to_account_id.is_none_or(|to| to == status.account_id)
}
