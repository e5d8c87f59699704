//! What each streaming subscription receives: a filter from the typed events to what a
//! reader may see on one stream.

use domain::{Account, Id, Scopes, Status, Visibility};
use store::Notification;

use crate::filters::matching::{Place, without_hidden};
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
    /// The reader's direct-message conversations.
    Direct,
}

/// One message on a stream.
#[derive(Debug, Clone)]
pub enum StreamItem {
    Update(std::sync::Arc<Status>),
    StatusUpdate(std::sync::Arc<Status>),
    Delete(Id),
    Notification(Notification),
    Conversation(crate::conversations::Conversation),
}

/// Whether `event` ends a stream opened with `token_id`.
pub fn ends_stream(event: &Event, token_id: Id) -> bool {
    matches!(event, Event::TokenRevoked { token_id: revoked } if *revoked == token_id)
}

/// What `event` means for `reader` on `stream`, if anything. `scopes` are the stream's
/// token's: posts need `read:statuses`, notifications `read:notifications`.
pub async fn filter(
    app: &App,
    reader: &Account,
    scopes: &Scopes,
    stream: &Stream,
    event: &Event,
) -> Result<Option<StreamItem>> {
    let statuses = scopes.allows("read:statuses");
    match event {
        Event::StatusCreated { status_id } if statuses && *stream == Stream::Direct => {
            // A direct message the reader wrote or is addressed in: their conversation changed.
            let Some(status) = app.store().find_status(*status_id).await? else { return Ok(None) };
            let involved = status.account_id == reader.id || status.mentions.contains(&reader.id);
            if status.visibility != Visibility::Direct || !involved {
                return Ok(None);
            }
            match crate::conversations::get(app, reader, status.conversation_id).await {
                Ok(conversation) => Ok(Some(StreamItem::Conversation(conversation))),
                Err(crate::AppError::NotFound(_)) => Ok(None),
                Err(e) => Err(e),
            }
        }
        Event::StatusCreated { status_id } if statuses => {
            Ok(routed(app, reader, stream, *status_id).await?.map(StreamItem::Update))
        }
        Event::StatusUpdated { status_id, .. } if statuses => {
            Ok(routed(app, reader, stream, *status_id).await?.map(StreamItem::StatusUpdate))
        }
        Event::StatusDeleted { status_id, account_id, visibility, mentions, .. } if statuses => {
            // Only those who could have seen the post hear it is gone.
            let could_see = match stream {
                Stream::UserNotification => false,
                Stream::Direct => {
                    *visibility == Visibility::Direct && (reader.id == *account_id || mentions.contains(&reader.id))
                }
                Stream::Public { .. } | Stream::Hashtag { .. } => *visibility == Visibility::Public,
                Stream::User => {
                    reader.id == *account_id
                        || mentions.contains(&reader.id)
                        || (*visibility != Visibility::Direct
                            && app.store().is_following(reader.id, *account_id).await?)
                }
            };
            Ok(could_see.then_some(StreamItem::Delete(*status_id)))
        }
        Event::NotificationCreated { notification_id, account_id }
            if *account_id == reader.id
                && matches!(stream, Stream::User | Stream::UserNotification)
                && scopes.allows("read:notifications") =>
        {
            Ok(app.store().find_notification(reader.id, *notification_id).await?.map(StreamItem::Notification))
        }
        _ => Ok(None),
    }
}

/// Whether the token a stream was opened with still works (not revoked; its user may
/// still sign in).
pub async fn still_allowed(app: &App, token_id: Id) -> Result<bool> {
    Ok(app.store().is_token_live(token_id).await?)
}

/// The post, if it belongs on this stream for this reader.
async fn routed(app: &App, reader: &Account, stream: &Stream, status_id: Id) -> Result<Option<std::sync::Arc<Status>>> {
    let Some(status) = app.store().find_status(status_id).await? else { return Ok(None) };
    let belongs = match stream {
        Stream::User => app.store().is_in_home_feed(reader.id, status.id).await?,
        Stream::UserNotification | Stream::Direct => false,
        Stream::Public { local } => public_post(&status) && local.is_none_or(|l| l == status.local),
        Stream::Hashtag { tag, local } => public_post(&status) && status.tags.contains(tag) && (!local || status.local),
    };
    if !belongs {
        return Ok(None);
    }
    // What the reader's lists would leave out stays off their streams too: blocks either
    // way, refused domains, suspended authors, mutes, hide filters; on public streams
    // also limited accounts and domains.
    let public = matches!(stream, Stream::Public { .. } | Stream::Hashtag { .. });
    if public && limited(app, &status).await? {
        return Ok(None);
    }
    let shown = statuses::list_visible(app, Some(reader.id), &[status.id]).await?;
    let shown = crate::mutes::without_muted(app, Some(reader.id), shown).await?;
    let place = if public { Place::Public } else { Place::Home };
    Ok(without_hidden(app, Some(reader.id), place, shown).await?.pop())
}

/// Whether a post's author is kept off public timelines (limited, or on a limited domain).
async fn limited(app: &App, status: &Status) -> Result<bool> {
    if app.store().list_restricted_accounts(&[status.account_id]).await?.contains_key(&status.account_id) {
        return Ok(true);
    }
    let host = if status.local { None } else { crate::federation::remote::authority(&status.uri) };
    Ok(match host {
        Some(host) => crate::moderation::policy::current(app).await?.limits(&host),
        None => false,
    })
}

/// What public timelines show: public posts, no boosts, no replies to others.
fn public_post(status: &Status) -> bool {
    status.visibility == Visibility::Public
        && status.reblog_of_id.is_none()
        && status.in_reply_to_account_id.is_none_or(|to| to == status.account_id)
}
