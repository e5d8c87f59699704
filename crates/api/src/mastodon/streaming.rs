//! Mastodon's streaming API over Server-Sent Events: `/api/v1/streaming/{user,
//! user/notification, public[/local|/remote], hashtag[/local]}`, each event as
//! `event: update` with the entity as a JSON string, and `:thump` to keep it open.

use std::convert::Infallible;
use std::time::Duration;

use app::App;
use app::streaming::{Stream, StreamItem};
use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{self, Stream as FuturesStream};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use super::entities::notification::NotificationEntity;
use super::entities::status::render;
use crate::ApiError;
use crate::auth::Auth;
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/streaming", get(super::websocket::upgrade))
        .route("/api/v1/streaming/health", get(|| async { "OK" }))
        .route("/api/v1/streaming/user", get(|s, a| open(s, a, Stream::User)))
        .route("/api/v1/streaming/user/notification", get(|s, a| open(s, a, Stream::UserNotification)))
        .route("/api/v1/streaming/public", get(|s, a| open(s, a, Stream::Public { local: None })))
        .route("/api/v1/streaming/public/local", get(|s, a| open(s, a, Stream::Public { local: Some(true) })))
        .route("/api/v1/streaming/public/remote", get(|s, a| open(s, a, Stream::Public { local: Some(false) })))
        .route("/api/v1/streaming/direct", get(|s, a| open(s, a, Stream::Direct)))
        .route("/api/v1/streaming/hashtag", get(|s, a, p| hashtag(s, a, p, false)))
        .route("/api/v1/streaming/hashtag/local", get(|s, a, p| hashtag(s, a, p, true)))
}

#[derive(Debug, Deserialize)]
struct TagParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    tag: Option<String>,
}

async fn hashtag(
    state: State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<TagParams>,
    local: bool,
) -> Result<Sse<impl FuturesStream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let tag = p.tag.unwrap_or_default().trim_start_matches('#').to_lowercase();
    if tag.is_empty() {
        return Err(ApiError::new(axum::http::StatusCode::BAD_REQUEST, "param is missing or the value is empty: tag"));
    }
    open(state, auth, Stream::Hashtag { tag, local }).await
}

/// How often an open stream checks that its token still works.
pub(super) const RECHECK: Duration = Duration::from_secs(30);

/// Every stream needs a signed-in reader, as on Mastodon 4.2 and later.
async fn open(
    State(app): State<App>,
    auth: Auth,
    stream: Stream,
) -> Result<Sse<impl FuturesStream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let scope = if stream == Stream::UserNotification { "read:notifications" } else { "read:statuses" };
    let (reader, _) = auth.user_with(scope)?;
    let reader = reader.clone();
    let caller = auth.0.as_ref().ok_or_else(crate::auth::invalid_token)?;
    let (token_id, scopes) = (caller.token.id, caller.token.scopes.clone());
    // Subscribed before answering, so nothing published after the answer is missed.
    let receiver = app.events().subscribe();
    let recheck = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK);
    let state = (app, reader, stream, receiver, recheck);
    let events = stream::unfold(state, move |(app, reader, stream, mut receiver, mut recheck)| {
        let scopes = scopes.clone();
        async move {
            loop {
                let event = tokio::select! {
                    event = receiver.recv() => match event {
                        Ok(event) => event,
                        // A slow reader skips what it missed rather than ending the stream.
                        Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    },
                    _ = recheck.tick() => {
                        if !app::streaming::still_allowed(&app, token_id).await.unwrap_or(false) {
                            return None;
                        }
                        continue;
                    }
                };
                if app::streaming::ends_stream(&event, token_id) {
                    return None;
                }
                match app::streaming::filter(&app, &reader, &scopes, &stream, &event).await {
                    Ok(Some(item)) => {
                        if let Some(sse) = to_sse(&app, &reader, item).await {
                            return Some((Ok(sse), (app, reader, stream, receiver, recheck)));
                        }
                    }
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "streaming filter failed"),
                }
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(10)).text("thump")))
}

async fn to_sse(app: &App, reader: &domain::Account, item: StreamItem) -> Option<SseEvent> {
    let (name, data) = encode(app, reader, item).await?;
    Some(SseEvent::default().event(name).data(data))
}

/// An item as Mastodon's streaming API sends it, on either transport: the event name and
/// the payload, a JSON document as a string (a bare id for deletes).
pub(super) async fn encode(app: &App, reader: &domain::Account, item: StreamItem) -> Option<(&'static str, String)> {
    Some(match item {
        StreamItem::Delete(id) => ("delete", id.to_string()),
        StreamItem::Update(status) => ("update", status_json(app, reader, &status).await?),
        StreamItem::StatusUpdate(status) => ("status.update", status_json(app, reader, &status).await?),
        StreamItem::Conversation(c) => {
            let entity = super::conversations::render(app, reader, std::slice::from_ref(&c)).await.ok()?.pop()?;
            ("conversation", entity.to_string())
        }
        StreamItem::Notification(n) => {
            let h = app::notifications::hydrate(app, reader, std::slice::from_ref(&n)).await.ok()?;
            ("notification", serde_json::to_string(&NotificationEntity::new(app.config(), &n, &h, reader.id)?).ok()?)
        }
    })
}

async fn status_json(app: &App, reader: &domain::Account, status: &std::sync::Arc<domain::Status>) -> Option<String> {
    let entity = render(app, std::slice::from_ref(status), Some(reader.id)).await.ok()?.pop()?;
    serde_json::to_string(&entity).ok()
}
