//! What tells a signed-in browser that its timeline changed: `/web/stream/{home,local,
//! federated}`, Server-Sent Events over the session cookie, deciding what reaches the
//! reader exactly as the streaming API does (`app::streaming`). Each event carries only
//! a post's id; the script then fetches the newer posts as the page renders them, so the
//! HTML is made in one place. The stream ends when the session does.

use std::convert::Infallible;
use std::time::Duration;

use app::App;
use app::streaming::{Stream, StreamItem};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{self, Stream as FuturesStream};
use tokio::sync::broadcast::error::RecvError;

use super::{Visitor, WebError};
use crate::oauth::cookies;

/// How often an open stream checks that its session is still signed in.
const RECHECK: Duration = Duration::from_secs(30);

pub(super) fn routes() -> Router<App> {
    Router::new().route("/web/stream/{timeline}", get(open))
}

async fn open(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(timeline): Path<String>,
) -> Result<Sse<impl FuturesStream<Item = Result<SseEvent, Infallible>>>, WebError> {
    let (reader, _) = visitor.signed_in()?;
    let stream = match timeline.as_str() {
        "home" => Stream::User,
        "local" => Stream::Public { local: Some(true) },
        "federated" => Stream::Public { local: None },
        _ => return Err(WebError::Api(crate::ApiError::no_route())),
    };
    let session = cookies::get(&headers, cookies::SESSION).unwrap_or_default();
    let scopes = domain::Scopes::parse("read").map_err(app::AppError::Validation)?;
    let reader = reader.clone();
    let receiver = app.events().subscribe();
    let recheck = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK);
    let state = (app, reader, receiver, recheck);
    let events = stream::unfold(state, move |(app, reader, mut receiver, mut recheck)| {
        let (stream, scopes, session) = (stream.clone(), scopes.clone(), session.clone());
        async move {
            loop {
                let event = tokio::select! {
                    event = receiver.recv() => match event {
                        Ok(event) => event,
                        Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    },
                    _ = recheck.tick() => {
                        let live = app::oauth::session_account(&app, &session).await;
                        if !matches!(live, Ok(Some((a, u))) if u.approved && !a.moderation.locked_out()) {
                            return None;
                        }
                        continue;
                    }
                };
                let sse = match app::streaming::filter(&app, &reader, &scopes, &stream, &event).await {
                    Ok(Some(StreamItem::Update(status))) => {
                        SseEvent::default().event("update").data(status.id.to_string())
                    }
                    Ok(Some(StreamItem::Delete(id))) => SseEvent::default().event("delete").data(id.to_string()),
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::warn!(error = %e, "web stream filter failed");
                        continue;
                    }
                };
                return Some((Ok(sse), (app, reader, receiver, recheck)));
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)).text("thump")))
}
